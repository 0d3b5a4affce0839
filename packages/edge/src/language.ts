/**
 * Primary subtag of the highest-weight Accept-Language entry, first on ties.
 * Entries with weight 0, `*` and malformed tags are skipped. The weight is read
 * from the first parameter, the only one RFC 9110 defines. Tags are checked
 * before lowercasing so no non-ASCII letter can fold into an ASCII tag. At most
 * 16 entries are read.
 *
 * Optional: only sites with a `language` rule ship it (see features.ts).
 */
export function language(value: string): string {
  let best = '';
  let top = 0;
  for (const entry of value.split(',', 16)) {
    const [tag = '', weight = 'q=1'] = entry.split(';');
    const primary = tag.trim().split('-')[0]!;
    const q = +weight.trim().slice(2);
    if (/^[a-zA-Z]{1,8}$/.test(primary) && q > top && q <= 1) (top = q), (best = primary);
  }
  return best.toLowerCase();
}
