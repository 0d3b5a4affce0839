/**
 * On-demand pages get the router's semantics in Astro middleware: the page
 * renders once, as usual; its HTML is buffered, sliced with the build's own
 * `preparePage` / `renderPage`, and the variant for this request is chosen by
 * the router core's `decide`. The response carries the decision's headers
 * (`Cache-Control: private`, `X-Segments` with `debug`) and, on an explicit
 * choice, its Set-Cookie.
 *
 * - Prerendered pages are left alone: the build slices them and the host's
 *   router serves them. (The middleware also runs while Astro prerenders them;
 *   their markers must reach the build's slicer untouched.)
 * - `Astro.locals.segments` holds the value of every dimension for this request,
 *   decided lazily; reading a value counts the page as varying on it.
 * - Responses that are not personalized pass through unchanged (HTML is
 *   buffered to look for markers, so on-demand HTML is not streamed).
 * - In `astro dev` only `locals.segments` is provided here, from the same
 *   simulated signals the dev server uses; the dev server slices the page (one
 *   code path for every page in dev, with the toolbar's data).
 */
import { decide, readSignals, type Decision, type Manifest, type Signals } from '@astro-segments/edge';
import type { APIContext, MiddlewareNext } from 'astro';
import { AstroError } from 'astro/errors';
import { simulate } from '../dev/simulate.ts';
import { hasMarkers } from '../markers.ts';
import { preparePage, renderPage, type PreparedPage } from '../prepare-page.ts';
import { labelFile } from '../slice.ts';
import type { SsrData } from './data.ts';
import { trustedCountry } from './geo.ts';

type Context = Pick<APIContext, 'request' | 'locals' | 'isPrerendered'>;

/**
 * The route key `decide` looks up. Each request is decided against a manifest
 * holding only the page being rendered, so the request's own path does not
 * matter: the signals and `pageManifest` agree on this one key.
 */
const ROUTE = '/';

export async function personalize(context: Context, next: MiddlewareNext, data: SsrData): Promise<Response> {
  if (context.isPrerendered) return next();
  const { options } = data;
  const { request, country } = data.dev
    ? simulate(context.request, options.param)
    : { request: context.request, country: trustedCountry(data.host, context) };
  // Debug is always on in dev, as in the dev server: X-Segments says which rule won.
  const manifest = data.dev ? { ...data.manifest, debug: true } : data.manifest;
  // Read once, so `locals.segments` and the page's slicing see the same instant (date windows).
  const signals: Signals = { ...readSignals(request, manifest, { country }), path: ROUTE };
  const decideOn = (dimensions: readonly string[]) => decide(signals, pageManifest(manifest, dimensions));
  let site: Decision | null | undefined;
  const siteValues = () => (site === undefined ? (site = decideOn(options.dimensions.map((d) => d.name))) : site)?.values;
  const read = new Set<string>();
  const segments: Record<string, string> = {};
  for (const dimension of options.dimensions) {
    Object.defineProperty(segments, dimension.name, {
      enumerable: true,
      get() {
        read.add(dimension.name);
        return siteValues()?.[dimension.name] ?? dimension.default;
      },
    });
  }
  Object.defineProperty(context.locals, 'segments', { value: Object.freeze(segments), enumerable: true, configurable: true });

  const response = await next();
  const html = /^text\/html\b/i.test(response.headers.get('content-type') ?? '') && response.body ? await response.text() : undefined;
  const prepared = html !== undefined && hasMarkers(html) ? prepare(html, new URL(context.request.url).pathname, data) : undefined;
  // astro dev: the dev server slices marked pages itself, with the toolbar.
  if (prepared && data.dev) return rebuild(response, html!, new Headers(response.headers));
  const pageDimensions = new Set(prepared?.dimensions.map((d) => d.name));
  const varies = options.dimensions.map((d) => d.name).filter((name) => pageDimensions.has(name) || read.has(name));
  if (varies.length === 0) return html === undefined ? response : rebuild(response, html, new Headers(response.headers));

  // Not a GET or HEAD (a form post to the page): the default, and no headers, as the router would.
  const decision = decideOn(varies);
  const values = decision?.values ?? Object.fromEntries(options.dimensions.map((d) => [d.name, d.default]));
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(decision?.headers ?? {})) headers.set(name, value);
  if (decision?.setCookie) headers.append('set-cookie', decision.setCookie);
  if (!prepared) return rebuild(response, html ?? response.body, headers);
  const names = prepared.dimensions.map((d) => d.name);
  const label = names.map((name) => `${name}=${values[name]}`).join(';');
  return rebuild(response, labelFile(renderPage(prepared, html!, values), label), headers);
}

/** The site's manifest with one route, this page, varying on `dimensions`. */
function pageManifest(manifest: Manifest, dimensions: readonly string[]): Manifest {
  return { ...manifest, routes: { [ROUTE]: { dims: [...dimensions], variants: {} } } };
}

function prepare(html: string, path: string, data: SsrData): PreparedPage {
  try {
    return preparePage(html, path, data.options);
  } catch (error) {
    const { message, hint } = error as Error & { hint?: string; where?: string };
    throw new AstroError(`astro-segments cannot personalize ${path}: ${message}`, hint ?? 'Check the <Segment> / :::segment blocks on this page.');
  }
}

function rebuild(response: Response, body: BodyInit | null, headers: Headers): Response {
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
