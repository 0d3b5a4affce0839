/**
 * The linter's promises about the edge router hold: Biome (biome.jsonc) rejects in
 * `packages/edge/src` what the router must never do, and accepts the same code elsewhere.
 * The real `biome lint` runs with the repository's configuration on a probe file at the
 * same path in a temporary folder, so nothing is written to the repository.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIOME = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
const CONFIG = fileURLToPath(new URL('../biome.jsonc', import.meta.url));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'segments-lint-'));
  await copyFile(CONFIG, join(root, 'biome.jsonc'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The rules Biome reports for `code` in the file at `path` (relative to the repository). */
async function lint(path: string, code: string): Promise<string[]> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), code);
  // Exits non-zero when it reports an error: the report is what is read.
  const { stdout } = await promisify(execFile)(BIOME, ['lint', '--vcs-enabled=false', '--reporter=json', path], { cwd: root }).catch((error) => error);
  const report = JSON.parse(stdout) as { diagnostics: { category: string }[] };
  return report.diagnostics.map((diagnostic) => diagnostic.category);
}

const FORBIDDEN: [what: string, code: string, rule: string][] = [
  ['a Node built-in', `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n`, 'lint/correctness/noNodejsModules'],
  ['a log line', `export const log = (text: string) => console.log(text);\n`, 'lint/suspicious/noConsole'],
  ['a network call', `export const call = () => fetch('https://example.com/');\n`, 'lint/style/noRestrictedGlobals'],
  ['the environment', `export const env = () => process.env.SECRET;\n`, 'lint/style/noRestrictedGlobals'],
  ['state on globalThis', `export const keep = (value: string) => Reflect.set(globalThis, 'last', value);\n`, 'lint/style/noRestrictedGlobals'],
  ['a pattern from data', `export const match = (pattern: string, text: string) => RegExp(pattern).test(text);\n`, 'lint/style/noRestrictedGlobals'],
  ['code from data', `export const run = (code: string) => eval(code);\n`, 'lint/security/noGlobalEval'],
];

describe('Biome keeps the edge router to its contract', () => {
  it.each(FORBIDDEN)('rejects %s in packages/edge/src', async (_what, code, rule) => {
    expect(await lint('packages/edge/src/probe.ts', code)).toContain(rule);
  });

  it.each(FORBIDDEN.filter(([, , rule]) => rule !== 'lint/security/noGlobalEval'))(
    'allows %s outside the router, where Node is the runtime',
    async (_what, code, rule) => {
      expect(await lint('packages/astro-segments/src/probe.ts', code)).not.toContain(rule);
    },
  );
});
