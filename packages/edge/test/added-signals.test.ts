/**
 * Issue 11's router items and the per-site bundle's input: GPC/DNT sent twice,
 * the `domain` matcher, the named-cookie lookup, and which optional modules a
 * manifest needs.
 */
import { describe, expect, it } from 'vitest';
import { cookieValue } from '../src/cookie.ts';
import { unusedModules } from '../src/features.ts';
import type { Manifest } from '../src/index.ts';
import { decided, manifest, oneDimension, signals } from './fixture.ts';

describe('Sec-GPC and DNT sent more than once', () => {
  it.each(['0, 1', '1, 0', '1, 1', '1,1', ' 0 ,  1 '])('reads %j (two headers joined) as on', (value) => {
    expect(signals('/', { headers: { 'sec-gpc': value } }).gpc).toBe(true);
    expect(signals('/', { headers: { dnt: value } }).dnt).toBe(true);
  });

  it.each(['0, 0', '0', '11, 0', 'true, 0', ''])('reads %j as off', (value) => {
    expect(signals('/', { headers: { 'sec-gpc': value } }).gpc).toBe(false);
  });

  it('infers nothing when GPC is on among several values', () => {
    expect(decided('/', { headers: { 'sec-gpc': '0, 1', cookie: 'session=1' } }).values).toEqual({ audience: 'prospect' });
  });
});

describe('the domain matcher', () => {
  const m: Manifest = oneDimension([{ referrer: { domain: 'producthunt.com' } }]);
  const from = (referer: string) => decided('/', { headers: { referer } }, m).values.x;

  it('matches the domain itself and its subdomains', () => {
    expect(from('https://producthunt.com/posts/x')).toBe('on');
    expect(from('https://www.producthunt.com/')).toBe('on');
    expect(from('https://a.b.PRODUCTHUNT.com/')).toBe('on');
  });

  it('never matches a host that only ends with the same letters, or has it elsewhere', () => {
    expect(from('https://evilproducthunt.com/')).toBe('off');
    expect(from('https://producthunt.com.evil.test/')).toBe('off');
    expect(from('https://evil.test/producthunt.com')).toBe('off');
  });
});

describe('cookieValue', () => {
  it('finds a named cookie as the whole-header parse did: first occurrence, trimmed, exact name', () => {
    expect(cookieValue('a=1; session=abc; b=2', 'session')).toBe('abc');
    expect(cookieValue('session=first; session=second', 'session')).toBe('first');
    expect(cookieValue('  session  =  x  ', 'session')).toBe('x');
    expect(cookieValue('xsession=1; session2=1; a=session', 'session')).toBeUndefined();
    expect(cookieValue('session', 'session')).toBeUndefined();
    expect(cookieValue('session=', 'session')).toBe('');
  });
});

describe('unusedModules: the optional parts a host bundle can leave out', () => {
  it('leaves out language parsing without a language rule and Referer parsing without a referrer rule', () => {
    expect(unusedModules(manifest)).toEqual([]);
    const plain: Manifest = {
      ...manifest,
      dimensions: [
        {
          name: 'audience',
          default: 'p',
          values: [
            { name: 'c', rules: [{ cookie: 's' }] },
            { name: 'p', rules: [] },
          ],
        },
      ],
    };
    expect(unusedModules(plain)).toEqual(['language.ts', 'referrer.ts']);
  });

  it('keeps everything for a manifest it cannot read', () => {
    expect(unusedModules({ ...manifest, dimensions: null } as unknown as Manifest)).toEqual([]);
  });
});
