import type { Dirent } from 'node:fs';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sourcePath } from 'remark-segments';
import { BuildProblem } from '../build-problem.ts';
import { readScratch } from '../build/read-scratch.ts';
import { parsePageConfig } from '../page-config.ts';
import type { ResolvedOptions } from '../validate-options.ts';

/**
 * Every extension Astro renders as Markdown (its SUPPORTED_MARKDOWN_FILE_EXTENSIONS), MDX,
 * and Markdoc's `.mdoc`, which is read only to refuse segments in it (see `refuseMarkdoc`).
 */
const MARKDOWN = /\.(?:md|mdx|markdown|mdown|mkdn|mkd|mdwn|mdoc)$/;

/**
 * gray-matter evaluates `---js` and `---javascript` front matter with `eval`,
 * and turning off one engine name leaves the other alias live. Both are
 * replaced by a parser that refuses.
 */
const REFUSE_CODE = () => {
  throw new Error('refused: front matter written in JavaScript');
};
export const SAFE_ENGINES = { js: REFUSE_CODE, javascript: REFUSE_CODE } as const;

/**
 * Check the front matter of the Markdown/MDX files under `srcDir` that
 * personalize, before Astro syncs its content collections (whose schemas would
 * report a declaration's mistake without its line) and renders anything: executable front matter,
 * malformed YAML, and `segments` blocks that are incomplete or name undeclared
 * dimensions and values. Each problem names the file, the line and the key.
 * Every file is read, but only those whose front matter mentions `segments`
 * (or is not plain YAML) are parsed; TOML front matter is only searched for a
 * declaration, and a Markdoc file that would personalize is refused. Returns the
 * files that declare `segments`, relative to `root`: the build checks each one
 * was sliced. Files outside `srcDir` (a collection whose loader reads another
 * folder) are not scanned; the renderer still checks what it renders.
 */
export async function scanContent(root: string, srcDir: string, options: ResolvedOptions): Promise<string[]> {
  const files = markdownFiles(srcDir);
  const declared: string[] = [];
  let matter: typeof import('gray-matter') | undefined;
  // One file after the other, synchronously (see `markedPages` in compile-site.ts); only the
  // front matter of each is decoded, and only a YAML one that declares `segments` is parsed.
  for (const path of files) {
    const content = readScratch(path);
    const file = sourcePath(path, root);
    if (path.endsWith('.mdoc')) {
      refuseMarkdoc(file, content);
      continue;
    }
    const frontmatter = frontmatterOf(content);
    if (frontmatter === undefined) continue;
    // TOML front matter (`+++`, which Astro reads too) runs no code, and Astro reports its
    // mistakes itself; the renderer checks its declaration like any other.
    if (frontmatter.startsWith('+++')) {
      if (DECLARES_TOML.test(frontmatter)) declared.push(file);
      continue;
    }
    refuseCode(file, frontmatter);
    if (!DECLARES.test(frontmatter)) continue;
    // Astro reports YAML mistakes itself, but wrapped in a bundler error: for the files that
    // personalize, say it the way the rest of our errors do.
    matter ??= loadGrayMatter();
    const data = parseYaml(matter, file, `${frontmatter}\n---\n`);
    // Here, before a collection's schema reports a mistake in the declaration without its line.
    if (Object.hasOwn(data, 'segments')) checkDeclaration(file, data.segments, () => content.toString('utf8').split('\n'), options);
    declared.push(file);
  }
  return declared;
}

/**
 * gray-matter and its YAML parser (~30 modules, ~28 ms) load for a site that personalizes
 * Markdown, not with the integration. Required, not imported: Astro 7.2 loads the config
 * through Vite's module runner and closes it before the build's hooks, and an integration it
 * ran from source (a workspace link) would fail any `import()` made after that.
 */
function loadGrayMatter(): typeof import('gray-matter') {
  return createRequire(import.meta.url)('gray-matter') as typeof import('gray-matter');
}

/** A top-level `segments:` key. */
const DECLARES = /(?:^|\n)segments[ \t]*:/;
/** In TOML: a `[segments]` table (or one under it), or a top-level `segments` key, dotted or not. */
const DECLARES_TOML = /(?:^|\n)[ \t]*(?:\[{1,2}[ \t]*segments[ \t]*[.\]]|segments[ \t]*[.=])/;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The front matter's text (from its opening fence to the closing one), or undefined when the
 * file has none: YAML between `---` lines, or TOML between `+++` lines, as Astro reads them.
 */
function frontmatterOf(content: Buffer): string | undefined {
  const start = content.subarray(0, 3).equals(BOM) ? 3 : 0;
  const fence = content.toString('latin1', start, start + 3);
  if (fence !== '---' && fence !== '+++') return undefined;
  const end = content.indexOf(`\n${fence}`, start + 3);
  return content.subarray(start, end < 0 ? content.length : end).toString('utf8');
}

/**
 * Markdoc renders its files itself, without Astro's Markdown processor, so a `:::segment`
 * block there would be printed as text on the page, for every visitor, and `segments` in its
 * front matter would do nothing. Either fails the build at its line.
 */
function refuseMarkdoc(file: string, content: Buffer): void {
  const frontmatter = frontmatterOf(content);
  const declares = frontmatter !== undefined && DECLARES.test(frontmatter);
  // Markdoc files are few: decoded whole, only here.
  const text = content.toString('utf8');
  const block = /^:::segment/m.exec(text)?.index;
  if (!declares && block === undefined) return;
  const line = declares ? lineOfKey(frontmatter!.split('\n'), 'segments') : text.slice(0, block).split('\n').length;
  throw new BuildProblem(
    `${file}:${line}`,
    `A Markdoc file ${declares ? 'declares segments' : 'holds a :::segment block'}, but astro-segments personalizes Markdown and MDX only: Markdoc would publish every version's text to every visitor.`,
    'Write the personalized page as .md or .mdx, or remove its segments.',
  );
}

/** Front matter in another language than YAML would run as code (gray-matter's `---js`): refused. */
export function refuseCode(file: string, source: string): void {
  const opener = /^\uFEFF?---([^\n]*)\n/.exec(source)?.[1]?.trim() ?? '';
  if (opener === '' || opener === 'yaml') return;
  throw new BuildProblem(
    `${file}:1`,
    `The front matter opens with "---${opener}". Front matter in ${opener} would run as code at build time, so it is refused.`,
    'Write the front matter as YAML: start it with a plain --- line.',
  );
}

/** The front matter's data; a YAML mistake is located at its line. */
function parseYaml(matter: typeof import('gray-matter'), file: string, source: string): Record<string, unknown> {
  try {
    // With options given, gray-matter bypasses its content cache, so `engines` always applies.
    return matter(source, { engines: SAFE_ENGINES } as never).data;
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const line = typeof mark?.line === 'number' ? mark.line + 2 : 1;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new BuildProblem(
      `${file}:${line}`,
      `The front matter is not valid YAML: ${reason}.`,
      'Fix the YAML syntax at that line (indentation, quotes around values with a colon).',
    );
  }
}

/**
 * Check a `segments` declaration (as parsed from the front matter) against the
 * site's options. `lines` gives the file's lines, read only when there is a
 * mistake to locate.
 */
export function checkDeclaration(file: string, segments: unknown, lines: () => readonly string[], options: ResolvedOptions): void {
  const at = (key: string) => `${file}:${lineOfKey(lines(), key)}`;
  const result = parsePageConfig(segments);
  if ('problems' in result) {
    const problem = result.problems[0]!;
    throw new BuildProblem(
      at(problem.key),
      `${problem.key}: ${problem.message}.`,
      'A personalized page declares segments: { dimensions: [...], purpose: "...", kpi: "..." } and optional overrides.',
    );
  }
  const { config } = result;
  for (const name of config.dimensions) {
    if (!options.dimensions.some((dimension) => dimension.name === name)) {
      throw new BuildProblem(
        at('segments.dimensions'),
        `segments.dimensions lists "${name}", which is not declared in the segments() options.`,
        `Use one of ${options.dimensions.map((d) => d.name).join(', ')}, or declare "${name}" in astro.config.`,
      );
    }
  }
  config.overrides.forEach((override, index) => {
    for (const [name, clause] of Object.entries(override.when)) {
      const key = `segments.overrides[${index}].when.${name}`;
      const dimension = options.dimensions.find((candidate) => candidate.name === name);
      if (!dimension || !config.dimensions.includes(name)) {
        throw new BuildProblem(
          at(key),
          `${key}: the override depends on "${name}", which this page does not vary on.`,
          `Add "${name}" to segments.dimensions, or use one of ${config.dimensions.join(', ')}.`,
        );
      }
      const unknown = clause.values.find((value) => !dimension.values.some((candidate) => candidate.name === value));
      if (unknown !== undefined) {
        throw new BuildProblem(at(key), `${key}: "${unknown}" is not a value of "${name}".`, `Use one of ${dimension.values.map((v) => v.name).join(', ')}.`);
      }
    }
  });
}

/**
 * Best-effort 1-based line of a key path such as `segments.overrides[0].title` in the front
 * matter: a YAML key (`title:`), or in TOML a key (`title =`) or a table named by it
 * (`[segments]`, `[[segments.overrides]]`).
 */
export function lineOfKey(lines: readonly string[], keyPath: string): number {
  let line = 0;
  for (const part of keyPath.split('.').map((segment) => segment.replace(/\[\d+\]$/, ''))) {
    const key = part.replace(/[^a-z0-9_]/gi, '');
    const pattern = new RegExp(`^\\s*(?:(?:-\\s+)?${key}\\s*:|${key}\\s*=|\\[{1,2}\\s*(?:[\\w-]+\\.)*${key}\\s*\\]{1,2})`);
    for (let index = line; index < lines.length; index++) {
      if (index > 0 && (lines[index] === '---' || lines[index] === '+++')) break;
      if (pattern.test(lines[index]!)) {
        line = index;
        break;
      }
    }
  }
  return line + 1;
}

function markdownFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    // Synchronously, like the reads (see `outputFiles`): a folder per page is common.
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && MARKDOWN.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
