import type { Manifest } from './manifest.ts';
import type { Platform, Signals } from './types.ts';
import { isBot } from './bots.ts';
import { language } from './language.ts';
import { referrerHost } from './referrer.ts';

type Params = Pick<Manifest, 'param' | 'previewParam'>;

/**
 * Turn a request into the only facts the router may use. Every field is
 * bounded so a hostile request cannot make later work large. Never throws for
 * a real Request (its URL is already parsed): the one parse of request data,
 * the Referer, is guarded and gives '' when malformed.
 * `params` names the query parameters: pass the manifest.
 */
export function readSignals(request: Request, params: Params, platform?: Platform, now = Date.now()): Signals {
  const header = (name: string) => request.headers.get(name) ?? '';
  const url = new URL(request.url);
  const q = url.searchParams;
  const list = (name: string) => q.getAll(name).filter((v) => v.length <= 64).slice(0, 8);
  const utm: Record<string, string> = {};
  for (const k of ['source', 'medium', 'campaign', 'term', 'content']) {
    const v = q.get('utm_' + k);
    if (v && v.length <= 128) utm[k] = v.toLowerCase();
  }
  const country = platform?.country;
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    secure: url.protocol == 'https:',
    choice: list(params.param),
    preview: list(params.previewParam),
    utm,
    referrer: referrerHost(header('referer')),
    language: language(header('accept-language')),
    // Only the platform's own geo context: a client-sent header could be forged.
    country: country && /^[a-z]{2}$/i.test(country) ? country.toLowerCase() : '',
    cookie: header('cookie').slice(0, 16384),
    gpc: on(header('sec-gpc')),
    dnt: on(header('dnt')),
    bot: isBot(header('user-agent')),
    now,
  };
}

/**
 * `Sec-GPC` and `DNT`: the GPC spec defines only the value "1", and a header sent twice
 * (joined as `0, 1`) is on when any of its values is exactly 1; anything else is no signal.
 */
const on = (value: string): boolean => value.split(',').some((part) => part.trim() == '1');
