/**
 * `astro dev`: every page Astro renders goes through the same slicer and the
 * same `decide()` as production, per request, so authors see the variant a
 * visitor would get — `?segment=…` works as deployed, and signals the laptop
 * cannot produce (country, referrer, GPC, language) can be simulated with
 * query parameters.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decide, readSignals, type Manifest } from '@astro-segments/edge';
import type { AstroIntegrationLogger } from 'astro';
import { findMarkers, hasMarkers } from '../markers.ts';
import { effectiveAssignment, ownContent, preparePage, renderPage } from '../prepare-page.ts';
import { labelFile, stripBlocks } from '../slice.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { DEV_ROUTES, embedToolbarData, toolbarData } from '../toolbar/page-data.ts';
import { serveReport } from '../toolbar/report-route.ts';
import { devErrorPage } from './error-page.ts';
import { simulatedRequest } from './simulate.ts';

type Next = (error?: unknown) => void;
type Head = { status: number; headers: Record<string, unknown> };

/** The project as the dev server sees it: its root folder and Astro `base`. */
export interface DevSite {
  readonly root: string;
  readonly base: string;
}

export function devMiddleware(options: ResolvedOptions, manifest: Manifest, logger: AstroIntegrationLogger, site: DevSite) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(@|__|node_modules\/)/.test(req.url ?? '/')) return next();
    // Astro's dev server has already taken `base` off the URL.
    if (new URL(req.url ?? '/', 'http://localhost').pathname === DEV_ROUTES.report) {
      serveReport(res, site.root).catch(next);
      return;
    }
    capture(res, (head, body) => personalize(req, head, body, options, manifest, logger, site));
    next();
  };
}

/**
 * Hold back an HTML response until it ends, then let `finish` rewrite it. Any
 * other response (scripts, styles, images, streams) passes straight through.
 */
function capture(res: ServerResponse, finish: (head: Head, body: string) => { head: Head; body: string }): void {
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
      if (head) res.writeHead(head.status, head.headers as never);
    }
  };
  res.writeHead = function (status: number, ...rest: unknown[]) {
    const headers = rest.find((part) => typeof part === 'object' && part !== null) as Record<string, unknown> | undefined;
    head = { status, headers: { ...headers } };
    choose();
    return res;
  } as typeof res.writeHead;
  res.write = function (chunk: unknown, ...rest: unknown[]) {
    choose();
    if (mode === 'pass') return (res.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    chunks.push(Buffer.from(chunk as string));
    return true;
  } as typeof res.write;
  res.end = function (chunk?: unknown, ...rest: unknown[]) {
    choose();
    if (mode === 'pass') return (res.end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
    restore();
    const result = finish(head ?? { status: res.statusCode, headers: {} }, Buffer.concat(chunks).toString('utf8'));
    const headers = { ...result.head.headers };
    delete headers['content-length'];
    delete headers['Content-Length'];
    res.writeHead(result.head.status, headers as never);
    return res.end(result.body);
  } as typeof res.end;
}

function personalize(
  req: IncomingMessage,
  head: Head,
  body: string,
  options: ResolvedOptions,
  manifest: Manifest,
  logger: AstroIntegrationLogger,
  site: DevSite,
): { head: Head; body: string } {
  if (!hasMarkers(body)) return { head, body };
  const { request, country } = simulatedRequest(req, options.param);
  const path = new URL(request.url).pathname;
  try {
    const markers = findMarkers(body);
    // A plain page whose layout carries optional blocks (the notice): just remove them.
    if (markers.pages.length === 0 && markers.blocks.every((block) => block.optional)) return { head, body: stripBlocks(body, markers) };
    const prepared = preparePage(body, path, options);
    // The router's own route key for this path, so `decide` finds the page.
    const route = decodeURIComponent(path).replace(/(\/index)?\.html$|\/$/, '') || '/';
    const names = prepared.dimensions.map((dimension) => dimension.name);
    // Debug on: in dev the X-Segments header always says which rule won.
    const pageManifest: Manifest = { ...manifest, debug: true, routes: { [route]: { dims: names, variants: {} } } };
    const decision = decide(readSignals(request, pageManifest, { country }), pageManifest);
    const values = decision?.values ?? Object.fromEntries(prepared.dimensions.map((d) => [d.name, d.default]));
    const label = names.map((name) => `${name}=${values[name]}`).join(';');
    const headers: Record<string, unknown> = { ...head.headers, ...decision?.headers };
    // Keep any cookie the page itself sets.
    if (decision?.setCookie) headers['set-cookie'] = [...[head.headers['set-cookie'] ?? []].flat(), decision.setCookie];
    // What the Dev Toolbar app shows: this response's values and why.
    const optional = effectiveAssignment(prepared.dimensions, values, ownContent(prepared, body));
    const data = toolbarData(options, prepared.dimensions, values, decision?.headers['X-Segments'], new URL(request.url), site.base);
    return { head: { status: head.status, headers }, body: embedToolbarData(labelFile(renderPage(prepared, body, values, optional), label), data) };
  } catch (error) {
    const { message, hint } = error as Error & { hint?: string };
    logger.error(`${path}: ${message}${hint ? `\nHint: ${hint}` : ''}`);
    return { head: { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' } }, body: devErrorPage(path, message, hint) };
  }
}
