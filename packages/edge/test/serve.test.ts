import { describe, expect, it, vi } from 'vitest';
import { serve, type Host, type Manifest } from '../src/index.ts';
import { HASH, manifest, request, variant, withDebug } from './fixture.ts';

/** A host whose storage holds the given files; `next()` serves the public URL's own file. */
function host(files: Record<string, Response | (() => Response | Promise<Response>)> = {}) {
  const h = {
    asset: vi.fn(async (path: string): Promise<Response> => {
      const f = files[path];
      if (!f) return new Response('missing', { status: 404 });
      return typeof f === 'function' ? f() : f;
    }),
    next: vi.fn(async () => new Response('default page', { headers: { 'content-type': 'text/html', etag: '"default"' } })),
  } satisfies Host;
  return h;
}

const page = (body: string) => new Response(body, { headers: { 'content-type': 'text/html', 'cache-control': 'public, max-age=31536000, immutable' } });
const CUSTOMER = variant(HASH.home_customer);
const setCookies = (res: Response) => res.headers.getSetCookie();

describe('serve', () => {
  it('hands requests the router does not own to the host untouched', async () => {
    const h = host();
    const untouched = new Response('x');
    h.next.mockResolvedValueOnce(untouched);
    const res = await serve(request('/about?segment=customer'), manifest, {}, h);
    expect(res).toBe(untouched);
    expect(h.asset).not.toHaveBeenCalled();
    expect(setCookies(res)).toEqual([]);
  });

  it('serves the variant file with the decision’s headers and cookie', async () => {
    const h = host({ [CUSTOMER]: page('customer page') });
    const res = await serve(request('/?segment=customer'), manifest, {}, h);
    expect(h.asset).toHaveBeenCalledWith(CUSTOMER);
    expect(h.next).not.toHaveBeenCalled();
    expect(await res.text()).toBe('customer page');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    // The variant file is cacheable forever; the public URL's response is not.
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(setCookies(res)).toEqual(['__Host-segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure']);
    expect(res.headers.has('vary')).toBe(false);
  });

  it('adds X-Segments when the manifest asks for it', async () => {
    const res = await serve(request('/?segment=customer'), withDebug(), {}, host({ [CUSTOMER]: page('c') }));
    expect(res.headers.get('x-segments')).toBe('audience=customer (choice)');
  });

  it('uses the platform country', async () => {
    const h = host({ [variant(HASH.prospect_eu)]: page('eu') });
    const res = await serve(request('/pricing'), manifest, { country: 'DE' }, h);
    expect(await res.text()).toBe('eu');
  });

  it('serves the host’s own file with the headers when the decision has no variant file', async () => {
    const h = host();
    const res = await serve(request('/pricing?segment=partner'), manifest, {}, h);
    expect(h.asset).not.toHaveBeenCalled();
    expect(await res.text()).toBe('default page');
    expect(res.headers.get('etag')).toBe('"default"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(setCookies(res)).toEqual(['__Host-segment=audience:partner; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure']);
  });

  it.each([
    ['is missing (404)', () => new Response('nope', { status: 404 })],
    ['fails (500)', () => new Response('boom', { status: 500 })],
    ['redirects (which would expose the variant URL)', () => new Response(null, { status: 307, headers: { location: '/_segments/x' } })],
    ['rejects', () => Promise.reject(new Error('storage down'))],
    [
      'throws synchronously',
      () => {
        throw new Error('storage down');
      },
    ],
  ])('falls back to the default page, Cache-Control only and no cookie, when the variant file %s', async (_, file) => {
    const h = host({ [CUSTOMER]: file });
    const res = await serve(request('/?segment=customer'), withDebug(), {}, h);
    expect(h.next).toHaveBeenCalledTimes(1);
    expect(await res.text()).toBe('default page');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(res.headers.has('x-segments')).toBe(false);
    expect(setCookies(res)).toEqual([]);
  });

  it('falls back the same way when asset() itself throws before returning a promise', async () => {
    const h = host();
    h.asset.mockImplementation(() => {
      throw new Error('sync');
    });
    const res = await serve(request('/?segment=customer'), manifest, {}, h);
    expect(await res.text()).toBe('default page');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('passes a 304 from storage through with the decision’s headers', async () => {
    const h = host({ [CUSTOMER]: () => new Response(null, { status: 304, headers: { etag: '"v"' } }) });
    const res = await serve(request('/', { headers: { cookie: 'session=1', 'if-none-match': '"v"' } }), manifest, {}, h);
    expect(res.status).toBe(304);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(h.next).not.toHaveBeenCalled();
  });

  it('personalizes HEAD requests', async () => {
    const h = host({ [CUSTOMER]: () => new Response(null, { headers: { 'content-length': '13' } }) });
    const res = await serve(request('/', { method: 'HEAD', headers: { cookie: 'session=1' } }), manifest, {}, h);
    expect(h.asset).toHaveBeenCalledWith(CUSTOMER);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('can add headers to a host response whose headers are immutable', async () => {
    const h = host();
    h.next.mockResolvedValueOnce(Response.redirect('https://shop.example/elsewhere', 302));
    const res = await serve(request('/pricing'), manifest, {}, h);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/elsewhere');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('falls back to the host when reading the request throws', async () => {
    const h = host();
    const hostile = {
      get url(): string {
        throw new Error('hostile');
      },
      method: 'GET',
      headers: new Headers(),
    } as unknown as Request;
    const res = await serve(hostile, manifest, {}, h);
    expect(await res.text()).toBe('default page');
    expect(res.headers.get('cache-control')).toBeNull();
  });

  it('falls back to the host, never a 500 of its own, for a corrupted manifest', async () => {
    for (const m of [null, {}, { ...manifest, routes: null }, { ...manifest, dimensions: [null] }]) {
      const res = await serve(request('/?segment=customer'), m as unknown as Manifest, {}, host());
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('default page');
    }
  });
});
