/**
 * The value of one named cookie in a Cookie header, or undefined when it is
 * absent. The first occurrence wins (browsers send the most specific path
 * first). Only the names the router asks for are looked up (its own cookie,
 * the cookies rules name), and the search stops at the first match: nothing
 * is collected into a map.
 */
export function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() == name) return part.slice(i + 1).trim();
  }
  return undefined;
}
