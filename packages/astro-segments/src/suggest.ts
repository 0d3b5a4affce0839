/**
 * Words for "you wrote X; the allowed ones are …; you probably meant Y": one
 * helper for every enum and every object key of the options, so each mistake
 * names the allowed values and the likely intended one the same way.
 */

/** `"a", "b" or "c"`. */
export function choices(allowed: readonly string[], conjunction = 'or'): string {
  const quoted = allowed.map((item) => `"${item}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/**
 * The allowed word a typo most likely meant: the same word in another case or
 * spelling of separators (`perpage`, `utm-source`), or one within a small edit
 * distance (a third of its length). Nothing when no word is that close.
 */
export function closest(input: string, allowed: readonly string[]): string | undefined {
  const wanted = normalize(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(wanted.length / 3)) ? best : undefined;
}

/** ` Did you mean "cloudflare"?`, or nothing. */
export function didYouMean(input: string, allowed: readonly string[], guess = closest(input, allowed)): string {
  return guess === undefined ? '' : ` Did you mean "${guess}"?`;
}

/** For a line that already names the key: `unknown key. Did you mean "cookie"? The keys allowed here are …` */
export function unknownKey(key: string, allowed: readonly string[]): string {
  return `unknown key.${didYouMean(key, allowed)} The keys allowed here are ${allowed.join(', ')}`;
}

/**
 * `"cloudfare" is not allowed here. Did you mean "cloudflare"? Use "netlify", "vercel" or "cloudflare"`.
 * `guess` overrides the spelling-based one (a continent's name for its code).
 */
export function notOneOf(input: string, allowed: readonly string[], guess = closest(input, allowed)): string {
  return `"${input}" is not allowed here.${didYouMean(input, allowed, guess)} Use ${choices(allowed)}`;
}

function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
