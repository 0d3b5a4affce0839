// Cloudflare Worker module, run before static assets on personalized routes.
import { cloudflareWorker } from '@astro-segments/edge/cloudflare';
import manifest from 'astro-segments:manifest';

export default cloudflareWorker(manifest);
