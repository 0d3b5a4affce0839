import type { Manifest } from './manifest.ts';
import type { Platform, Signals } from './types.ts';
import { isBot } from './bots.ts';
import { language } from './language.ts';
import { referrerHost } from './referrer.ts';

type Params = Pick<Manifest, 'param' | 'previewParam'>;

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * A request's Signals, each read from the request when the router first asks
 * for it: a request for a page that is not personalized is read for its method
 * and path only, a personalized one for what its dimensions need. Every field is
 * bounded so a hostile request cannot make later work large. What `serve` and
 * the host adapters decide on; `readSignals` reads all of it at once.
 *
 * `request.url` must be as the URL parser serializes it, without a fragment (a
 * request a server receives has none): the path and the query are then found
 * by position, without parsing the URL.
 * Signals read more than once in a decision are kept after the first read.
 */
export class RequestSignals implements Signals {
  readonly now: number;
  readonly #request: Request;
  readonly #url: string;
  readonly #params: Params;
  readonly #platform: Platform | undefined;
  #query: string[] | URLSearchParams | undefined;
  #cookie: string | undefined;
  #utm: Signals['utm'] | undefined;
  #referrer: string | undefined;
  #language: string | undefined;

  constructor(request: Request, params: Params, platform?: Platform, now = Date.now()) {
    this.#request = request;
    this.#url = request.url;
    this.#params = params;
    this.#platform = platform;
    this.now = now;
  }

  /** A Request's method is upper case already for GET and HEAD, the only ones the router decides. */
  get method(): string {
    return this.#request.method;
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
    return this.#values(this.#params.param);
  }

  get preview(): readonly string[] {
    return this.#values(this.#params.previewParam);
  }

  get utm(): Signals['utm'] {
    if (!this.#utm) {
      const utm: Record<string, string> = {};
      for (const key of UTM_KEYS) {
        const value = this.#all('utm_' + key)[0];
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
    const code = String(this.#platform?.country ?? '');
    return code.length == 2 && isLetter(code, 0) && isLetter(code, 1) ? code.toLowerCase() : '';
  }

  get cookie(): string {
    return (this.#cookie ??= this.#header('cookie').slice(0, 16384));
  }

  get gpc(): boolean {
    return listed(this.#header('sec-gpc'), '1');
  }

  get dnt(): boolean {
    return listed(this.#header('dnt'), '1');
  }

  get bot(): boolean {
    return isBot(this.#header('user-agent'));
  }

  /**
   * Fetched ahead of a navigation that may never happen (a link prefetched on hover):
   * `Sec-Purpose: prefetch` (with parameters, `prefetch;prerender`), or the older `Purpose`.
   * Two request headers read; the router itself fetches nothing.
   */
  get prefetch(): boolean {
    return listed(`${this.#header('sec-purpose').split(';')[0]},${this.#header('purpose')}`, 'prefetch');
  }

  #header(name: string): string {
    return this.#request.headers.get(name) ?? '';
  }

  /** Every value of a query parameter, in order: at most 8, of at most 64 characters each. */
  #values(name: string): readonly string[] {
    const values = this.#all(name);
    return values.length ? values.filter((value) => value.length <= 64).slice(0, 8) : values;
  }

  /** Every value of query parameter `name`, as `URLSearchParams` reads them. */
  #all(name: string): string[] {
    const query = (this.#query ??= this.#parseQuery());
    if (!Array.isArray(query)) return query.getAll(name);
    const values: string[] = [];
    for (const pair of query) if (pair.startsWith(name) && (pair.length == name.length || pair[name.length] == '=')) values.push(pair.slice(name.length + 1));
    return values;
  }

  /**
   * The query, once per request and only if something reads it. Without escapes (`%`, or `+`
   * for a space) it reads the same undecoded, so it is only split into its `name=value` pairs;
   * with escapes it is decoded by `URLSearchParams`.
   */
  #parseQuery(): string[] | URLSearchParams {
    const url = this.#url;
    const start = url.indexOf('?') + 1;
    // Most requests have no query: nothing to split.
    if (!start) return [];
    const query = url.slice(start);
    return query.includes('%') || query.includes('+') ? new URLSearchParams(query) : query.split('&');
  }
}

/**
 * Turn a request into the only facts the router may use, all of them at once.
 * Never throws for a real Request (its URL is already parsed): the one parse of
 * request data, the Referer, is guarded and gives '' when malformed.
 * `params` names the query parameters: pass the manifest.
 */
export function readSignals(request: Request, params: Params, platform?: Platform, now = Date.now()): Signals {
  // Serialized and without a fragment, so any request-like object reads like a request a server received.
  const url = new URL(request.url);
  url.hash = '';
  const s = new RequestSignals({ url: url.href, method: request.method, headers: request.headers } as Request, params, platform, now);
  return {
    method: request.method.toUpperCase(),
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
 * A comma-separated header holds `token` as one of its items. `Sec-GPC` and `DNT`: the GPC
 * spec defines only the value "1", and a header sent twice (joined as `0, 1`) is on when any
 * of its values is exactly 1; anything else is no signal.
 */
const listed = (value: string, token: string): boolean => value.includes(token) && value.split(',').some((item) => item.trim() == token);
