/**
 * The router's view of a request: exactly what `readSignals` reads (the method,
 * the URL, a header lookup) and nothing else. A Fetch `Request` is one already;
 * a Node request gets a view that reads its headers where they are, so no
 * path copies a visitor's headers into another object.
 */
import type { IncomingMessage } from 'node:http';
import { RequestSignals, readSignals, type Manifest, type Signals } from '@astro-segments/edge';

export interface RequestView {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/**
 * A Node request as the router sees it.
 *
 * @param target the request's path and query, already resolved by the caller
 * @param secure whether it came over HTTPS (decides the `__Host-` cookie prefix)
 */
export function nodeRequestView(req: IncomingMessage, target: string, secure: boolean): RequestView {
  return {
    method: req.method ?? 'GET',
    // The host is fixed: the router reads the path, query and scheme, never the Host header.
    url: `${secure ? 'https' : 'http'}://localhost${target}`,
    headers: { get: (name) => nodeHeader(req, name) },
  };
}

/** A request header as the Fetch API reads it: Node already joins repeated values with `, ` (cookies with `; `). */
function nodeHeader(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** The router's signals for a view; `readSignals` reads nothing of a Request beyond what a view has. */
export function signalsOf(request: RequestView, manifest: Manifest, country: string | undefined): Signals {
  return readSignals(request as Request, manifest, { country });
}

/**
 * The same signals, each read when the decision first needs it, as the host bundles read them:
 * for the Node server, which decides and forgets. (Pages that keep the signals for
 * `Astro.locals.segments` read them all at once with `signalsOf`.) The URL is serialized by the
 * URL parser first, without a fragment, as `RequestSignals` expects.
 */
export function lazySignalsOf(request: RequestView, manifest: Manifest, country: string | undefined): Signals {
  const url = new URL(request.url);
  url.hash = '';
  return new RequestSignals({ method: request.method, url: url.href, headers: request.headers } as Request, manifest, { country });
}
