/**
 * The visitor's country for on-demand pages, only from the platform's own
 * context, never from a header a client could send on that host (so never
 * from `Astro.clientAddress`, and never from a geo header on a host whose
 * proxy does not set it). The host is the adapter the site is built with.
 */
import type { HostName } from '../hosts/detect-host.ts';

/** The parts of Astro's context this reads. */
export interface GeoContext {
  readonly request: Request & { readonly cf?: { readonly country?: unknown } };
  readonly locals: object;
}

export function trustedCountry(host: HostName | undefined, context: GeoContext): string | undefined {
  switch (host) {
    case 'netlify': {
      // @astrojs/netlify puts Netlify's function context on `locals.netlify.context`.
      const netlify = (context.locals as { netlify?: { context?: { geo?: { country?: { code?: unknown } } } } }).netlify;
      return text(netlify?.context?.geo?.country?.code);
    }
    case 'vercel':
      // Vercel's proxy sets this header from the connection and overwrites any client value.
      return text(context.request.headers.get('x-vercel-ip-country'));
    case 'cloudflare':
      // Cloudflare's edge fills in `request.cf`; a client cannot send it.
      return text(context.request.cf?.country);
    default:
      // Node and other servers have no platform geo: country rules do not match there.
      return undefined;
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
