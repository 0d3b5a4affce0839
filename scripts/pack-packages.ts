/**
 * Build the publishable packages and pack them exactly as `pnpm publish` would
 * (publishConfig applied, `workspace:` ranges replaced by versions):
 *
 *   npx -y pnpm@12.21.0 pack:packages        writes packed/*.tgz (the README's pre-release install)
 *   node scripts/pack-packages.ts <folder>  writes them to <folder>
 *
 * `lint:packages` and the install tests (test/install/) use the same steps, and
 * share one packed set per source state through `packedPackages()`: packing
 * builds every package with tsc, the slowest step of the test command.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES } from './publish-config.ts';

export { PACKAGES };
export type PackageDir = (typeof PACKAGES)[number];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Under `pnpm run`/`pnpm exec`, npm_execpath is the pnpm that runs us; pack with the same one.
const PNPM = process.env.npm_execpath ?? 'pnpm';

export interface Step {
  readonly ok: boolean;
  /** What the command printed, for a failure's report. */
  readonly output: string;
  readonly seconds: number;
}

/** Run a command without blocking the event loop (a registry may be serving in this process). */
export function exec(command: string, args: readonly string[], cwd: string): Promise<Step> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const done = (ok: boolean, extra = '') => resolve({ ok, output: output + extra, seconds: (performance.now() - started) / 1000 });
    child.on('error', (error) => done(false, error.message));
    child.on('close', (code) => done(code === 0));
  });
}

/** `dist/` for one package (scripts/build-package.ts, its `build` script). */
export function buildPackage(dir: PackageDir): Promise<Step> {
  return exec(process.execPath, [join(ROOT, 'scripts/build-package.ts')], join(ROOT, dir));
}

/** `pnpm pack` of one built package into `out`; the tarball's path on success. */
export async function packPackage(dir: PackageDir, out: string): Promise<Step & { tarball?: string }> {
  const before = new Set(await readdir(out));
  const step = await exec(PNPM, ['pack', '--pack-destination', out], join(ROOT, dir));
  const tarball = (await readdir(out)).find((file) => !before.has(file) && file.endsWith('.tgz'));
  if (step.ok && !tarball) return { ...step, ok: false, output: `${step.output}\npnpm pack wrote no tarball` };
  return tarball ? { ...step, tarball: join(out, tarball) } : step;
}

/** Build and pack every package into `out`, in dependency order; throws with the output of the first failure. */
export async function packAll(out: string): Promise<Map<PackageDir, string>> {
  await mkdir(out, { recursive: true });
  const tarballs = new Map<PackageDir, string>();
  for (const dir of PACKAGES) {
    const built = await buildPackage(dir);
    if (!built.ok) throw new Error(`${dir}: build failed:\n${built.output}`);
    const packed = await packPackage(dir, out);
    if (!packed.ok || !packed.tarball) throw new Error(`${dir}: pnpm pack failed:\n${packed.output}`);
    tarballs.set(dir, packed.tarball);
  }
  return tarballs;
}

/** Every file a package's tarball is made from, and the scripts that make it. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = ['scripts/build-package.ts', 'scripts/pack-packages.ts', 'scripts/publish-config.ts', 'tsconfig.json', 'node_modules/typescript/package.json'];
  for (const dir of [...PACKAGES, 'types']) {
    for (const entry of await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      const path = relative(ROOT, join(entry.parentPath, entry.name));
      if (entry.isFile() && !/(^|\/)(node_modules|dist)(\/|$)/.test(path)) files.push(path);
    }
  }
  for (const file of files.sort())
    hash
      .update(`${file}\0`)
      .update(await readFile(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

const CACHE = join(ROOT, 'node_modules/.cache/astro-segments-packed');
const LOCK_STALE_MS = 10 * 60_000;

/**
 * The packed set for the packages' current sources, made once and reused by
 * every test file and `lint:packages` in a run (keyed by a hash of the sources,
 * so an edit repacks). A lock folder keeps two test files from building the
 * same `dist/` at once; the second waits for the first's result.
 */
export async function packedPackages(): Promise<ReadonlyMap<PackageDir, string>> {
  const key = await sourceHash();
  const done = join(CACHE, key);
  const lock = join(CACHE, `${key}.lock`);
  await mkdir(CACHE, { recursive: true });
  for (;;) {
    const found = await readPacked(done);
    if (found) return found;
    try {
      await mkdir(lock);
      break;
    } catch {
      const since = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (since > LOCK_STALE_MS) await rm(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    const found = await readPacked(done);
    if (found) return found;
    const work = await mkdtemp(join(CACHE, `${key}.work-`));
    try {
      await packAll(work);
      if ((await sourceHash()) !== key) throw new Error('the packages changed while they were being built and packed; run again.');
    } catch (error) {
      await rm(work, { recursive: true, force: true });
      throw error;
    }
    await rename(work, done);
    // Older sets (from sources since edited) are never read again.
    for (const entry of await readdir(CACHE)) {
      if (entry !== key && /^[0-9a-f]{16}$/.test(entry)) await rm(join(CACHE, entry), { recursive: true, force: true });
    }
    return (await readPacked(done))!;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The tarballs in a finished cache folder, by package, or undefined if it is not there. */
async function readPacked(dir: string): Promise<Map<PackageDir, string> | undefined> {
  const files = await readdir(dir).catch(() => undefined);
  if (!files) return undefined;
  const names = new Map<PackageDir, string>();
  for (const pkg of PACKAGES) {
    const { name, version } = JSON.parse(await readFile(join(ROOT, pkg, 'package.json'), 'utf8')) as { name: string; version: string };
    // pnpm pack names a tarball after the package: `@scope/name` → `scope-name-<version>.tgz`.
    const file = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
    if (!files.includes(file)) return undefined;
    names.set(pkg, join(dir, file));
  }
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'packed');
  await rm(out, { recursive: true, force: true });
  try {
    const tarballs = await packAll(out);
    process.stdout.write(`Packed ${tarballs.size} packages into ${relative(process.cwd(), out) || '.'}/:\n`);
    for (const tarball of tarballs.values()) process.stdout.write(`  ${relative(process.cwd(), tarball)}\n`);
  } catch (error) {
    process.stderr.write(`pack:packages: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
