/**
 * `astro dev`: every page Astro renders takes the per-request path of
 * on-demand pages (`../request/`): the same slicer as the build and the same
 * decision as the router, per request, so authors see the variant a visitor
 * would get — `?segment=…` works as deployed, and signals the laptop cannot
 * produce (country, referrer, GPC, language) are simulated with query
 * parameters. On-demand pages arrive here already personalized by the SSR
 * middleware (no markers left), so each page is decided once.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Manifest } from '@astro-segments/edge';
import type { AstroIntegrationLogger } from 'astro';
import { hasMarkers } from '../markers.ts';
import { pageDecision } from '../request/page-decision.ts';
import { PagePersonalizationError, personalizeResponse } from '../request/personalize-response.ts';
import { nodeRequestView } from '../request/request-view.ts';
import { simulate } from '../request/simulate.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { DEV_ROUTES } from '../toolbar/page-data.ts';
import { serveReport } from '../toolbar/report-route.ts';
import { devErrorPage } from './error-page.ts';

type Next = (error?: unknown) => void;
type Head = { status: number; headers: Record<string, unknown> };

/** The project as the dev server sees it: its root folder and Astro `base`. */
export interface DevSite {
  readonly root: string;
  readonly base: string;
}

export function devMiddleware(options: ResolvedOptions, manifest: Manifest, logger: AstroIntegrationLogger, site: DevSite) {
  // Debug on: in dev the X-Segments header always says which rule won.
  const devManifest: Manifest = { ...manifest, debug: true };
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(@|__|node_modules\/)/.test(req.url ?? '/')) {
      next();
      return;
    }
    // Astro's dev server has already taken `base` off the URL.
    if (new URL(req.url ?? '/', 'http://localhost').pathname === DEV_ROUTES.report) {
      serveReport(res, site.root).catch(next);
      return;
    }
    capture(res, (head, body) => personalize(req, head, body, options, devManifest, logger, site));
    next();
  };
}

/**
 * Hold back an HTML response until it ends, then let `finish` rewrite it. Any
 * other response (scripts, styles, images, streams) passes straight through.
 * The held response's headers are those given to `writeHead` over those set
 * before with `setHeader`; the rewritten ones replace them all.
 */
function capture(res: ServerResponse, finish: (head: Head, body: string) => Promise<{ head: Head; body: string }>): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  const chunks: Buffer[] = [];
  let head: Head | undefined;
  let mode: 'undecided' | 'hold' | 'pass' = 'undecided';
  const restore = () => Object.assign(res, original);
  const choose = () => {
    if (mode !== 'undecided') return;
    const type = String(head?.headers['content-type'] ?? head?.headers['Content-Type'] ?? res.getHeader('content-type') ?? '');
    mode = type.startsWith('text/html') ? 'hold' : 'pass';
    if (mode === 'pass') {
      restore();
      if (head) res.writeHead(head.status, head.headers as OutgoingHttpHeaders);
    }
  };
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((part) => typeof part === 'object' && part !== null) as Record<string, unknown> | undefined;
    head = { status, headers: { ...headers } };
    choose();
    return res;
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    choose();
    if (mode === 'pass') return (res.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    chunks.push(Buffer.from(chunk as string));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    choose();
    if (mode === 'pass') return (res.end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
    restore();
    const held: Head = { status: head?.status ?? res.statusCode, headers: { ...res.getHeaders(), ...head?.headers } };
    void finish(held, Buffer.concat(chunks).toString('utf8')).then((result) => {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      const headers = { ...result.head.headers };
      delete headers['content-length'];
      delete headers['Content-Length'];
      res.writeHead(result.head.status, headers as OutgoingHttpHeaders);
      res.end(result.body);
    });
    return res;
  }) as typeof res.end;
}

async function personalize(
  req: IncomingMessage,
  head: Head,
  body: string,
  options: ResolvedOptions,
  manifest: Manifest,
  logger: AstroIntegrationLogger,
  site: DevSite,
): Promise<{ head: Head; body: string }> {
  if (!hasMarkers(body)) return { head, body };
  const url = new URL(req.url ?? '/', 'http://localhost');
  const { request, country } = simulate(nodeRequestView(req, url.pathname + url.search, false), options.param);
  try {
    const page = new Response(body, { status: head.status, headers: fetchHeaders(head.headers) });
    const { response } = await personalizeResponse(page, pageDecision(request, country, manifest, options), {
      options,
      path: url.pathname,
      toolbar: { url, base: site.base },
    });
    return { head: { status: response.status, headers: nodeHeaders(response.headers) }, body: await response.text() };
  } catch (error) {
    const { message, hint } = error as Error & { hint?: string };
    const reason = error instanceof PagePersonalizationError ? error.reason : message;
    logger.error(`${url.pathname}: ${reason}${hint ? `\nHint: ${hint}` : ''}`);
    return { head: { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' } }, body: devErrorPage(url.pathname, reason, hint) };
  }
}

/** The dev server's response headers as Fetch headers, for the path on-demand pages take too. */
function fetchHeaders(headers: Record<string, unknown>): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const one of [value].flat()) if (one !== undefined && one !== null) result.append(name, String(one));
  }
  return result;
}

/** And back: every cookie its own `Set-Cookie` line. */
function nodeHeaders(headers: Headers): Record<string, unknown> {
  const result: Record<string, unknown> = Object.fromEntries([...headers].filter(([name]) => name !== 'set-cookie'));
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) result['set-cookie'] = cookies;
  return result;
}
