/**
 * `virtual:astro-segments/toolbar-setup`: what the Dev Toolbar app shows on
 * every page while the site declares no dimension (the hint of
 * `../first-dimension.ts`), or `null`. A module rather than data embedded in
 * pages, because no page is personalized then and the dev middleware embeds
 * nothing.
 */
import type { FirstDimensionHint } from '../first-dimension.ts';
import { virtualModule, type VitePlugin } from '../virtual-config.ts';

export const TOOLBAR_SETUP_ID = 'virtual:astro-segments/toolbar-setup';

export function toolbarSetup(hint: FirstDimensionHint | null): VitePlugin {
  const source = `export default ${JSON.stringify(hint)};\n`;
  return virtualModule('astro-segments:toolbar-setup', TOOLBAR_SETUP_ID, () => source);
}
