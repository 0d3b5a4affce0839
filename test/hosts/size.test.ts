/**
 * Size budget: each host's router, bundled from its generated entry exactly as
 * the writers do but with the site's data (the compiled manifest, Netlify's path
 * list) left out as external imports, stays within BUDGET bytes after
 * minification and gzip. The data is per site and excluded by definition; the
 * full bundle of the example site is printed beside it. Numbers are printed on
 * every run.
 *
 * The bundle carries only what the site uses: the example has no holdout, no
 * language rule, no date window and no prefix or suffix matcher, and none of
 * that code may be in its router; nor the manifest compiler, since the bundle's
 * manifest is compiled at build. Each absence is checked by a tell, and each
 * tell is shown to appear in the bundle of a site that does use the part.
 *
 * A site with a holdout gets the holdout entry (`holdout()` around the router):
 * its own budget, HOLDOUT_BUDGET, is 256 bytes more.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '@astro-segments/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';

// 2240 on main; 1,024 is issue 13's target. The router got ~5× faster per request and learned
// prefetch; what each part costs is printed by `bench --only sizes` (see the report of issue 13).
// 2512 before routes were compiled to numbered combinations and bare hashes: +18 B of router
// for half the bytes a Worker parses at each cold start on a large site.
const BUDGET = 2528;
const HOLDOUT_BUDGET = BUDGET + 256;
const HOSTS: EntryName[] = ['netlify', 'vercel', 'cloudflare'];
const EXAMPLE = new URL('../../examples/ledgerly/', import.meta.url).pathname;
let example: BuiltFixture;
let manifest: Manifest;

beforeAll(async () => {
  example = await buildFixture(EXAMPLE);
  manifest = JSON.parse(await readFile(`${example.outDir}/_segments/manifest.json`, 'utf8')) as Manifest;
});
afterAll(() => example?.cleanup());

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

/** What gives each optional part away in minified code. */
const TELLS = {
  holdout: /treatment|holdout/,
  'the Accept-Language parser': /\[a-zA-Z\]\{1,8\}/,
  'date windows': /\.now[<>]/,
  'prefix matchers': /"prefix"/,
  'suffix matchers': /"suffix"/,
  'the manifest compiler': /\.compiled===|\{6,64\}/,
  'X-Segments explanations': /X-Segments/,
} as const;

describe('router bundle size for the example site (min+gzip)', () => {
  it.each(HOSTS)(`%s router stays within ${BUDGET} bytes without the manifest`, async (host) => {
    const router = await bundleEntry(host, manifest, { dataExternal: true });
    const whole = await bundleEntry(host, manifest);
    expect(router).toContain('astro-segments:manifest');
    expect(whole).not.toContain('astro-segments:manifest');
    process.stdout.write(`router ${host}: ${gzip(router)} B min+gzip without the manifest (budget ${BUDGET}); ${gzip(whole)} B with the example's manifest\n`);
    expect(gzip(router)).toBeLessThanOrEqual(BUDGET);
  });

  it.each(HOSTS)('%s router for the example carries only what the example uses', async (host) => {
    const router = await bundleEntry(host, manifest, { dataExternal: true });
    for (const part of ['holdout', 'the Accept-Language parser', 'date windows', 'prefix matchers', 'suffix matchers', 'the manifest compiler'] as const) {
      expect(router, part).not.toMatch(TELLS[part]);
    }
    // Debug is on in the example; a referrer rule: the Referer parsing stays.
    expect(router).toMatch(TELLS['X-Segments explanations']);
    expect(router).toContain('hostname');
    const quiet = await bundleEntry(host, { ...manifest, debug: false }, { dataExternal: true });
    expect(quiet).not.toMatch(TELLS['X-Segments explanations']);
  });

  it.each(HOSTS)('%s router of a site that uses those parts carries them (the tells can be seen)', async (host) => {
    const [audience, ...others] = manifest.dimensions;
    const everything: Manifest = {
      ...manifest,
      holdout: { share: 0.1, consent: 'cookie_consent', cookie: 'segment_group', maxAge: 7_776_000 },
      dimensions: [
        {
          ...audience!,
          values: [
            {
              name: 'reader',
              rules: [{ language: { is: ['de'] }, from: 1, until: 2 }, { utm_medium: { prefix: 'paid' } }, { referrer: { suffix: '.example' } }],
            },
            ...audience!.values,
          ],
        },
        ...others,
      ],
    };
    const router = await bundleEntry(host, everything, { dataExternal: true });
    for (const part of ['holdout', 'the Accept-Language parser', 'date windows', 'prefix matchers', 'suffix matchers', 'X-Segments explanations'] as const) {
      expect(router, part).toMatch(TELLS[part]);
    }
  });

  it.each(HOSTS)(`%s router with a holdout stays within ${HOLDOUT_BUDGET} bytes without the manifest`, async (host) => {
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
