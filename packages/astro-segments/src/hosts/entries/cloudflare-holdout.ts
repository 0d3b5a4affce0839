// Cloudflare Worker for a site with a holdout (`manifest.holdout`): the router decides through `holdout()`.
import { holdout } from '@astro-segments/edge';
import { cloudflareWorker } from '@astro-segments/edge/cloudflare';
import manifest from 'astro-segments:manifest';

export default cloudflareWorker(manifest, holdout());
