/**
 * The decision for one rendered page (an on-demand page, or any page in
 * `astro dev`): the request is read once, and every question about it is
 * decided as the router decides, against a manifest that holds only this page.
 */
import type { Decision, Manifest, Signals } from '@astro-segments/edge';
import type { ResolvedOptions } from '../validate-options.ts';
import { guardedDecider, onceRandom } from './decider.ts';
import { signalsOf, type RequestView } from './request-view.ts';

/**
 * The route key every decision looks up. The manifest holds only the page
 * being rendered, so the request's own path does not matter: the signals and
 * the page's manifest agree on this one key.
 */
const ROUTE = '/';

export interface PageDecision {
  /**
   * `Astro.locals.segments`: each dimension's value for this request, decided
   * on first read. Reading a value makes the response vary on its dimension.
   */
  readonly segments: Readonly<Record<string, string>>;
  /** The dimensions read through `segments` so far. */
  readonly read: ReadonlySet<string>;
  /** The router's decision for a page varying on `dimensions` (site order); null serves the default, with no headers. */
  decide(dimensions: readonly string[]): Decision | null;
}

export function pageDecision(
  request: RequestView,
  country: string | undefined,
  manifest: Manifest,
  options: Pick<ResolvedOptions, 'dimensions'>,
): PageDecision {
  // Read once, so `locals.segments` and the page's slicing see the same instant (date windows).
  const signals: Signals = { ...signalsOf(request, manifest, country), path: ROUTE };
  // `locals.segments` and the page may both ask: the holdout draws once for both.
  const decider = guardedDecider(onceRandom());
  const decide = (dimensions: readonly string[]) => decider(signals, pageManifest(manifest, dimensions));
  let site: Decision | null | undefined;
  const read = new Set<string>();
  const segments: Record<string, string> = {};
  for (const dimension of options.dimensions) {
    Object.defineProperty(segments, dimension.name, {
      enumerable: true,
      get() {
        read.add(dimension.name);
        if (site === undefined) site = decide(options.dimensions.map((d) => d.name));
        return site?.values[dimension.name] ?? dimension.default;
      },
    });
  }
  return { segments: Object.freeze(segments), read, decide };
}

/** The one-route manifests made from each site manifest, by their dimensions. */
const pageManifests = new WeakMap<Manifest, Map<string, Manifest>>();

/**
 * The manifest of a page varying on `dimensions`: made once per site manifest and list of
 * dimensions (the lists come from the site's pages, never from a request), so the router
 * compiles it once (compiled.ts keeps the compiled form beside the object), not per request.
 */
export function pageManifest(manifest: Manifest, dimensions: readonly string[]): Manifest {
  let byDimensions = pageManifests.get(manifest);
  if (!byDimensions) pageManifests.set(manifest, (byDimensions = new Map()));
  const key = dimensions.join(',');
  let page = byDimensions.get(key);
  if (!page) byDimensions.set(key, (page = { ...manifest, routes: { [ROUTE]: { dims: [...dimensions], variants: {} } } }));
  return page;
}
