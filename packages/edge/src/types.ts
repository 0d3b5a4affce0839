/**
 * The router's request-side types. `readSignals` turns a Web `Request` plus the
 * host's own geo context into `Signals`; `decide(signals, manifest)` is a pure
 * function of them. Nothing else about the request is ever looked at, which is
 * how the privacy contract holds by construction: data that is not in
 * `Signals` cannot influence or leak into a response.
 */
import type { CompiledManifest } from './compile.ts';
import type { Manifest } from './manifest.ts';

/** Everything the router may know about a request. Bounded in size by `readSignals`. */
export interface Signals {
  /** Upper-case HTTP method. Only GET and HEAD are personalized. */
  readonly method: string;
  /** URL pathname as received (still percent-encoded). */
  readonly path: string;
  /** Whether the request came over HTTPS (decides the `__Host-` cookie prefix). */
  readonly secure: boolean;
  /** Every value of the choice parameter (`?segment=`), in order. */
  readonly choice: readonly string[];
  /** Every value of the preview parameter (`?segment-preview=`), in order. */
  readonly preview: readonly string[];
  /** `utm_*` parameters (first occurrence each), lowercased; absent when missing. */
  readonly utm: Readonly<Partial<Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string>>>;
  /** Referrer host name, lowercased, no port; '' when absent or unparseable. */
  readonly referrer: string;
  /** Primary subtag of the most preferred Accept-Language entry, lowercased; '' when none. */
  readonly language: string;
  /** ISO country code from the platform's own context, lowercased; '' when unknown. */
  readonly country: string;
  /** The raw Cookie header, truncated to 16 KiB (room for heavy analytics cookies before a login cookie). Parsed only for the router's own cookie and for presence of rule cookies. */
  readonly cookie: string;
  /** `Sec-GPC: 1` as the GPC spec defines it. */
  readonly gpc: boolean;
  /** `DNT: 1`. (`holdout()` also sets it for its control group: the same policy, nothing inferred.) */
  readonly dnt: boolean;
  /** User agent is a known crawler (the only use of the user agent). */
  readonly bot: boolean;
  /**
   * The browser fetches the page ahead of a navigation that may never happen (`Sec-Purpose:
   * prefetch`, or the older `Purpose: prefetch`), as Astro and Starlight do on hover. Such a
   * request shows what a choice would show but never stores it. Optional for callers that
   * build Signals themselves; absent reads as a navigation.
   */
  readonly prefetch?: boolean;
  /** Request time, epoch milliseconds (for date-window rules). */
  readonly now: number;
}

/** What the router does with a personalized request. */
export interface Decision {
  /** Normalized route key that matched in the manifest. */
  readonly route: string;
  /** Chosen value per dimension of the route. */
  readonly values: Readonly<Record<string, string>>;
  /** Variant file to serve (`${prefix}${hash}.html`), or null to serve the public URL's own (default) file. */
  readonly path: string | null;
  /**
   * A complete Set-Cookie header value: on an explicit choice or reset; with a holdout
   * (`holdout()`), also the group cookie, on a response that sets no choice cookie.
   */
  readonly setCookie?: string;
  /** Response headers to add: Cache-Control always, X-Segments when debug is on. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A manifest as the router takes it: as the build wrote it (compiled on first use), or
 * compiled for the router at build time (what a host bundle carries, see compile.ts).
 */
export type AnyManifest = Manifest | CompiledManifest;

/**
 * What turns Signals into a Decision inside `serve` and the adapters: the plain router
 * (`decideUnguarded`, the default) or `holdout()` around it. It may throw; they catch.
 */
export type Decider = (signals: Signals, manifest: AnyManifest) => Decision | null;

/** Host-provided geo, taken only from the platform's own trusted context. */
export interface Platform {
  readonly country?: string | null | undefined;
}
