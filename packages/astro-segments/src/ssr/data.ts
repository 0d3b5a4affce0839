/**
 * The data the on-demand middleware needs, as a virtual module the build
 * bundles with it: the resolved options (plain data), the router's manifest
 * without routes, and the host whose geo to trust. Nothing about any request.
 */
import type { Manifest } from '@astro-segments/edge';
import type { HostName } from '../hosts/detect-host.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { virtualModule, type VitePlugin } from '../virtual-config.ts';

export const SSR_DATA_ID = 'virtual:astro-segments/ssr';

export interface SsrData {
  readonly options: ResolvedOptions;
  /** The router's manifest for this site, with no routes: the middleware adds the page's own. */
  readonly manifest: Manifest;
  /** Where the site is deployed (from its adapter): decides the one trusted geo source. */
  readonly host: HostName | undefined;
  /** `astro dev`: signals simulated from query parameters, and the Dev Toolbar's data in the page. */
  readonly dev: boolean;
  /** Astro's `base`, for the Dev Toolbar's links. */
  readonly base: string;
}

/** A Vite plugin providing `virtual:astro-segments/ssr`; `data` is read when the module is first loaded, after config is final. */
export function ssrData(data: () => SsrData): VitePlugin {
  return virtualModule('astro-segments:ssr', SSR_DATA_ID, () => `export default ${JSON.stringify(data())};\n`);
}
