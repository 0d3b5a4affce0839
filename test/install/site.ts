import { stripVTControlCharacters } from 'node:util';
/**
 * A user's Astro site outside the workspace, and the commands a user runs in
 * it: npm, pnpm, npx astro. Children get a terminal's environment, not the
 * test runner's: Node 24 first on PATH (Astro 7 refuses the machine's Node 20,
 * as it would refuse a user's), and none of pnpm's `npm_*` variables or the
 * workspace's `node_modules/.bin`, which would point the install elsewhere.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE = fileURLToPath(new URL('../..', import.meta.url));
/** The pnpm this test runs under (the root scripts use `npx -y pnpm@12.21.0`). */
export const PNPM = process.env.npm_execpath ?? 'pnpm';
/** The Astro version the workspace tests with: the outside sites use the same one, served from caches. */
export const ASTRO_VERSION = (JSON.parse(await readFile(join(WORKSPACE, 'node_modules/astro/package.json'), 'utf8')) as { version: string }).version;

/** The one command the README gives for when the packages are published (tested in local-registry.test.ts). */
export const ASTRO_ADD = ['npx', 'astro', 'add', 'astro-segments'] as const;

export function userEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|NODE$|NODE_ENV$|INIT_CWD$)/i.test(name)) continue;
    env[name] = value;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.startsWith(WORKSPACE) && !dir.includes('/_npx/'));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Answer an interactive prompt: called with the output since the last answer, returns the keys to type. */
  readonly answer?: (output: string) => string | undefined;
}

/** Run a command to its end; resolves with what it printed (ANSI stripped), rejects with it on a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = 0;
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.answer) return;
      const keys = options.answer(stripVTControlCharacters(output.slice(answered)));
      if (keys === undefined) return;
      answered = output.length;
      child.stdin.write(keys);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    if (!options.answer) child.stdin.end();
    child.on('error', (error) => reject(new Error(`${command} ${args.join(' ')}: ${error.message}`)));
    child.on('close', (code) => {
      const text = stripVTControlCharacters(output);
      if (code === 0) resolve(text);
      else reject(new Error(`\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${code}:\n${text}`));
    });
  });
}

/** A minimal Astro 7 site, written by hand as `npm create astro` would (its templates need GitHub). */
export async function createSite(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'astro-segments-user-site-'));
  const site: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name: 'my-site',
        type: 'module',
        version: '0.0.1',
        private: true,
        scripts: { dev: 'astro dev', build: 'astro build', preview: 'astro preview', astro: 'astro' },
        dependencies: { astro: ASTRO_VERSION },
      },
      null,
      2,
    )}\n`,
    'astro.config.mjs': `// @ts-check\nimport { defineConfig } from 'astro/config';\n\n// https://astro.build/config\nexport default defineConfig({});\n`,
    'tsconfig.json': `${JSON.stringify({ extends: 'astro/tsconfigs/strict', include: ['.astro/types.d.ts', '**/*'], exclude: ['dist'] }, null, 2)}\n`,
    'src/pages/index.astro': `---\n---\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <title>My site</title>\n  </head>\n  <body>\n    <h1>My site</h1>\n  </body>\n</html>\n`,
    ...files,
  };
  for (const [file, content] of Object.entries(site)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
  return root;
}
