/**
 * The words of a built page as a search index sees them: the text inside
 * `<main>` (Starlight's `data-pagefind-body`), scripts and styles dropped,
 * entities decoded, whitespace collapsed.
 */
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function mainOf(html: string): string {
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(html)?.[1];
  if (main === undefined) throw new Error('the page has no <main>');
  return main.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
}

/** All of a page's main text, as one string. */
export function mainText(html: string): string {
  return collapse(decode(mainOf(html).replace(/<[^>]+>/g, ' ')));
}

/**
 * The runs of text between tags in a page's main content, at least `min`
 * characters long: the pieces a variant adds are looked for as a whole.
 */
export function textRuns(html: string, min = 16): string[] {
  return mainOf(html)
    .split(/<[^>]+>/)
    .map((run) => collapse(decode(run)))
    .filter((run) => run.length >= min);
}
