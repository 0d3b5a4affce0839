import type { Manifest } from './manifest.ts';
import type { Decider, Platform } from './types.ts';
import { decideUnguarded } from './decide.ts';
import { readSignals } from './signals.ts';

/** What a host adapter gives the router. */
export interface Host {
  /** Fetch a built file by site-root path from the host's own storage. */
  asset(path: string): Promise<Response>;
  /** Let the host serve the request unchanged: the public URL's own (default) file. */
  next(): Promise<Response>;
}

/**
 * The whole router for one request. Personalization can only ever fall back to
 * the host's own response: no failure here becomes an error page (this is the
 * guard `decider` relies on). `decider`: `holdout()` for a site with a holdout.
 */
export async function serve(request: Request, manifest: Manifest, platform: Platform, host: Host, decider: Decider = decideUnguarded): Promise<Response> {
  try {
    const d = decider(readSignals(request, manifest, platform), manifest);
    if (!d) return host.next();
    let { path, headers, setCookie } = d;
    let res: Response | void = undefined;
    if (path) {
      try {
        res = await host.asset(path);
      } catch {}
      // A missing variant file (or a redirect, which would put the variant's URL in the address
      // bar) serves the default page, and the choice is not stored since it was not shown.
      if (!res?.ok && res?.status != 304) (res = undefined), (headers = { 'Cache-Control': 'private, no-cache' }), (setCookie = undefined);
    }
    res = new Response((res ||= await host.next()).body, res);
    for (const k in headers) res.headers.set(k, headers[k]!);
    if (setCookie) res.headers.append('Set-Cookie', setCookie);
    return res;
  } catch {
    return host.next();
  }
}
