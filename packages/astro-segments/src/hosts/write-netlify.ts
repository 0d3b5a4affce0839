/**
 * Netlify: one edge function through the Frameworks API, which reads
 * `.netlify/v1/edge-functions/` in the project during the deploy (with or
 * without @astrojs/netlify). Its inline `config` limits it to the personalized
 * paths; `onError: 'bypass'` serves the page without it if it ever fails.
 * https://docs.netlify.com/frameworks-api/#edge-functions
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { bundleEntry } from './bundle-entry.ts';
import type { HostContext } from './context.ts';
import { netlifyPaths, servedForms } from './route-patterns.ts';

export const NETLIFY_FUNCTION = './.netlify/v1/edge-functions/astro-segments.js';

export async function writeNetlify({ root, outDir, manifest }: HostContext): Promise<URL | undefined> {
  const file = new URL(NETLIFY_FUNCTION, root);
  if (netlifyPaths(manifest).length === 0) {
    await rm(file, { force: true });
    return undefined;
  }
  const code = await bundleEntry('netlify', manifest, { served: servedForms(outDir, manifest) });
  await mkdir(new URL('./', file), { recursive: true });
  await writeFile(file, code);
  return file;
}
