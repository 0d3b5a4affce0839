import { stripVTControlCharacters } from 'node:util';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { build, type AstroInlineConfig } from 'astro';
import { FIXTURES } from './fixture.ts';

/**
 * Write a throwaway Astro site under `test/fixtures/<fixture>/.cases/<name>/`
 * (so it resolves astro and astro-segments from that fixture package) and
 * build it with inline config. Returns the error the build threw, or undefined.
 */
export async function buildCase(
  fixture: string,
  name: string,
  files: Readonly<Record<string, string>>,
  config: AstroInlineConfig,
): Promise<{ error: (Error & { hint?: string; loc?: { file?: string; line?: number } }) | undefined; root: string }> {
  const root = await writeCase(fixture, name, files);
  try {
    await build({ root, configFile: false, logLevel: 'silent', ...config });
    return { error: undefined, root };
  } catch (error) {
    return { error: error as Error, root };
  }
}

/** Write a throwaway site under `test/fixtures/<fixture>/.cases/<name>/`, replacing any earlier one; returns its root. */
export async function writeCase(fixture: string, name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const root = join(FIXTURES, fixture, '.cases', name);
  await rm(root, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

type BuildError = Error & { hint?: string; loc?: { file?: string; line?: number; column?: number } };

/**
 * An error as a user reads it: `[name] file:line:column`, the message, the
 * hint; paths relative to the site, colours removed (Rolldown colours its
 * wrapper message when CI is set; the words are what tests check).
 */
export function errorText(error: BuildError, root: string): string {
  const { file, line, column } = error.loc ?? {};
  const where = file === undefined ? '' : ` ${isAbsolute(file) ? relative(root, file) : file}${line ? `:${line}` : ''}${column ? `:${column}` : ''}`;
  return stripVTControlCharacters(`[${error.name}]${where}\n${error.message}\nhint: ${error.hint ?? '(none)'}`)
    .replaceAll(`${root}/`, '')
    .replaceAll(root, '');
}
