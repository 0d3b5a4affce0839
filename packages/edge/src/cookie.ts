/**
 * Cookie header → name → value. The first occurrence of a name wins (browsers
 * send the most specific path first). The router reads one cookie of its own
 * and only the presence of rule cookies.
 */
export function parseCookies(header: string): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    const name = part.slice(0, i).trim();
    if (i > 0 && !jar.has(name)) jar.set(name, part.slice(i + 1).trim());
  }
  return jar;
}
