// Vercel routing middleware for a site with a holdout (`manifest.holdout`): the router decides through `holdout()`.
import { holdout } from '@astro-segments/edge';
import { vercelMiddleware } from '@astro-segments/edge/vercel';
import manifest from 'astro-segments:manifest';

export default vercelMiddleware(manifest, holdout());
