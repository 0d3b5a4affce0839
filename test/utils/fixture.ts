import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type AstroInlineConfig } from 'astro';
import type { Manifest } from '@astro-segments/edge';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface BuiltFixture {
  readonly root: string;
  readonly outDir: string;
  read(file: string): Promise<string>;
  files(): Promise<string[]>;
  manifest(): Promise<Manifest>;
  /** Every variant file of a route, by combination key, plus `default`. */
  variants(route: string): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

/**
 * Build a fixture site with Astro's public `build()` into its own temporary
 * outDir, so test files building the same fixture never race.
 */
export async function buildFixture(name: string, config: AstroInlineConfig = {}): Promise<BuiltFixture> {
  const root = isAbsolute(name) ? name : join(FIXTURES, name);
  const outDir = await mkdtemp(join(root, '.out-'));
  await build({ root, outDir, logLevel: 'error', ...config });
  return fixtureAt(root, outDir);
}

export function fixtureAt(root: string, outDir: string): BuiltFixture {
  const read = (file: string) => readFile(join(outDir, file), 'utf8');
  const manifest = async () => JSON.parse(await read('_segments/manifest.json')) as Manifest;
  return {
    root,
    outDir,
    read,
    manifest,
    async files() {
      const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(outDir, join(e.parentPath, e.name)))
        .sort();
    },
    async variants(route: string) {
      const m = await manifest();
      const entry = m.routes[route];
      if (!entry) throw new Error(`route ${route} is not in the manifest`);
      const file = route === '/' ? 'index.html' : `${route.slice(1)}/index.html`;
      const result: Record<string, string> = { default: await read(file) };
      for (const [key, hash] of Object.entries(entry.variants)) result[key] = await read(`_segments/${hash}.html`);
      return result;
    },
    cleanup: () => rm(outDir, { recursive: true, force: true }),
  };
}

/** Collapse whitespace between tags and runs of whitespace, for comparing markup. */
export function normalizeHtml(html: string): string {
  return html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();
}
