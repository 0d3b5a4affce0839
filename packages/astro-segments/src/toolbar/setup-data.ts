/**
 * `virtual:astro-segments/toolbar-setup`: what the Dev Toolbar app shows on
 * every page while the site declares no dimension (the hint of
 * `../first-dimension.ts`), or `null`. A module rather than data embedded in
 * pages, because no page is personalized then and the dev middleware embeds
 * nothing.
 */
import type { FirstDimensionHint } from '../first-dimension.ts';
import type { VitePlugin } from '../virtual-config.ts';

export const TOOLBAR_SETUP_ID = 'virtual:astro-segments/toolbar-setup';
const RESOLVED_ID = `\0${TOOLBAR_SETUP_ID}`;

export function toolbarSetup(hint: FirstDimensionHint | null): VitePlugin {
  const source = `export default ${JSON.stringify(hint)};\n`;
  return {
    name: 'astro-segments:toolbar-setup',
    resolveId: (id) => (id === TOOLBAR_SETUP_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? source : undefined),
  };
}
