// Vercel edge function used as routing middleware (Build Output API v3).
import { vercelMiddleware } from '@astro-segments/edge/vercel';
import manifest from 'astro-segments:manifest';

export default vercelMiddleware(manifest);
