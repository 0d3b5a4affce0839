// Cloudflare, one Worker with @astrojs/cloudflare, for a site with a holdout (`manifest.holdout`).
import { holdout } from '@astro-segments/edge';
import { cloudflareWorker, withServerWorker } from '@astro-segments/edge/cloudflare';
import manifest from 'astro-segments:manifest';
import paths from 'astro-segments:worker-first';
import server from 'astro-segments:server';

export * from 'astro-segments:server';
export default { ...server, ...withServerWorker(cloudflareWorker(manifest, holdout()), server, paths) };
