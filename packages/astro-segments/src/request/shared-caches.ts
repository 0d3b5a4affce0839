/**
 * Response headers that let a shared cache store a response even when its
 * `Cache-Control` says `private`: a cache that finds its own targeted field
 * obeys that field and ignores `Cache-Control` (RFC 9213, section 2.1). A
 * personalized on-demand response must carry none of them, whoever set them
 * (the page, the site's middleware, an adapter, a cache provider).
 *
 * What the hosts document:
 * - Netlify: `Netlify-CDN-Cache-Control`, then `CDN-Cache-Control`, then
 *   `Cache-Control` (https://docs.netlify.com/platform/caching/).
 * - Vercel: `Vercel-CDN-Cache-Control`, then `CDN-Cache-Control`, then
 *   `Cache-Control` (https://vercel.com/docs/caching/cache-control-headers).
 * - Cloudflare: `Cloudflare-CDN-Cache-Control`, then `CDN-Cache-Control`, then
 *   `Cache-Control` (https://developers.cloudflare.com/cache/concepts/cdn-cache-control/).
 * - `Surrogate-Control` (Fastly, Varnish and other surrogates in front of any of them).
 *
 * Any other `<Name>-CDN-Cache-Control` is a targeted field of the same kind,
 * so the match is by pattern. Headers that only shape a cache key or tag an
 * entry (`Netlify-Vary`, `Cache-Tag`) store nothing and are left alone.
 */
const SHARED_CACHE_HEADER = /^(?:[a-z0-9-]+-)?cdn-cache-control$|^surrogate-control$/;

/** Remove every shared-cache header; `Cache-Control` (set by the decision) is then the only word. */
export function withoutSharedCacheHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) if (SHARED_CACHE_HEADER.test(name)) headers.delete(name);
}
