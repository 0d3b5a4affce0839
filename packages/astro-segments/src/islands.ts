import { applyEdits, type Edit } from './apply-edits.ts';

/**
 * Island scripts in sliced pages.
 *
 * Astro writes the scripts that hydrate islands once per page, just before the
 * first island that needs each (`astro/dist/runtime/server/scripts.js`):
 *
 *   <style>astro-island,…{display:contents}</style>   with the first island
 *   <script>…(self.Astro||…).visible=…</script>        with the first island of each directive
 *   <script>…customElements.define("astro-island"…</script>  with the first island
 *
 * A page is rendered once with every block in it, so when that first use sits
 * in a block a version hides, the version loses the script although a later
 * island of its own needs it. And a `<Segment>` slot hands its islands' scripts
 * to Astro as render instructions, which Astro writes before the component's
 * output: between two blocks, where they would break an otherwise run.
 *
 * So for every version: each script stays where Astro put it when it comes
 * before the version's first island that needs it, is written right before that
 * island when the version lost it, and is dropped when no island of the version
 * needs it.
 *
 * Renderer-specific hydration scripts (Solid's) carry nothing that names them,
 * so they are left where Astro wrote them.
 */

/** What a script is for: `styles`, `runtime`, or `directive:<name>`. */
type ScriptKey = string;

type Token =
  | { readonly type: 'script'; readonly key: ScriptKey; readonly start: number; readonly end: number }
  | { readonly type: 'island'; readonly directive: string; readonly start: number };

// Astro writes its island scripts without attributes; an island's attributes are
// quoted and may hold `>` in JSON props.
const TOKEN = /<(script|style)>([\s\S]*?)<\/\1\s*>|<astro-island(?=[\s>])((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const CLIENT = /\sclient="([^"]*)"/;
// Astro's built-in directives and the wrapper it builds custom ones with
// (`core/client-directive/build.js`) all end by announcing themselves this way.
const DIRECTIVE = /window\.dispatchEvent\(new Event\("astro:([^"]+)"\)\);?\}\)\(\);?\s*$/;

const DESCRIPTIONS: Readonly<Record<ScriptKey, string>> = { styles: 'astro-island styles', runtime: 'astro-island runtime' };

/** Astro's order for the scripts of one island: styles, its directive, the runtime. */
const needs = (directive: string): readonly ScriptKey[] => ['styles', `directive:${directive}`, 'runtime'];

function keyOf(tag: string, content: string): ScriptKey | undefined {
  if (tag === 'style') return content.startsWith('astro-island,') ? 'styles' : undefined;
  if (content.includes('customElements.define("astro-island"')) return 'runtime';
  const directive = DIRECTIVE.exec(content)?.[1];
  return directive !== undefined && content.includes('self.Astro') ? `directive:${directive}` : undefined;
}

function tokens(html: string): Token[] {
  const found: Token[] = [];
  for (const match of html.matchAll(TOKEN)) {
    if (match[1] !== undefined) {
      const key = keyOf(match[1], match[2]!);
      if (key !== undefined) found.push({ type: 'script', key, start: match.index, end: match.index + match[0].length });
    } else {
      found.push({ type: 'island', directive: CLIENT.exec(match[3]!)?.[1] ?? '', start: match.index });
    }
  }
  return found;
}

/** The text of each island script on the page, hidden blocks included. One page at a time is remembered. */
let remembered: { readonly page: string; readonly scripts: ReadonlyMap<ScriptKey, string> } | undefined;

function scriptsOf(page: string): ReadonlyMap<ScriptKey, string> {
  if (remembered?.page === page) return remembered.scripts;
  const scripts = new Map<ScriptKey, string>();
  for (const token of tokens(page)) {
    if (token.type === 'script' && !scripts.has(token.key)) scripts.set(token.key, page.slice(token.start, token.end));
  }
  remembered = { page, scripts };
  return scripts;
}

/** `text` without Astro's island scripts: what lies between two blocks once they are set aside. */
export function withoutIslandScripts(text: string): string {
  if (!text.includes('<s')) return text;
  const scripts = tokens(text).filter((token) => token.type === 'script');
  return applyEdits(
    text,
    scripts.map((token) => ({ start: token.start, end: token.end, replacement: '' })),
  );
}

/** The version, or the island whose script the page does not hold in a form this module knows. */
export type PlacedScripts = { readonly html: string } | { readonly missing: { readonly directive: string; readonly script: string } };

/**
 * One version of a page with exactly the island scripts its own islands need,
 * each before the first island that needs it.
 *
 * @param version the page rendered for one assignment
 * @param page the page as Astro rendered it, every block included: where lost scripts are found
 */
export function placeIslandScripts(version: string, page: string): PlacedScripts {
  if (!page.includes('<astro-island')) return { html: version };
  const scripts = scriptsOf(page);
  const edits: Edit[] = [];
  const placed = new Set<ScriptKey>();
  const waiting = new Map<ScriptKey, Token & { type: 'script' }>();
  for (const token of tokens(version)) {
    if (token.type === 'script') {
      // A copy after the one already placed (or written by us) is not needed.
      if (placed.has(token.key) || waiting.has(token.key)) edits.push({ start: token.start, end: token.end, replacement: '' });
      else waiting.set(token.key, token);
      continue;
    }
    let inserted = '';
    for (const key of needs(token.directive)) {
      if (placed.has(key)) continue;
      placed.add(key);
      if (waiting.delete(key)) continue;
      const text = scripts.get(key);
      if (text === undefined) return { missing: { directive: token.directive, script: DESCRIPTIONS[key] ?? `client:${token.directive} script` } };
      inserted += text;
    }
    if (inserted) edits.push({ start: token.start, end: token.start, replacement: inserted });
  }
  // Scripts no island of this version comes after: the islands that needed them are hidden.
  for (const token of waiting.values()) edits.push({ start: token.start, end: token.end, replacement: '' });
  return { html: applyEdits(version, edits) };
}
