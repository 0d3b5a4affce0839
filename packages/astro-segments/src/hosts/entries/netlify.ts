// Netlify edge function (Frameworks API): the router plus its inline declaration.
import { netlifyHandler } from '@astro-segments/edge/netlify';
import manifest from 'astro-segments:manifest';
import declaration from 'astro-segments:netlify-config';

export default netlifyHandler(manifest);
export const config = declaration;
