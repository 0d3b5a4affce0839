/**
 * A large site's manifest is inlined into the host bundle as a JSON string that the
 * Worker parses at start (faster to start than an object literal), but for its routes:
 * one string, the route table, that is searched and never parsed (@astro-segments/edge's
 * packed.ts); a small one stays a literal, routes as objects. Either way the bundle
 * decides the same. The Cloudflare bundle runs here
 * in Node's V8 (the engine workerd runs) with a stand-in for its `ASSETS` binding that
 * answers with the path it was asked for: what is under test is the inlined manifest,
 * not the host (the conformance table runs the same bundles in workerd).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Manifest } from '@astro-segments/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest as small } from '../../packages/edge/test/fixture.ts';
import { bundleEntry } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';

interface Worker {
  fetch(request: Request, env: { ASSETS: { fetch(request: Request): Promise<Response> } }): Promise<Response>;
}

/** The fixture's site with 400 more personalized pages, each like /pricing. */
const large: Manifest = {
  ...small,
  routes: { ...small.routes, ...Object.fromEntries(Array.from({ length: 400 }, (_, n) => [`/p/${n}`, small.routes['/pricing']!])) },
};

let folder: string;
const workers = new Map<string, { code: string; worker: Worker }>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'segments-large-manifest-'));
  for (const [name, manifest] of [
    ['small', small],
    ['large', large],
  ] as const) {
    const code = await bundleEntry('cloudflare', manifest);
    const file = join(folder, `${name}.mjs`);
    await writeFile(file, code);
    workers.set(name, { code, worker: (await import(pathToFileURL(file).href)).default as Worker });
  }
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** What the Worker serves for a customer in the EU: the path it asked ASSETS for. */
async function served(name: string, path: string): Promise<{ asked: string; cacheControl: string | null }> {
  const request = new Request(`https://shop.example${path}`, { headers: { cookie: 'session=1' } });
  Object.defineProperty(request, 'cf', { value: { country: 'DE' } });
  const response = await workers.get(name)!.worker.fetch(request, { ASSETS: { fetch: async (asked) => new Response(new URL(asked.url).pathname) } });
  return { asked: await response.text(), cacheControl: response.headers.get('cache-control') };
}

describe('the manifest inlined into a host bundle', () => {
  it('is a JSON string parsed at start for a large site, and an object literal for a small one', () => {
    expect(workers.get('large')!.code).toContain('JSON.parse(');
    expect(workers.get('small')!.code).not.toContain('JSON.parse(');
  });

  it('holds a large site’s routes in one table outside the parsed JSON, and only its router carries the search', () => {
    const code = workers.get('large')!.code;
    // One plain string literal after the parsed JSON: each route its key, U+001F, the route packed, U+001E, sorted by key.
    const from = code.indexOf('routes:{"":"') + 'routes:{"":"'.length;
    expect(from).toBeGreaterThan(code.indexOf('JSON.parse('));
    expect(code.slice(code.indexOf('JSON.parse('), from)).not.toContain('/p/399');
    const entries = code.slice(from, code.indexOf('"', from)).split('\x1e');
    expect(entries.pop()).toBe('');
    // As the bundle writes them (esbuild escapes the `é` of `/café`): the plain keys, in their order.
    const ascii = (keys: string[]) => keys.filter((key) => /^[\w/.-]*$/.test(key));
    const keys = entries.map((entry) => entry.split('\x1f')[0]!);
    expect(keys).toHaveLength(Object.keys(large.routes).length);
    expect(ascii(keys)).toEqual(ascii(Object.keys(large.routes).sort()));
    expect(keys).toContain('/p/399');
    for (const entry of entries) expect(entry.split('\x1f')[1]).toMatch(/^\d+(\.\d+)*;[^;]*$/);
    // The search's tells: looking for the end of an entry, and a route's dimension positions read back as numbers.
    for (const tell of ['indexOf("\x1e",', 'split(".").map(Number)']) {
      expect(code).toContain(tell);
      expect(workers.get('small')!.code).not.toContain(tell);
    }
  });

  it('refuses a large site’s page whose path holds a separator of the route table, naming it', async () => {
    const odd: Manifest = { ...large, routes: { ...large.routes, '/p/a\x1eb': small.routes['/pricing']! } };
    await expect(bundleEntry('cloudflare', odd)).rejects.toThrow(/"\/p\/a\\u001eb" cannot be routed: its path holds the control character U\+001E or U\+001F/);
    // A small site's bundle packs nothing, so nothing is refused there.
    await expect(bundleEntry('cloudflare', { ...small, routes: { ...small.routes, '/a\x1eb': small.routes['/pricing']! } })).resolves.toContain('/a\x1eb');
  });

  it('decides the same either way, on the pages both have and on the large one’s own', async () => {
    const fromSmall = await served('small', '/pricing');
    expect(fromSmall.asked).toMatch(/^\/_segments\/[a-z0-9]+$/);
    expect(fromSmall.cacheControl).toContain('private');
    expect(await served('large', '/pricing')).toEqual(fromSmall);
    expect(await served('large', '/p/399')).toEqual(fromSmall);
    expect((await served('large', '/about')).asked).toBe('/about');
  });
});
