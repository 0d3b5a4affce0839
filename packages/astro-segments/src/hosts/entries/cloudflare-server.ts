// Cloudflare, one Worker with @astrojs/cloudflare: the router on the personalized paths, the adapter's own Worker for the rest.
import { cloudflareWorker, withServerWorker } from '@astro-segments/edge/cloudflare';
import manifest from 'astro-segments:manifest';
import paths from 'astro-segments:worker-first';
import server from 'astro-segments:server';

// The adapter's named exports (Durable Objects, other handlers) stay the Worker's.
export * from 'astro-segments:server';
export default { ...server, ...withServerWorker(cloudflareWorker(manifest), server, paths) };
