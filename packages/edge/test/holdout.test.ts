/**
 * Holdouts: who gets a group, what the group cookie may hold, that it is set once
 * and never renewed, that control gets nothing inferred, that the share holds,
 * and that nothing from the request reaches the cookie. Randomness is injected:
 * every draw here is deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decideUnguarded } from '../src/decide.ts';
import { decide, holdout, serve, type Decision, type Host, type Manifest } from '../src/index.ts';
import { netlifyHandler } from '../src/netlify.ts';
import { cloudflareWorker } from '../src/cloudflare.ts';
import { vercelMiddleware } from '../src/vercel.ts';
import { HASH, declaredPairs, manifest, request, signals, variant, withDebug, type Req } from './fixture.ts';
import { seededRandom } from '../../../test/utils/seeded-random.ts';

const HOLDOUT = { share: 0.25, consent: 'consent', cookie: 'segment_group', maxAge: 7_776_000 } as const;
const held: Manifest = { ...manifest, holdout: HOLDOUT };
const heldDebug: Manifest = { ...withDebug(), holdout: HOLDOUT };
const GROUP_COOKIE = /^segment_group=(control|treatment); Path=\/; Max-Age=7776000; SameSite=Lax(; Secure)?$/;
const CHOICE_COOKIE = /^(__Host-)?segment=[^;]*; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax(; Secure)?$/;

/** A `random` that must not be called. */
const never = () =>
  vi.fn((): number => {
    throw new Error('random was called');
  });
/** A `random` that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return vi.fn(() => values[i++ % values.length]!);
};

const decideHeld = (path: string, opts: Req = {}, random: () => number = never(), m: Manifest = held) => holdout(random)(signals(path, opts, m), m);
function held1(path: string, opts: Req = {}, random: () => number = never(), m: Manifest = held): Decision {
  const d = decideHeld(path, opts, random, m);
  if (!d) throw new Error(`expected a decision for ${path}`);
  return d;
}
const withCookie = (cookie: string, more: Req = {}): Req => ({ ...more, headers: { ...more.headers, cookie } });

describe('holdout: who is grouped', () => {
  it('draws a visitor with the consent cookie and no group, and stores the group once', () => {
    const control = held1('/pricing', withCookie('consent=1'), sequence(0.1));
    expect(control.setCookie).toBe('segment_group=control; Path=/; Max-Age=7776000; SameSite=Lax; Secure');
    expect(control.headers['Cache-Control']).toBe('private, no-store');
    const treatment = held1('/pricing', withCookie('consent=1'), sequence(0.9));
    expect(treatment.setCookie).toBe('segment_group=treatment; Path=/; Max-Age=7776000; SameSite=Lax; Secure');
    // Over plain HTTP: not Secure (and, like the choice cookie's name, not __Host- either).
    expect(held1('/pricing', withCookie('consent=1', { https: false }), sequence(0.9)).setCookie).toBe(
      'segment_group=treatment; Path=/; Max-Age=7776000; SameSite=Lax',
    );
  });

  it('never groups without the consent cookie (its value is never read, only its presence)', () => {
    for (const cookie of ['', 'session=1', 'consentx=1', 'xconsent=1', 'Consent=1', 'segment_group=control', 'session=1; segment_group=treatment']) {
      const random = never();
      const opts = withCookie(cookie, { platform: { country: 'de' } });
      expect(decideHeld('/pricing', opts, random)).toEqual(decide(signals('/pricing', opts, held), held));
      expect(random).not.toHaveBeenCalled();
    }
    // Presence is enough, whatever the value.
    expect(held1('/pricing', withCookie('consent='), sequence(0.9)).setCookie).toMatch(GROUP_COOKIE);
  });

  it('never groups under GPC or DNT, even with consent and a stored group', () => {
    for (const policy of [{ 'sec-gpc': '1' }, { dnt: '1' }] as Record<string, string>[]) {
      for (const cookie of ['consent=1; session=1', 'consent=1; session=1; segment_group=control', 'consent=1; session=1; segment_group=treatment']) {
        const random = never();
        const opts: Req = { headers: { ...policy, cookie }, platform: { country: 'de' } };
        const d = held1('/pricing', opts, random, heldDebug);
        expect(d).toEqual(decide(signals('/pricing', opts, heldDebug), heldDebug));
        expect(d.setCookie).toBeUndefined();
        expect(d.headers['X-Segments']).not.toContain('holdout');
        expect(random).not.toHaveBeenCalled();
      }
    }
  });

  it('never groups a crawler', () => {
    for (const cookie of ['consent=1', 'consent=1; segment_group=control', 'consent=1; segment_group=bogus']) {
      const random = never();
      const opts = withCookie(cookie, { headers: { 'user-agent': 'Googlebot/2.1' } });
      const d = held1('/?segment=customer', opts, random);
      expect(d.setCookie).toBeUndefined();
      expect(d).toEqual(decide(signals('/?segment=customer', opts, held), held));
      expect(random).not.toHaveBeenCalled();
    }
  });

  it('leaves requests the router does not own alone, drawing nothing', () => {
    const random = never();
    expect(decideHeld('/about', withCookie('consent=1'), random)).toBeNull();
    expect(decideHeld('/pricing', withCookie('consent=1', { method: 'POST' }), random)).toBeNull();
    expect(random).not.toHaveBeenCalled();
  });

  it('is the plain router when the manifest has no holdout', () => {
    const random = never();
    for (const path of ['/', '/pricing?segment=eu', '/launch?utm_campaign=spring-sale']) {
      const opts = withCookie('consent=1; session=1');
      expect(holdout(random)(signals(path, opts), manifest)).toEqual(decide(signals(path, opts), manifest));
    }
    expect(random).not.toHaveBeenCalled();
  });
});

describe('holdout: the group cookie', () => {
  it('keeps a stored group as it is: no Set-Cookie, no draw (never renewed)', () => {
    for (const group of ['control', 'treatment']) {
      const random = never();
      const d = held1('/pricing', withCookie(`consent=1; segment_group=${group}`), random);
      expect(d.setCookie).toBeUndefined();
      expect(d.headers['Cache-Control']).toBe('private, no-cache');
      expect(random).not.toHaveBeenCalled();
    }
  });

  it('replaces a malformed group cookie with a new draw', () => {
    // (Whitespace around a value is not part of it: ` control ` is `control`.)
    for (const bad of ['', 'Control', 'CONTROL', '"control"', 'control|treatment', 'control treatment', 'holdout', 'treatment2', 'c%6Fntrol']) {
      const random = sequence(0.1);
      const d = held1('/pricing', withCookie(`consent=1; segment_group=${bad}`), random);
      expect(d.setCookie, bad).toBe('segment_group=control; Path=/; Max-Age=7776000; SameSite=Lax; Secure');
      expect(random).toHaveBeenCalledTimes(1);
    }
  });

  it('defers the draw on a request that stores a choice: one Set-Cookie, ungrouped this once', () => {
    const random = never();
    const opts = withCookie('consent=1', { platform: { country: 'de' } });
    const d = held1('/pricing?segment=customer', opts, random);
    expect(d).toEqual(decide(signals('/pricing?segment=customer', opts, held), held));
    expect(d.setCookie).toMatch(CHOICE_COOKIE);
    expect(held1('/pricing?segment=reset', opts, random).setCookie).toMatch(/^__Host-segment=; .*Max-Age=0/);
    expect(random).not.toHaveBeenCalled();
    // The next page without a choice draws.
    expect(held1('/pricing', withCookie('consent=1; __Host-segment=audience:customer'), sequence(0.5)).setCookie).toMatch(GROUP_COOKIE);
  });

  it('holds only `control` or `treatment`, and never anything from the request', () => {
    // A visitor, not a crawler (a user agent naming a bot gets no group): no crawler word in the token.
    const token = fc
      .stringMatching(/^[a-z0-9]{10,20}$/)
      .filter((t) => !'segment_group control treatment path max-age samesite lax secure'.includes(t) && !/bot|crawl|spider|externalhit/.test(t));
    fc.assert(
      fc.property(token, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.boolean(), (t, r, https) => {
        const opts: Req = {
          https,
          headers: {
            cookie: `consent=${t}; segment_group=${t}; session=${t}; ${t}=${t}`,
            referer: `https://${t}.example/${t}`,
            'accept-language': `${t.slice(0, 8).replace(/\d/g, 'a')}`,
            'user-agent': `Mozilla/5.0 ${t}`,
          },
          platform: { country: 'de' },
        };
        const d = held1(`/pricing?utm_source=${t}&segment-preview=${t}&${t}=${t}`, opts, () => r, heldDebug);
        expect(d.setCookie).toMatch(GROUP_COOKIE);
        expect(d.setCookie!.includes(t)).toBe(false);
        for (const value of Object.values(d.headers)) expect(value.includes(t)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('holdout: control gets nothing inferred', () => {
  const inferred: Req = withCookie('consent=1; session=1; segment_group=control', {
    platform: { country: 'de' },
    headers: { referer: 'https://www.shop.eu/' },
  });

  it('serves defaults for inferred dimensions, says `holdout` in the debug header', () => {
    const d = held1('/pricing', inferred, never(), heldDebug);
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
    expect(d.path).toBeNull();
    expect(d.headers['X-Segments']).toBe('audience=prospect (holdout); region=other (holdout)');
    // The same visitor in treatment: the rules apply.
    const t = held1('/pricing', withCookie('consent=1; session=1; segment_group=treatment', { platform: { country: 'de' } }), never(), heldDebug);
    expect(t.values).toEqual({ audience: 'customer', region: 'eu' });
    expect(t.path).toBe(variant(HASH.customer_eu));
    expect(t.headers['X-Segments']).toBe('audience=customer (rule 1); region=eu (rule 1)');
  });

  it('applies to a freshly drawn visitor on that very response', () => {
    const d = held1('/pricing', withCookie('consent=1; session=1', { platform: { country: 'de' } }), sequence(0), heldDebug);
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
    expect(d.setCookie).toMatch(/^segment_group=control;/);
    expect(d.headers['X-Segments']).toBe('audience=prospect (holdout); region=other (holdout)');
  });

  it('keeps an explicit choice, stored or made now, and a preview', () => {
    const stored = held1(
      '/pricing',
      { ...inferred, headers: { ...inferred.headers, cookie: `${inferred.headers!.cookie}; __Host-segment=audience:partner` } },
      never(),
      heldDebug,
    );
    expect(stored.values).toEqual({ audience: 'partner', region: 'other' });
    expect(stored.headers['X-Segments']).toBe('audience=partner (cookie); region=other (holdout)');
    expect(stored.setCookie).toBeUndefined();

    const chosen = held1('/pricing?segment=eu', inferred, never(), heldDebug);
    expect(chosen.values).toEqual({ audience: 'prospect', region: 'eu' });
    expect(chosen.path).toBe(variant(HASH.prospect_eu));
    expect(chosen.setCookie).toBe('__Host-segment=region:eu; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure');
    expect(chosen.headers['X-Segments']).toBe('audience=prospect (holdout); region=eu (choice)');

    expect(held1('/pricing?segment-preview=customer', inferred, never()).values).toEqual({ audience: 'customer', region: 'other' });
  });

  const requestInput = fc.record({
    path: fc.constantFrom('/', '/pricing', '/launch', '/docs/regions', '/caf%C3%A9'),
    query: fc.constantFrom(
      '',
      '?segment=customer',
      '?segment=region:eu',
      '?segment=reset',
      '?segment-preview=partner',
      '?utm_source=partner-portal',
      '?utm_campaign=spring-sale&utm_medium=cpc',
    ),
    cookie: fc.constantFrom('', 'session=1', '__Host-segment=audience:partner', 'session=1; __Host-segment=region:uk'),
    referer: fc.constantFrom('', 'https://www.shop.eu/', 'https://news.example-news.com/x'),
    language: fc.constantFrom('', 'en', 'de'),
    country: fc.constantFrom(undefined, 'de', 'us', 'gb'),
    https: fc.boolean(),
  });
  const opts = (i: typeof requestInput extends fc.Arbitrary<infer T> ? T : never, group: string): Req => ({
    https: i.https,
    headers: {
      cookie: `consent=1; segment_group=${group}; ${i.cookie}`,
      ...(i.referer && { referer: i.referer }),
      ...(i.language && { 'accept-language': i.language }),
    },
    platform: { country: i.country },
  });

  it('control is exactly the GPC policy, with `holdout` as the reason; treatment is the plain router', () => {
    fc.assert(
      fc.property(requestInput, (i) => {
        const url = i.path + i.query;
        const s = signals(url, opts(i, 'control'), heldDebug);
        const asGpc = decide({ ...s, gpc: true }, heldDebug);
        const control = holdout(never())(s, heldDebug);
        expect(control).toEqual(
          asGpc && { ...asGpc, headers: { ...asGpc.headers, 'X-Segments': asGpc.headers['X-Segments']!.replaceAll('(gpc)', '(holdout)') } },
        );
        for (const [dim, value] of Object.entries(control?.values ?? {})) expect(declaredPairs.has(`${dim}:${value}`)).toBe(true);
        const t = signals(url, opts(i, 'treatment'), heldDebug);
        expect(holdout(never())(t, heldDebug)).toEqual(decide(t, heldDebug));
      }),
      { numRuns: 400 },
    );
  });
});

describe('holdout: the share', () => {
  it('sends exactly `share` of an evenly spread sequence to control', () => {
    const n = 10_000;
    let i = 0;
    const random = () => i++ / n;
    let control = 0;
    for (let k = 0; k < n; k++) if (held1('/pricing', withCookie('consent=1'), random).setCookie!.startsWith('segment_group=control;')) control++;
    expect(control).toBe(n * HOLDOUT.share);
  });

  it('stays within 4 standard deviations of `share` for a seeded generator, for several shares', () => {
    for (const share of [0.05, 0.1, 0.5, 0.9]) {
      const random = seededRandom(0x9e3779b9 ^ Math.round(share * 1000));
      const m: Manifest = { ...manifest, holdout: { ...HOLDOUT, share } };
      const decider = holdout(random);
      const n = 20_000;
      let control = 0;
      for (let k = 0; k < n; k++) {
        const d = decider(signals('/', withCookie('consent=1'), m), m)!;
        expect(d.setCookie).toMatch(GROUP_COOKIE);
        if (d.setCookie!.startsWith('segment_group=control;')) control++;
      }
      const sd = Math.sqrt(n * share * (1 - share));
      expect(Math.abs(control - n * share)).toBeLessThan(4 * sd);
    }
  });
});

describe('holdout: failures never reach the host', () => {
  const page = (body: string) => new Response(body, { headers: { 'content-type': 'text/html' } });
  const host = (): Host => ({ asset: async () => page('variant'), next: async () => page('default') });

  it('decideUnguarded may throw where decide gives null; serve and every adapter serve the default', async () => {
    // Corrupt: no routes object to look a path up in.
    const throwing = { ...held, routes: null } as unknown as Manifest;
    const req = () => request('/pricing', { headers: { cookie: 'consent=1' } });
    const s = signals('/pricing', withCookie('consent=1'), throwing);
    expect(() => decideUnguarded(s, throwing)).toThrow();
    expect(() => holdout(sequence(0.1))(s, throwing)).toThrow();
    expect(decide(s, throwing)).toBeNull();

    const res = await serve(req(), throwing, {}, host(), holdout(sequence(0.1)));
    expect(await res.text()).toBe('default');
    expect(res.headers.getSetCookie()).toEqual([]);
    const netlify = await netlifyHandler(throwing, holdout())(req(), { next: async () => page('default') });
    expect(await netlify.text()).toBe('default');
    const cloudflare = await cloudflareWorker(throwing, holdout()).fetch(req(), { ASSETS: { fetch: async () => page('default') } });
    expect(await cloudflare.text()).toBe('default');
    const vercel = vercelMiddleware(throwing, holdout())(req());
    expect(vercel.headers.get('x-middleware-next')).toBe('1');
    expect(vercel.headers.getSetCookie()).toEqual([]);
  });

  it('serve and the Vercel adapter never throw, with or without a holdout, on arbitrary manifests', async () => {
    const anyHoldout = fc.oneof(
      fc.constant(HOLDOUT),
      fc.anything(),
      fc.record({ share: fc.anything(), consent: fc.anything(), cookie: fc.anything(), maxAge: fc.anything() }),
    );
    const anyManifest = fc.oneof(
      fc.anything(),
      fc.record(Object.fromEntries(Object.entries(held).map(([k, v]) => [k, fc.oneof(fc.constant(v), fc.anything())]))),
      anyHoldout.map((h) => ({ ...held, holdout: h })),
    );
    const url = fc.constantFrom('/', '/pricing?segment=customer', '/pricing', '/caf%C3%A9', '/%E0%A4%A', '/about');
    await fc.assert(
      fc.asyncProperty(anyManifest, url, fc.boolean(), async (m, path, grouped) => {
        const req = request(path, { headers: { cookie: grouped ? 'consent=1; segment_group=control' : 'consent=1' } });
        for (const decider of [undefined, holdout(() => 0.5)]) {
          const res = await serve(req, m as Manifest, {}, host(), decider);
          expect(['default', 'variant']).toContain(await res.text());
          expect(() => vercelMiddleware(m as Manifest, decider)(req)).not.toThrow();
        }
      }),
      { numRuns: 500 },
    );
  });
});
