/**
 * `usedFeatures`: the flags a host bundle is built with (uses.ts). A part is off
 * only when no rule of the manifest uses it; test/hosts/size.test.ts checks
 * that an off part is really left out of the bundle.
 */
import { describe, expect, it } from 'vitest';
import { usedFeatures } from '../src/features.ts';
import type { Manifest } from '../src/index.ts';
import { manifest, withDebug } from './fixture.ts';

describe('usedFeatures', () => {
  it('names the signals, tests and matchers the rules use, and debug', () => {
    expect(usedFeatures(manifest)).toEqual({
      DEBUG: false,
      UTM: true,
      REFERRER: true,
      LANGUAGE: true,
      COOKIE: true,
      DATES: true,
      IS: true,
      PREFIX: true,
      SUFFIX: true,
      DOMAIN: false,
    });
    expect(usedFeatures(withDebug()).DEBUG).toBe(true);
  });

  it('turns off what a site never uses', () => {
    const plain: Manifest = {
      ...manifest,
      dimensions: [
        {
          name: 'audience',
          default: 'p',
          values: [
            { name: 'c', rules: [{ referrer: { domain: 'example.com' } }] },
            { name: 'p', rules: [] },
          ],
        },
      ],
    };
    expect(usedFeatures(plain)).toEqual({
      DEBUG: false,
      UTM: false,
      REFERRER: true,
      LANGUAGE: false,
      COOKIE: false,
      DATES: false,
      IS: false,
      PREFIX: false,
      SUFFIX: false,
      DOMAIN: true,
    });
  });

  it('keeps every part for a manifest it cannot read', () => {
    expect(Object.values(usedFeatures({ ...manifest, dimensions: null } as unknown as Manifest)).every(Boolean)).toBe(true);
  });
});
