import { fileURLToPath } from 'node:url';
import type { DevToolbarAppEntry } from 'astro';

export { toolbarSetup } from './setup-data.ts';

/** The Dev Toolbar app, for `addDevToolbarApp` in `astro dev`. */
export const toolbarApp: DevToolbarAppEntry = {
  id: 'astro-segments',
  name: 'Segments',
  icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path d="M12 3v9l6.4 6.4"/><path d="M12 12H3"/></svg>',
  entrypoint: fileURLToPath(new URL('./app.ts', import.meta.url)),
};
