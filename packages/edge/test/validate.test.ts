/**
 * The manifest check the build runs before writing manifest.json and the Node
 * server runs when it reads one: the router's own numbering of a page's
 * combinations (compile.ts) relies on what it guarantees.
 */
import { describe, expect, it } from 'vitest';
import { manifestProblems, usableManifest } from '../src/validate.ts';
import { HASH, manifest } from './fixture.ts';

describe('manifestProblems', () => {
  it('finds none in a manifest as the build writes it', () => {
    expect(manifestProblems(manifest)).toEqual([]);
    expect(usableManifest(JSON.parse(JSON.stringify(manifest)))).toBeDefined();
  });

  it('refuses a dimension declared twice (a value would then have two positions)', () => {
    const audience = manifest.dimensions.find((dimension) => dimension.name === 'audience')!;
    const twice = { ...manifest, dimensions: [...manifest.dimensions, { ...audience, values: [{ name: 'other', rules: [] }], default: 'other' }] };
    expect(manifestProblems(twice)).toContain('audience: declared twice');
    expect(usableManifest(twice)).toBeUndefined();
  });

  it('refuses a variant whose key does not match its dimensions, or that is not a content hash', () => {
    const routes = {
      '/a': { dims: ['audience', 'region'], variants: { customer: HASH.customer_eu } },
      '/b': { dims: ['audience'], variants: { nobody: HASH.customer_eu } },
      '/c': { dims: ['audience'], variants: { customer: '../../etc/passwd' } },
    };
    expect(manifestProblems({ ...manifest, routes })).toEqual([
      '/a: variant key "customer" does not match its dimensions',
      '/b: variant key "nobody" does not match its dimensions',
      '/c: variant "customer" is not a content hash',
    ]);
  });
});
