/**
 * A rendered page's response for one request, as the build would have served
 * it: the one path shared by on-demand pages (the SSR middleware) and every
 * page of `astro dev`. The page renders once, as usual; its HTML is sliced
 * with the build's own `preparePage` / `renderPage`, optional blocks (a
 * layout's `<SegmentNotice>`) see the effective assignment as at build, and
 * the variant for this request comes from `PageDecision`. The response carries
 * the decision's headers (`Cache-Control: private`, `X-Segments` with `debug`)
 * and, on an explicit choice, its Set-Cookie, next to the page's own cookies;
 * no header that lets a shared cache keep it survives.
 */
import { AstroError } from 'astro/errors';
import type { Decision } from '@astro-segments/edge';
import { findMarkers, hasMarkers } from '../markers.ts';
import { effectiveAssignment, ownContent, preparePage, renderPage, type PreparedPage } from '../prepare-page.ts';
import { labelFile, stripBlocks } from '../slice.ts';
import { embedToolbarData, toolbarData } from '../toolbar/page-data.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import type { PageDecision } from './page-decision.ts';
import { withoutSharedCacheHeaders } from './shared-caches.ts';

export interface PageSettings {
  readonly options: ResolvedOptions;
  /** The request's path, for messages. */
  readonly path: string;
  /** `astro dev`: the Dev Toolbar's data goes into personalized pages. */
  readonly toolbar?: { readonly url: URL; readonly base: string };
}

export interface PersonalizedResponse {
  readonly response: Response;
  /** The response was decided for this visitor: no shared cache may keep it. */
  readonly personal: boolean;
}

/** A page whose blocks cannot be sliced: what is wrong (`reason`) and the fix (`hint`). */
export class PagePersonalizationError extends AstroError {
  readonly reason: string;
  constructor(path: string, reason: string, hint: string) {
    super(`astro-segments cannot personalize ${path}: ${reason}`, hint);
    this.name = 'SegmentsContentError';
    this.reason = reason;
  }
}

/**
 * Responses that are not HTML, or HTML without markers that read no
 * `locals.segments`, come back as they were (HTML is buffered to look for
 * markers, so it is not streamed). A page whose only markers are optional
 * blocks varies on nothing: they are removed, as the build removes them.
 */
export async function personalizeResponse(response: Response, decision: PageDecision, settings: PageSettings): Promise<PersonalizedResponse> {
  const { options } = settings;
  const html = /^text\/html\b/i.test(response.headers.get('content-type') ?? '') && response.body ? await response.text() : undefined;
  const page = html !== undefined && hasMarkers(html) ? readPage(html, settings) : undefined;
  const prepared = page && 'prepared' in page ? page.prepared : undefined;
  // The page varies on what its blocks declare and on what it read, in site order.
  const declared = new Set(prepared?.dimensions.map((dimension) => dimension.name));
  const varies = options.dimensions.map((d) => d.name).filter((name) => declared.has(name) || decision.read.has(name));
  const plain = page && 'plain' in page ? page.plain : html;
  if (!prepared && varies.length === 0) {
    return { response: html === undefined ? response : rebuild(response, plain ?? null, new Headers(response.headers)), personal: false };
  }

  // Not a GET or HEAD (a form post to the page): null, so the default and no headers, as the router does.
  const made = decision.decide(varies);
  const headers = new Headers(response.headers);
  if (made) {
    for (const [name, value] of Object.entries(made.headers)) headers.set(name, value);
    if (made.setCookie) headers.append('set-cookie', made.setCookie);
    withoutSharedCacheHeaders(headers);
  }
  const body = prepared ? render(prepared, html!, made, settings) : (plain ?? response.body);
  return { response: rebuild(response, body, headers), personal: made !== null };
}

function readPage(html: string, settings: PageSettings): { plain: string } | { prepared: PreparedPage } {
  try {
    const markers = findMarkers(html);
    if (markers.pages.length === 0 && markers.blocks.every((block) => block.optional)) return { plain: stripBlocks(html, markers) };
    return { prepared: preparePage(html, settings.path, settings.options) };
  } catch (error) {
    throw pageError(error, settings.path);
  }
}

function render(prepared: PreparedPage, html: string, made: Decision | null, settings: PageSettings): string {
  const { options, toolbar } = settings;
  const values = made?.values ?? Object.fromEntries(options.dimensions.map((d) => [d.name, d.default]));
  try {
    // Optional blocks (the notice) see what the build's file for these values shows: a value
    // that renders the page like its default reads as the default.
    const optional = prepared.markers.blocks.some((block) => block.optional)
      ? effectiveAssignment(prepared.dimensions, values, ownContent(prepared, html))
      : values;
    const label = prepared.dimensions.map((d) => `${d.name}=${values[d.name]}`).join(';');
    const rendered = labelFile(renderPage(prepared, html, values, optional), label);
    if (!toolbar) return rendered;
    return embedToolbarData(rendered, toolbarData(options, prepared.dimensions, values, made?.headers['X-Segments'], toolbar.url, toolbar.base));
  } catch (error) {
    throw pageError(error, settings.path);
  }
}

function pageError(error: unknown, path: string): PagePersonalizationError {
  const { message, hint } = error as Error & { hint?: string };
  return new PagePersonalizationError(path, message, hint ?? 'Check the <Segment> / :::segment blocks on this page.');
}

function rebuild(response: Response, body: BodyInit | null, headers: Headers): Response {
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
