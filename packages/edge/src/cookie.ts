/**
 * The value of one named cookie in a Cookie header, or undefined when it is
 * absent. The first occurrence wins (browsers send the most specific path
 * first). A cookie is `name=value` between semicolons, both trimmed; only the
 * names the router asks for are looked up (its own cookie, the cookies rules
 * name, a holdout's), and nothing is collected.
 *
 * The search jumps from one occurrence of the name to the next, and looks only
 * at the cookie each occurrence sits in: a 16 KiB header of analytics cookies
 * costs a string search, not a split into hundreds of parts. Each part of the
 * header is looked at once at most, so the work stays linear in its length.
 */
export function cookieValue(header: string, name: string): string | undefined {
  for (let at = header.indexOf(name); at >= 0; ) {
    const start = header.lastIndexOf(';', at) + 1;
    const end = header.indexOf(';', at);
    const part = end < 0 ? header.slice(start) : header.slice(start, end);
    const equals = part.indexOf('=');
    if (equals > 0 && part.slice(0, equals).trim() == name) return part.slice(equals + 1).trim();
    if (end < 0) return undefined;
    at = header.indexOf(name, end + 1);
  }
  return undefined;
}
