import type { Manifest } from '@astro-segments/edge';
import type { AstroIntegrationLogger } from 'astro';

/** What `astro:build:done` knows that the host writers need. */
export interface HostContext {
  /** Astro's `root`: where `.netlify/` and `.vercel/` live. */
  readonly root: URL;
  /** The folder `astro:build:done` gives (`dir`): the built static site. */
  readonly outDir: URL;
  readonly manifest: Manifest;
  readonly logger: Pick<AstroIntegrationLogger, 'info' | 'warn'>;
  /**
   * `config.adapter?.name`. Tells the Vercel writer whether `@astrojs/vercel`
   * owns `.vercel/output` (then it amends the adapter's output). When omitted,
   * it infers that from the files: the adapter empties `.vercel/output` when a
   * build starts, so a `config.json` without our function is the adapter's.
   */
  readonly adapter?: string | undefined;
}
