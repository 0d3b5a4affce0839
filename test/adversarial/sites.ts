/**
 * Extra site instances for the adversarial tables, served by the same runtime
 * harnesses as the conformance table (test/hosts/runtimes). The harnesses build
 * one instance per entry of `MANIFESTS` from test/hosts/cases.ts; each
 * adversarial test file swaps that module for one whose `MANIFESTS` also holds
 * these (see `vi.mock` at the top of hostile.*.test.ts). Every instance serves
 * the files of test/hosts/site/, so a marker names the file that was served.
 *
 * - `hostile`: the main site with two more audience values whose rules read the
 *   Referer (`press`) and Accept-Language (`kiosk`), pointed at files that
 *   exist, so hostile values of those headers can be told apart from the
 *   default; `kiosk` has a `k` for the Kelvin-sign look-alike; debug is on, so
 *   every response also carries X-Segments.
 * - `badhash`: variant entries that are not content hashes (path traversal, a
 *   file name, upper case) or that name the manifest itself.
 * - `version2`: a manifest of a version this router does not know.
 */
import type { Manifest } from '@astro-segments/edge';

export type ExtraSite = 'hostile' | 'badhash' | 'version2';

export function extraManifests(main: Manifest): Record<ExtraSite, Manifest> {
  const [audience, ...others] = main.dimensions;
  const hostile: Manifest = {
    ...main,
    debug: true,
    dimensions: [
      {
        ...audience!,
        values: [
          ...audience!.values.filter((value) => value.name !== 'press'),
          { name: 'press', rules: [{ referrer: { suffix: 'news.example' } }] },
          { name: 'kiosk', rules: [{ language: { is: ['tr'] } }] },
        ],
      },
      ...others,
    ],
    routes: {
      ...main.routes,
      // Existing files with their own markers: press → offers-na, kiosk → offers-eu.
      '/pricing': { dims: ['audience'], variants: { customer: 'c0ffee01', partner: 'pa2tner01', press: 'a0a0a0a0', kiosk: 'e0e0e0e0' } },
    },
  };
  const badhash = {
    ...main,
    routes: {
      ...main.routes,
      '/pricing': {
        dims: ['audience'],
        variants: { customer: '../../../../../../etc/passwd', partner: 'PA2TNER01', press: 'c0ffee01.html' },
      },
      '/offers': { dims: ['region'], variants: { eu: 'manifest', na: 'a0a0a0a0/../e0e0e0e0' } },
    },
  } as Manifest;
  const version2 = { ...main, version: 2 } as unknown as Manifest;
  return { hostile, badhash, version2 };
}

/** The test/hosts/cases.ts module with the extra instances added to `MANIFESTS`. */
export function withExtraSites<T extends { MANIFEST: Manifest; MANIFESTS: Readonly<Record<string, Manifest>> }>(cases: T): T {
  return { ...cases, MANIFESTS: { ...cases.MANIFESTS, ...extraManifests(cases.MANIFEST) } };
}
