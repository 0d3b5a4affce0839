import type { Manifest } from './manifest.ts';
import type { Platform, Signals } from './types.ts';
import { isBot } from './bots.ts';
import { language } from './language.ts';
import { referrerHost } from './referrer.ts';
import { COUNTRY, UTM } from './uses.ts';

type Params = Pick<Manifest, 'param' | 'previewParam'>;

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * A request's Signals, each read from the request the first time the router
 * asks for it: a request for a page that is not personalized is read for its
 * method and path only, and a personalized one only for what its dimensions'
 * rules need. Every field is bounded so a hostile request cannot make later
 * work large. What the host adapters and `serve` decide on; `readSignals`
 * reads all of it at once.
 *
 * `url` must be a URL as the URL parser serializes it (a `Request`'s own
 * `url` is): the path and query are then found by position, without parsing.
 */
export class RequestSignals implements Signals {
  readonly now: number;
  readonly #request: Request;
  readonly #url: string;
  readonly #params: Params;
  readonly #platform: Platform | undefined;
  #query: URLSearchParams | undefined;
  #cookie: string | undefined;
  #utm: Signals['utm'] | undefined;
  #referrer: string | undefined;
  #language: string | undefined;
  #country: string | undefined;
  #bot: boolean | undefined;

  constructor(request: Request, params: Params, platform?: Platform, now = Date.now(), url = request.url) {
    this.#request = request;
    this.#params = params;
    this.#platform = platform;
    this.now = now;
    // A fragment never reaches a server; a request-like object may still carry one.
    const hash = url.indexOf('#');
    this.#url = hash < 0 ? url : url.slice(0, hash);
  }

  get method(): string {
    return this.#request.method.toUpperCase();
  }

  /** From the first `/` after the host to the query: the URL's pathname (neither the host nor the path holds a raw `?`). */
  get path(): string {
    const url = this.#url;
    const query = url.indexOf('?');
    return url.slice(url.indexOf('/', url.indexOf('//') + 2), query < 0 ? url.length : query);
  }

  get secure(): boolean {
    return this.#url.startsWith('https:');
  }

  get choice(): readonly string[] {
    return this.#list(this.#params.param);
  }

  get preview(): readonly string[] {
    return this.#list(this.#params.previewParam);
  }

  get utm(): Signals['utm'] {
    if (!UTM) return {};
    if (!this.#utm) {
      const utm: Record<string, string> = {};
      for (const key of UTM_KEYS) {
        const value = this.#search()?.get('utm_' + key);
        if (value && value.length <= 128) utm[key] = value.toLowerCase();
      }
      this.#utm = utm;
    }
    return this.#utm;
  }

  get referrer(): string {
    return (this.#referrer ??= referrerHost(this.#header('referer')));
  }

  get language(): string {
    return (this.#language ??= language(this.#header('accept-language')));
  }

  /** Only the platform's own geo context: a client-sent header could be forged. Two ASCII letters, lower-cased. */
  get country(): string {
    if (!COUNTRY) return '';
    if (this.#country === undefined) {
      const code = String(this.#platform?.country ?? '');
      this.#country = code.length == 2 && isLetter(code, 0) && isLetter(code, 1) ? code.toLowerCase() : '';
    }
    return this.#country;
  }

  get cookie(): string {
    return (this.#cookie ??= this.#header('cookie').slice(0, 16384));
  }

  get gpc(): boolean {
    return on(this.#header('sec-gpc'));
  }

  get dnt(): boolean {
    return on(this.#header('dnt'));
  }

  get bot(): boolean {
    return (this.#bot ??= isBot(this.#header('user-agent')));
  }

  /** Fetched ahead of a navigation that may never happen (a link prefetched on hover): `Sec-Purpose` or the older `Purpose`. */
  get prefetch(): boolean {
    return prefetch(this.#header('sec-purpose')) || prefetch(this.#header('purpose'));
  }

  #header(name: string): string {
    return this.#request.headers.get(name) ?? '';
  }

  /** Every value of a query parameter, in order: at most 8, of at most 64 characters each. */
  #list(name: string): readonly string[] {
    const values = this.#search()?.getAll(name);
    return values?.length ? values.filter((value) => value.length <= 64).slice(0, 8) : [];
  }

  /** The query, parsed once and only when something reads it; none without a `?`. */
  #search(): URLSearchParams | undefined {
    const query = this.#url.indexOf('?');
    return query < 0 ? undefined : (this.#query ??= new URLSearchParams(this.#url.slice(query + 1)));
  }
}

/**
 * Turn a request into the only facts the router may use, all of them at once.
 * Never throws for a real Request (its URL is already parsed): the one parse of
 * request data, the Referer, is guarded and gives '' when malformed.
 * `params` names the query parameters: pass the manifest.
 */
export function readSignals(request: Request, params: Params, platform?: Platform, now = Date.now()): Signals {
  // Parsed once here so a request-like object with an unnormalized URL reads like a real Request.
  const s = new RequestSignals(request, params, platform, now, new URL(request.url).href);
  return {
    method: s.method,
    path: s.path,
    secure: s.secure,
    choice: s.choice,
    preview: s.preview,
    utm: s.utm,
    referrer: s.referrer,
    language: s.language,
    country: s.country,
    cookie: s.cookie,
    gpc: s.gpc,
    dnt: s.dnt,
    bot: s.bot,
    prefetch: s.prefetch,
    now,
  };
}

/** An ASCII letter, either case: what `/[a-z]/i` matches, without a regular expression. */
const isLetter = (text: string, at: number) => ((text.charCodeAt(at) | 32) - 97) >>> 0 < 26;

/**
 * `Sec-GPC` and `DNT`: the GPC spec defines only the value "1", and a header sent twice
 * (joined as `0, 1`) is on when any of its values is exactly 1; anything else is no signal.
 */
const on = (value: string): boolean => value.split(',').some((part) => part.trim() == '1');

/** `prefetch`, `prefetch;prerender`, `prefetch; anonymous-client-ip`: any list item whose token is `prefetch`. */
const prefetch = (value: string): boolean => value.split(',').some((item) => item.split(';')[0]!.trim().toLowerCase() == 'prefetch');
