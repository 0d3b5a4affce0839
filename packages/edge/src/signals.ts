import type { Manifest } from './manifest.ts';
import type { Platform, Signals } from './types.ts';
import { isBot } from './bots.ts';

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
    // The GPC spec defines only the value "1"; anything else means no signal.
    gpc: header('sec-gpc').trim() == '1',
    dnt: header('dnt').trim() == '1',
    bot: isBot(header('user-agent')),
    now,
  };
}

function referrerHost(value: string): string {
  try {
    return value && new URL(value).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Primary subtag of the highest-weight entry, first on ties. Entries with weight 0, `*`
 * and malformed tags are skipped. The weight is read from the first parameter, the only
 * one RFC 9110 defines. Tags are checked before lowercasing so no non-ASCII letter can
 * fold into an ASCII tag.
 */
function language(value: string): string {
  let best = '';
  let top = 0;
  for (const entry of value.split(',', 16)) {
    const [tag = '', w = 'q=1'] = entry.split(';');
    const t = tag.trim().split('-')[0]!;
    const q = +w.trim().slice(2);
    if (/^[a-zA-Z]{1,8}$/.test(t) && q > top && q <= 1) (top = q), (best = t);
  }
  return best.toLowerCase();
}
