import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import matter from 'gray-matter';
import { BuildProblem } from '../build-problem.ts';
import { parsePageConfig } from '../page-config.ts';
import type { ResolvedOptions } from '../validate-options.ts';

const MARKDOWN = /\.(md|mdx|markdown)$/;

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
 * personalize, before Astro renders anything: executable front matter,
 * malformed YAML, and `segments` blocks that are incomplete or name undeclared
 * dimensions and values. Each problem names the file, the line and the key.
 * Every file is read, but only those whose front matter mentions `segments`
 * (or is not plain YAML) are parsed. Returns the files that declare
 * `segments`, relative to `root`: the build checks each one was sliced.
 */
export async function scanContent(root: string, srcDir: string, options: ResolvedOptions): Promise<string[]> {
  const files = await markdownFiles(srcDir);
  const declared: string[] = [];
  // A few reads at a time: fast on a large site without opening thousands of files at once.
  for (let start = 0; start < files.length; start += 64) {
    const batch = files.slice(start, start + 64);
    const sources = await Promise.all(batch.map((path) => readFile(path, 'utf8')));
    sources.forEach((text, index) => {
      // Astro reads front matter after a byte order mark too: so must this check.
      const source = text.replace(/^\uFEFF/, '');
      if (!source.startsWith('---') || !needsParsing(source)) return;
      const file = relative(root, batch[index]!).split('\\').join('/');
      if (checkFile(file, source, options)) declared.push(file);
    });
  }
  return declared;
}

/** Front matter that opens with anything but plain `---`, or mentions `segments`. */
function needsParsing(source: string): boolean {
  const opener = /^---([^\n]*)\n/.exec(source)?.[1]?.trim() ?? '';
  if (opener !== '' && opener !== 'yaml') return true;
  const end = source.indexOf('\n---', 3);
  return /(^|\n)\s*segments\s*:/.test(end < 0 ? source : source.slice(0, end));
}

/** Check one file's front matter; true when it declares `segments`. */
export function checkFile(file: string, source: string, options: ResolvedOptions): boolean {
  const opener = /^---([^\n]*)\n/.exec(source)?.[1]?.trim() ?? '';
  if (opener !== '' && opener !== 'yaml') {
    throw new BuildProblem(
      `${file}:1`,
      `The front matter opens with "---${opener}". Front matter in ${opener} would run as code at build time, so it is refused.`,
      'Write the front matter as YAML: start it with a plain --- line.',
    );
  }
  let data: Record<string, unknown>;
  try {
    // With options given, gray-matter bypasses its content cache, so `engines` always applies.
    data = matter(source, { engines: SAFE_ENGINES } as never).data;
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const line = typeof mark?.line === 'number' ? mark.line + 2 : 1;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new BuildProblem(`${file}:${line}`, `The front matter is not valid YAML: ${reason}.`, 'Fix the YAML syntax at that line (indentation, quotes around values with a colon).');
  }
  if (data.segments === undefined) return false;
  const frontmatterLines = source.split('\n');
  const result = parsePageConfig(data.segments);
  if ('problems' in result) {
    const problem = result.problems[0]!;
    throw new BuildProblem(
      `${file}:${lineOfKey(frontmatterLines, problem.key)}`,
      `${problem.key}: ${problem.message}.`,
      'A personalized page declares segments: { dimensions: [...], purpose: "...", kpi: "..." } and optional overrides.',
    );
  }
  const { config } = result;
  for (const name of config.dimensions) {
    if (!options.dimensions.some((dimension) => dimension.name === name)) {
      throw new BuildProblem(
        `${file}:${lineOfKey(frontmatterLines, 'segments.dimensions')}`,
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
          `${file}:${lineOfKey(frontmatterLines, key)}`,
          `${key}: the override depends on "${name}", which this page does not vary on.`,
          `Add "${name}" to segments.dimensions, or use one of ${config.dimensions.join(', ')}.`,
        );
      }
      const unknown = clause.values.find((value) => !dimension.values.some((candidate) => candidate.name === value));
      if (unknown !== undefined) {
        throw new BuildProblem(
          `${file}:${lineOfKey(frontmatterLines, key)}`,
          `${key}: "${unknown}" is not a value of "${name}".`,
          `Use one of ${dimension.values.map((v) => v.name).join(', ')}.`,
        );
      }
    }
  });
  return true;
}

/** Best-effort 1-based line of a key path such as `segments.overrides[0].title` in the front matter. */
export function lineOfKey(lines: readonly string[], keyPath: string): number {
  let line = 0;
  for (const part of keyPath.split('.').map((segment) => segment.replace(/\[\d+\]$/, ''))) {
    const pattern = new RegExp(`^\\s*(?:-\\s+)?${part.replace(/[^a-z0-9_]/gi, '')}\\s*:`);
    for (let index = line; index < lines.length; index++) {
      if (index > 0 && lines[index] === '---') break;
      if (pattern.test(lines[index]!)) {
        line = index;
        break;
      }
    }
  }
  return line + 1;
}

async function markdownFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && MARKDOWN.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
