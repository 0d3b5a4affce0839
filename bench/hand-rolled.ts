/**
 * The baseline for the router benchmark: the router one would write by hand for
 * bench/router.ts's `typical` site (audience from a login cookie or utm_source,
 * region from the platform's country, a choice cookie, crawlers and GPC get the
 * defaults), plainly, with the platform's own URL and cookie parsing. It knows
 * only this site and none of the hardening (no bounds on inputs, no Unicode
 * look-alike checks, no debug header); the bench checks it gives the same
 * variant file and cookie as the real router on every shape it measures.
 */
const EU = new Set(['de', 'fr', 'it', 'es', 'nl', 'at', 'be', 'pl', 'se', 'dk']);
const FILES: Record<string, Record<string, string>> = {
  '/': { customer: '/_segments/aaaaa1000001.html', partner: '/_segments/aaaaa1000002.html' },
  '/pricing': { 'customer/eu': '/_segments/aaaaa1000003.html', 'prospect/eu': '/_segments/aaaaa1000004.html', 'partner/na': '/_segments/aaaaa1000005.html' },
};

export interface HandRolledDecision {
  path: string | null;
  setCookie?: string;
  headers: Record<string, string>;
}

export function handRolled(request: Request, country = ''): HandRolledDecision | null {
  const url = new URL(request.url);
  const route = url.pathname.replace(/\/(index\.html)?$/, '') || '/';
  if (!(route in FILES) || (request.method !== 'GET' && request.method !== 'HEAD')) return null;

  const cookies = request.headers.get('cookie') ?? '';
  const stored = /(?:^|;\s*)__Host-segment=([^;]*)/.exec(cookies)?.[1] ?? '';
  const remembered: Record<string, string> = Object.fromEntries(stored.split('|').map((entry) => entry.split(':')));
  const chosen: Record<string, string> = {};
  for (const item of (url.searchParams.get('segment') ?? '').split(',')) {
    if (item.includes(':')) chosen[item.split(':')[0]!] = item.split(':')[1]!;
    else if (['customer', 'partner', 'prospect'].includes(item)) chosen.audience = item;
    else if (['eu', 'na', 'other'].includes(item)) chosen.region = item;
  }

  const bot = /bot|crawl|spider/i.test(request.headers.get('user-agent') ?? '');
  const infer = !bot && request.headers.get('sec-gpc') !== '1';
  let audience = 'prospect';
  if (!bot && (chosen.audience || remembered.audience)) audience = chosen.audience ?? remembered.audience!;
  else if (infer && /(?:^|;\s*)session=/.test(cookies)) audience = 'customer';
  else if (infer && url.searchParams.get('utm_source') === 'partner-portal') audience = 'partner';
  let region = 'other';
  if (!bot && (chosen.region || remembered.region)) region = chosen.region ?? remembered.region!;
  else if (infer && EU.has(country.toLowerCase())) region = 'eu';
  else if (infer && ['us', 'ca'].includes(country.toLowerCase())) region = 'na';

  const choice = !bot && Object.keys(chosen).length > 0;
  const value = Object.entries({ ...remembered, ...chosen })
    .filter(([, v]) => v)
    .map(([dim, v]) => `${dim}:${v}`)
    .join('|');
  return {
    path: FILES[route]![route === '/' ? audience : `${audience}/${region}`] ?? null,
    setCookie: choice ? `__Host-segment=${value}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure` : undefined,
    headers: { 'Cache-Control': choice ? 'private, no-store' : 'private, no-cache' },
  };
}
