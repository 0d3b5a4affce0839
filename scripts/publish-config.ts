/**
 * The workspace runs each package from its TypeScript sources (`exports` name
 * `.ts` files); the published tarball runs `dist/` (through `publishConfig`,
 * which `pnpm pack` / `pnpm publish` apply). This derives the `dist/` half from
 * the source half, so an export or bin added in the workspace cannot be
 * forgotten in the tarball:
 *
 *   node scripts/publish-config.ts          check every package, exit 1 on drift
 *   node scripts/publish-config.ts --write  rewrite publishConfig in place
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGES = ['packages/edge', 'packages/remark-segments', 'packages/astro-segments'] as const;

interface PackageJson {
  name: string;
  exports: Record<string, string>;
  bin?: Record<string, string>;
  publishConfig?: { exports?: unknown; bin?: unknown; access?: string };
  [key: string]: unknown;
}

/** `./src/a/b.ts` → `./dist/a/b` (the source root is `src/`, or the package root). */
function distPath(source: string): string {
  return source.replace(/^\.\/(src\/)?/, './dist/').replace(/\.ts$/, '');
}

export function publishConfigFor(pkg: PackageJson): NonNullable<PackageJson['publishConfig']> {
  const exports: Record<string, unknown> = {};
  for (const [key, target] of Object.entries(pkg.exports)) {
    exports[key] = target.endsWith('.ts') ? { types: `${distPath(target)}.d.ts`, default: `${distPath(target)}.js` } : target;
  }
  const bin = pkg.bin && Object.fromEntries(Object.entries(pkg.bin).map(([name, target]) => [name, `${distPath(target)}.js`]));
  return { access: 'public', exports, ...(bin && { bin }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const write = process.argv.includes('--write');
  const drift: string[] = [];
  for (const dir of PACKAGES) {
    const file = join(root, dir, 'package.json');
    const pkg = JSON.parse(await readFile(file, 'utf8')) as PackageJson;
    const expected = publishConfigFor(pkg);
    if (JSON.stringify(pkg.publishConfig) === JSON.stringify(expected)) continue;
    if (write) {
      pkg.publishConfig = expected;
      await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`);
      process.stdout.write(`${dir}/package.json: publishConfig updated\n`);
    } else {
      drift.push(dir);
    }
  }
  if (drift.length > 0) {
    process.stderr.write(
      `publish-config: publishConfig in ${drift.join(', ')} does not match its exports/bin, so the tarball would miss or misname an entry point.\n` +
        'Run `pnpm exec node scripts/publish-config.ts --write` and commit the result.\n',
    );
    process.exit(1);
  }
}
