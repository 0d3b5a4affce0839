// Netlify edge function for a site with a holdout (`manifest.holdout`): the router decides through `holdout()`.
import { holdout } from '@astro-segments/edge';
import { netlifyHandler } from '@astro-segments/edge/netlify';
import manifest from 'astro-segments:manifest';
import declaration from 'astro-segments:netlify-config';

export default netlifyHandler(manifest, holdout());
export const config = declaration;
