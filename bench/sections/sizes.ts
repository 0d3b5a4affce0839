/**
 * 1b. Bytes each host receives: the router alone (`bundleEntry(host, manifest,
 * { dataExternal: true })`, the size budget's measure) and the example site's
 * full bundle with its manifest inlined, minified, then gzip -9 and brotli -11.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { bundleEntry, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';

export interface Sized {
  readonly min: number;
  readonly gzip: number;
  readonly brotli: number;
}

export interface SizeRow {
  readonly host: EntryName;
  readonly router: Sized;
  readonly full: Sized;
}

export interface SizesResult {
  readonly hosts: readonly SizeRow[];
  readonly manifest: Sized;
  readonly budget: number;
}

export const sized = (code: string): Sized => ({
  min: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

export async function runSizes(manifest: Manifest): Promise<SizesResult> {
  const hosts: SizeRow[] = [];
  for (const host of ['netlify', 'vercel', 'cloudflare'] as const) {
    hosts.push({
      host,
      router: sized(await bundleEntry(host, manifest, { dataExternal: true })),
      full: sized(await bundleEntry(host, manifest)),
    });
  }
  return { hosts, manifest: sized(JSON.stringify(manifest)), budget: 2048 };
}
