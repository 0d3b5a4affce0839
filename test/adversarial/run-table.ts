/**
 * Runs the hostile and fault tables against one runtime harness from
 * test/hosts/runtimes, with the conformance suite's planted-secret privacy
 * check, plus the invariants every answer must keep whatever the case:
 * - never a 5xx (personalization never causes an error page);
 * - the expected page, Set-Cookie (exactly) and Cache-Control;
 * - a body that is byte-for-byte one of the built site's files (or empty):
 *   never generated HTML, never a file from outside the site;
 * - a redirect, if the host makes one, to the same origin;
 * - X-Segments only where debug is on, and then only declared names and
 *   fixed words;
 * - nothing from the request in any header or the body (except the Location
 *   of a redirect the host itself makes for a path the router leaves alone);
 * - no fetch and no console call by the router.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFESTS, plant, SITE_DIR, type Case, type PlantedRequest, type Runtime, type RuntimeId, type SiteName } from '../hosts/cases.ts';
import { FAULTS } from './fault-cases.ts';
import { HOSTILE, UNTOUCHED, type HostileCase } from './hostile-cases.ts';
import type { ExtraSite } from './sites.ts';

export type Site = SiteName | ExtraSite;

function siteFiles(dir: string, into = new Set<string>()): Set<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) siteFiles(path, into);
    else into.add(readFileSync(path, 'utf8'));
  }
  return into;
}

/** `{token}` in the URL and header values becomes the run's secret. */
export function plantHostile(c: HostileCase, token: string): PlantedRequest {
  const fill = (text: string) => text.replaceAll('{token}', token);
  const headers = Object.fromEntries(Object.entries(c.headers ?? {}).map(([name, value]) => [name, fill(value)]));
  const planted = plant({ ...c, url: fill(c.url), headers, method: undefined, site: undefined } as Case, token);
  return { ...planted, method: c.method ?? 'GET', site: (c.site ?? 'main') as SiteName };
}

/** X-Segments as the router writes it: `dim=value (reason)` pairs from declared names only. */
function explanationPattern(site: Site): RegExp {
  const manifest = (MANIFESTS as Readonly<Record<string, (typeof MANIFESTS)['main']>>)[site]!;
  const pairs = manifest.dimensions.map((d) => `${d.name}=(?:${d.values.map((v) => v.name).join('|')})`).join('|');
  const pair = `(?:${pairs}) \\((?:default|bot|preview|reset|choice|cookie|gpc|dnt|rule \\d+)\\)`;
  return new RegExp(`^${pair}(?:; ${pair})*$`);
}

export interface TableOptions {
  /** The router runs in this process: check that no request polluted Object.prototype. */
  readonly inProcess?: boolean;
}

/** Every case of both tables, labelled. */
export const TABLE: readonly (readonly [label: string, c: HostileCase])[] = [
  ...HOSTILE.map((c) => [`hostile › ${c.name}`, c] as const),
  ...FAULTS.map((c) => [`faults › ${c.name}`, c] as const),
];

const FILES = siteFiles(SITE_DIR);

/** Send one case through a runtime and check everything it must keep. Throws on the first broken promise. */
export async function checkCase(id: RuntimeId, runtime: Runtime, c: HostileCase, token: string): Promise<void> {
  const expected = { ...c.expect, ...c.differs?.[id] };
  const request = plantHostile(c, token);
  const answer = await runtime.fetch(request);
  const body = answer.body;
  expect(answer.status, 'never a 5xx').toBeLessThan(500);
  const found = body === '' ? null : (body.match(/marker:([\w-]+)/)?.[1] ?? body.trim().slice(0, 80));
  expect({ status: answer.status, marker: found, setCookie: answer.headers.getSetCookie() }).toEqual({
    status: expected.status,
    marker: expected.marker,
    setCookie: expected.setCookie === null ? [] : [expected.setCookie],
  });
  const cacheControl = answer.headers.get('cache-control');
  if (expected.cacheControl === UNTOUCHED) expect(cacheControl ?? '').not.toMatch(/private/);
  else expect(cacheControl).toBe(expected.cacheControl);
  // Only the site's own files: a 200 or 404 body is one of them, whole.
  if (body !== '' && (answer.status === 200 || answer.status === 404)) expect(FILES.has(body), 'the body is a built file, unchanged').toBe(true);
  // A redirect (only ever the host's own, for paths the router leaves alone) stays on the site.
  const location = answer.headers.get('location');
  if (location !== null) {
    expect(answer.status).toBeGreaterThanOrEqual(300);
    expect(new URL(location, request.url).origin).toBe(new URL(request.url).origin);
  }
  const site = (c.site ?? 'main') as Site;
  const explanation = answer.headers.get('x-segments');
  if (MANIFESTS[site as SiteName]?.debug && /private/.test(cacheControl ?? '')) expect(explanation).toMatch(explanationPattern(site));
  else expect(explanation).toBeNull();
  // Privacy, as in the conformance table. One exemption: a redirect the host makes on its own
  // for a path the router leaves alone (Cloudflare's asset layer echoes path and query in it).
  const hostRedirect = expected.cacheControl === UNTOUCHED && answer.status >= 300 && answer.status < 400;
  const headers = [...answer.headers].filter(([k]) => !(hostRedirect && k === 'location'));
  const everything = `${headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${body}`;
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(token.slice(0, 8));
  expect(runtime.violations?.() ?? []).toEqual([]);
}

export function adversarial(id: RuntimeId, name: string, start: () => Promise<Runtime>, options: TableOptions = {}): void {
  describe(`adversarial: ${name}`, () => {
    const token = randomBytes(16).toString('hex');
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    let runtime: Runtime;
    beforeAll(async () => {
      runtime = await start();
    });
    afterAll(async () => {
      await runtime?.stop();
    });

    it.each(TABLE)('%s', (_, c) => checkCase(id, runtime, c, token));

    if (options.inProcess) {
      it('leaves Object.prototype untouched after every hostile request (no prototype pollution)', () => {
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype.toString.call({})).toBe('[object Object]');
      });
    }
  });
}
