/**
 * 1b. Bytes each host receives: the router alone (`bundleEntry(host, manifest,
 * { dataExternal: true })`, the size budget's measure) and the example site's
 * full bundle with its manifest (compiled for the router) inlined, minified,
 * then gzip -9 and brotli -11; and what each part of the router costs.
 *
 * Per part: the router is bundled once more with esbuild's `// <file>` marks
 * kept (names and syntax minified as for deploying), cut at the marks, each
 * piece minified like the rest, and each charged the gzip bytes it adds to all
 * the pieces before it. The parts add up to the whole within a few bytes.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { compileManifest } from '../../packages/edge/src/compile.ts';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { bundleEntry, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { fmt } from '../lib/stats.ts';
import type { Table } from '../lib/table.ts';

/** Issue 13's target for each host's router, min+gzip, manifest excluded. */
export const TARGET_BYTES = 1024;

export interface Sized {
  readonly min: number;
  readonly gzip: number;
  readonly brotli: number;
}

export interface Part {
  /** Source file, relative to packages/. */
  readonly file: string;
  /** gzip bytes it adds to the bundle. */
  readonly gzip: number;
}

export interface SizeRow {
  readonly host: EntryName;
  readonly router: Sized;
  readonly full: Sized;
  readonly parts: readonly Part[];
}

export interface SizesResult {
  readonly hosts: readonly SizeRow[];
  readonly manifest: Sized;
  readonly compiledManifest: Sized;
  readonly budget: number;
}

const gzip = (code: string) => (code ? gzipSync(code, { level: 9 }).length : 0);

export const sized = (code: string): Sized => ({
  min: Buffer.byteLength(code),
  gzip: gzip(code),
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** What each source file adds to the gzip of a host's router. */
async function parts(host: EntryName, manifest: Manifest): Promise<Part[]> {
  const marked = await bundleEntry(host, manifest, { dataExternal: true, fileMarks: true });
  const pieces = marked.split(/^\/\/ (.+)$/m);
  const out: Part[] = [];
  let before = (await transform(pieces[0]!, { minifyWhitespace: true, format: 'esm' })).code;
  for (let i = 1; i < pieces.length; i += 2) {
    const code = (await transform(pieces[i + 1]!, { minifyWhitespace: true, format: 'esm' })).code;
    out.push({ file: pieces[i]!.replace(/^.*?packages\//, ''), gzip: gzip(before + code) - gzip(before) });
    before += code;
  }
  return out;
}

export async function runSizes(manifest: Manifest): Promise<SizesResult> {
  const hosts: SizeRow[] = [];
  for (const host of ['netlify', 'vercel', 'cloudflare'] as const) {
    hosts.push({
      host,
      router: sized(await bundleEntry(host, manifest, { dataExternal: true })),
      full: sized(await bundleEntry(host, manifest)),
      parts: await parts(host, manifest),
    });
  }
  return { hosts, manifest: sized(JSON.stringify(manifest)), compiledManifest: sized(JSON.stringify(compileManifest(manifest))), budget: TARGET_BYTES };
}

export function sizesTables(r: SizesResult): Table[] {
  const files = [...new Set(r.hosts.flatMap((h) => h.parts.map((p) => p.file)))];
  return [
    {
      title: 'Host outputs (bytes): the router alone (manifest left external) and the example site’s whole bundle',
      head: ['host', 'router min', 'router min+gzip', 'router min+brotli', 'target (gzip)', 'with example manifest: min', 'min+gzip'],
      right: [1, 2, 3, 4, 5, 6],
      rows: r.hosts.map((h) => [h.host, fmt(h.router.min), fmt(h.router.gzip), fmt(h.router.brotli), fmt(r.budget), fmt(h.full.min), fmt(h.full.gzip)]),
      note:
        `The example's manifest: ${fmt(r.manifest.min)} B, ${fmt(r.manifest.gzip)} B gzip as the build writes it; ` +
        `${fmt(r.compiledManifest.min)} B, ${fmt(r.compiledManifest.gzip)} B gzip compiled for the router, as the bundles carry it. gzip level 9, brotli quality 11.`,
    },
    {
      title: 'Where each router’s gzip bytes go: what each source file adds (bytes, min+gzip)',
      head: ['part', ...r.hosts.map((h) => h.host)],
      right: r.hosts.map((_, i) => i + 1),
      rows: [
        ...files.map((file) => [file, ...r.hosts.map((h) => fmt(h.parts.find((p) => p.file === file)?.gzip ?? 0))]),
        ['sum of the parts', ...r.hosts.map((h) => fmt(h.parts.reduce((n, p) => n + p.gzip, 0)))],
      ],
      note: 'Each file is charged what it adds to the gzip of the files before it in the bundle, so the parts add up to the whole (within a few bytes).',
    },
  ];
}

export function sizesVerdicts(r: SizesResult): string[] {
  return r.hosts.map(
    (h) =>
      `${h.router.gzip <= r.budget ? 'MET' : 'NOT MET'}: ${h.host} router ${fmt(h.router.gzip)} B min+gzip without the manifest (target ≤ ${fmt(r.budget)} B); ` +
      `largest parts: ${[...h.parts]
        .sort((a, b) => b.gzip - a.gzip)
        .slice(0, 3)
        .map((p) => `${p.file.replace('edge/src/', '')} ${fmt(p.gzip)} B`)
        .join(', ')}; with the example's manifest ${fmt(h.full.gzip)} B`,
  );
}
