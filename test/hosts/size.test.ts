/**
 * Size budget: each host's router, bundled from its generated entry exactly as
 * the writers do but with the site's data (manifest, Netlify's path list) left
 * out as external imports, stays within BUDGET bytes after minification and
 * gzip. The data is per site and excluded by definition; the full bundle of
 * the example site is printed beside it. Numbers are printed on every run.
 *
 * The example has no holdout, so its router must carry none of that code. A
 * site with a holdout gets the holdout entry (`holdout()` around the router):
 * its own budget, HOLDOUT_BUDGET, is 256 bytes more.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '@astro-segments/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';

// 2048 until the host hardening of issue 15 (the variant headers' allowlist, shared-cache
// headers dropped from personalized responses, Netlify's explicit fallback) added ~150 B.
const BUDGET = 2240;
const HOLDOUT_BUDGET = BUDGET + 256;
const EXAMPLE = new URL('../../examples/ledgerly/', import.meta.url).pathname;
let example: BuiltFixture;
let manifest: Manifest;

beforeAll(async () => {
  example = await buildFixture(EXAMPLE);
  manifest = JSON.parse(await readFile(`${example.outDir}/_segments/manifest.json`, 'utf8')) as Manifest;
});
afterAll(() => example?.cleanup());

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

describe('router bundle size for the example site (min+gzip)', () => {
  it.each<EntryName>(['netlify', 'vercel', 'cloudflare'])(`%s router stays within ${BUDGET} bytes without the manifest`, async (host) => {
    const router = await bundleEntry(host, manifest, { dataExternal: true });
    const whole = await bundleEntry(host, manifest);
    expect(router).toContain('astro-segments:manifest');
    expect(whole).not.toContain('astro-segments:manifest');
    process.stdout.write(
      `router ${host}: ${gzip(router)} B min+gzip without the manifest (budget ${BUDGET}); ${gzip(whole)} B with the example's manifest\n`,
    );
    expect(gzip(router)).toBeLessThanOrEqual(BUDGET);
    // No holdout configured: none of its code (its cookie values are its tell).
    expect(router).not.toMatch(/treatment|holdout/);
    // No language rule in the example: no Accept-Language parser (its tag pattern is its tell);
    // a referrer rule: the Referer parsing stays.
    expect(router).not.toContain('[a-zA-Z]{1,8}');
    expect(router).toContain('hostname');
  });

  it.each<EntryName>(['netlify', 'vercel', 'cloudflare'])(`%s router with a holdout stays within ${HOLDOUT_BUDGET} bytes without the manifest`, async (host) => {
    const withHoldout: Manifest = { ...manifest, holdout: { share: 0.1, consent: 'cookie_consent', cookie: 'segment_group', maxAge: 7_776_000 } };
    const router = await bundleEntry(host, withHoldout, { dataExternal: true });
    const whole = await bundleEntry(host, withHoldout);
    expect(router).toContain('treatment');
    process.stdout.write(
      `router ${host} with a holdout: ${gzip(router)} B min+gzip without the manifest (budget ${HOLDOUT_BUDGET}); ${gzip(whole)} B with the example's manifest\n`,
    );
    expect(gzip(router)).toBeLessThanOrEqual(HOLDOUT_BUDGET);
  });
});
