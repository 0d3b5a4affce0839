/**
 * Size budget: each host's bundled router (the generated entry with an empty
 * manifest, exactly as the writers bundle it) stays within 2048 bytes after
 * minification and gzip. The numbers are printed on every run.
 */
import { gzipSync } from 'node:zlib';
import type { Manifest } from '@astro-segments/edge';
import { describe, expect, it } from 'vitest';
import { bundleEntry, json, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';

const BUDGET = 2048;
const EMPTY: Manifest = {
  version: 1,
  prefix: '/_segments/',
  param: 'segment',
  previewParam: 'segment-preview',
  cookie: { name: 'segment', maxAge: 2592000 },
  debug: false,
  dimensions: [],
  routes: {},
};

describe('router bundle size (min+gzip)', () => {
  it.each<EntryName>(['netlify', 'vercel', 'cloudflare'])(`%s entry stays within ${BUDGET} bytes`, async (host) => {
    const code = await bundleEntry(host, {
      manifest: json(EMPTY),
      'netlify-config': json({ path: [], onError: 'bypass' }),
    });
    const gzip = gzipSync(code, { level: 9 }).length;
    process.stdout.write(`router bundle ${host}: ${code.length} B minified, ${gzip} B min+gzip (budget ${BUDGET})\n`);
    expect(gzip).toBeLessThanOrEqual(BUDGET);
  });
});
