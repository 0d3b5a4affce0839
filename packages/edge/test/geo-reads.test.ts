/**
 * The privacy contract on the platforms' own geo: each adapter reads the
 * country and nothing else of what the platform knows about the connection
 * (city, region, postal code, coordinates, time zone, network). The geo objects
 * hand over all of it, and every property read is recorded.
 */
import { describe, expect, it } from 'vitest';
import { cloudflareWorker } from '../src/cloudflare.ts';
import { netlifyHandler } from '../src/netlify.ts';
import { vercelMiddleware } from '../src/vercel.ts';
import { manifest } from './fixture.ts';

/** `value`, with every property read at any depth recorded as its path (`country.code`). */
function watched<T extends object>(value: T, read: string[], path = ''): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      const found = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return found;
      read.push(path + key);
      return typeof found === 'object' && found !== null ? watched(found, read, `${path}${key}.`) : found;
    },
  });
}

/** All a platform tells about the connection's place, as Netlify's `context.geo` shapes it. */
const netlifyGeo = () => ({
  city: 'Hamburg',
  country: { code: 'DE', name: 'Germany' },
  subdivision: { code: 'HH', name: 'Hamburg' },
  postalCode: '20095',
  timezone: 'Europe/Berlin',
  latitude: 53.55,
  longitude: 9.99,
});

/** The same as Cloudflare's `request.cf` shapes it. */
const cloudflareCf = () => ({
  country: 'DE',
  city: 'Hamburg',
  region: 'Hamburg',
  regionCode: 'HH',
  postalCode: '20095',
  latitude: '53.55',
  longitude: '9.99',
  timezone: 'Europe/Berlin',
  continent: 'EU',
  asn: 3320,
  colo: 'HAM',
});

const page = () => new Response('<p>page</p>', { headers: { 'content-type': 'text/html' } });

describe('the adapters read the country of the platform geo and nothing else', () => {
  it('Netlify: context.geo.country.code', async () => {
    const read: string[] = [];
    const context = { geo: watched(netlifyGeo(), read), next: async () => page() };
    const response = await netlifyHandler(manifest)(new Request('https://shop.example/pricing'), context);
    expect(response.status).toBe(200);
    expect(read).toContain('country.code');
    expect(read.filter((path) => path !== 'country' && path !== 'country.code')).toEqual([]);
  });

  it('Cloudflare: request.cf.country', async () => {
    const read: string[] = [];
    const request = new Request('https://shop.example/pricing');
    Object.defineProperty(request, 'cf', { value: watched(cloudflareCf(), read) });
    const response = await cloudflareWorker(manifest).fetch(request, { ASSETS: { fetch: async () => page() } });
    expect(response.status).toBe(200);
    expect(read).toContain('country');
    expect(read.filter((path) => path !== 'country')).toEqual([]);
  });

  it('Vercel: the x-vercel-ip-country header, and no other header of its proxy', () => {
    const read: string[] = [];
    const headers = new Headers({
      'x-vercel-ip-country': 'DE',
      'x-vercel-ip-city': 'Hamburg',
      'x-vercel-ip-country-region': 'HH',
      'x-vercel-ip-latitude': '53.55',
      'x-vercel-ip-longitude': '9.99',
      'x-vercel-ip-postal-code': '20095',
      'x-vercel-ip-timezone': 'Europe/Berlin',
      'x-real-ip': '203.0.113.7',
      'x-forwarded-for': '203.0.113.7',
    });
    const request = new Proxy(new Request('https://shop.example/pricing', { headers }), {
      get(target, key) {
        if (key === 'headers') return { get: (name: string) => (read.push(name.toLowerCase()), headers.get(name)) };
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    vercelMiddleware(manifest)(request);
    expect(read).toContain('x-vercel-ip-country');
    expect(read.filter((name) => name.startsWith('x-vercel-ip-') || name.includes('ip') || name.includes('forwarded'))).toEqual(['x-vercel-ip-country']);
  });
});
