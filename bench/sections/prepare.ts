/**
 * Build what the serving and size benchmarks serve: the example site (its own
 * astro.config, built by real Astro into bench/.generated/) plus its generated
 * Cloudflare output, and the SSR comparison site.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { writeHostOutputs } from '../../packages/astro-segments/src/hosts/index.ts';
import { runChild } from '../lib/proc.ts';

export const BENCH = fileURLToPath(new URL('../', import.meta.url));
export const GENERATED = join(BENCH, '.generated');
export const CHILD = join(BENCH, 'build', 'child.ts');
const EXAMPLE = fileURLToPath(new URL('../../examples/ledgerly/', import.meta.url));
const SSR_SITE = join(BENCH, 'ssr-site');

export interface BuildTiming {
  /** Wall time of `build()`, less any page capture (see build/child.ts). */
  readonly ms: number;
  readonly captureMs: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly hookMs: Readonly<Record<string, number>>;
}

/** One `astro build` in a child process (see build/child.ts). */
export async function astroBuild(root: string, outDir: string, env: NodeJS.ProcessEnv = {}): Promise<BuildTiming> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(GENERATED, { recursive: true });
  const result = join(GENERATED, `result-${process.pid}.json`);
  await runChild(process.execPath, [CHILD, root, outDir, result], { env: { ...process.env, ...env } });
  const timing = JSON.parse(await readFile(result, 'utf8')) as BuildTiming;
  await rm(result, { force: true });
  return timing;
}

export interface Prepared {
  readonly dist: string;
  readonly ssrDist: string;
  readonly manifest: Manifest;
}

export async function prepare(): Promise<Prepared> {
  const dist = join(GENERATED, 'ledgerly-dist');
  const ssrDist = join(GENERATED, 'ssr-dist');
  await astroBuild(EXAMPLE, dist);
  const manifest = JSON.parse(await readFile(join(dist, '_segments', 'manifest.json'), 'utf8')) as Manifest;
  // The example builds for no particular host; write the Cloudflare output the way `astro build` does.
  await writeHostOutputs(['cloudflare'], {
    root: pathToFileURL(EXAMPLE),
    outDir: pathToFileURL(`${dist}/`),
    manifest,
    logger: { info: () => {}, warn: (message: string) => console.warn(message) },
  });
  await astroBuild(SSR_SITE, ssrDist);
  return { dist, ssrDist, manifest };
}
