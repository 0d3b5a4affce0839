/**
 * The packages as a user installs them, for the build benchmarks: the packed
 * tarballs (`dist/`, `publishConfig` applied, the same set the install tests
 * use) unpacked into `bench/.generated/published/node_modules/`.
 *
 * The workspace runs the TypeScript sources, which Node must strip of their
 * types on every import (a quarter of a second per build on this machine); no
 * user ever loads them that way, so a build measured on them would charge the
 * integration for the workspace's convenience.
 *
 * Offline: each third-party dependency is a link to the copy the workspace
 * installed for that package, so the versions are the lockfile's.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedPackages } from '../../scripts/pack-packages.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INSTALLED = fileURLToPath(new URL('../.generated/published/node_modules', import.meta.url));

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

let installed: Promise<string> | undefined;

/** The `node_modules` folder holding every package of this repo as published; made once per process. */
export function publishedPackages(): Promise<string> {
  installed ??= install();
  return installed;
}

/** Link `<site>/node_modules/astro-segments` to the published package. */
export async function linkPublished(site: string): Promise<void> {
  const from = join(site, 'node_modules', 'astro-segments');
  await mkdir(dirname(from), { recursive: true });
  await symlink(join(await publishedPackages(), 'astro-segments'), from, 'dir');
}

async function install(): Promise<string> {
  const tarballs = await packedPackages();
  await rm(INSTALLED, { recursive: true, force: true });
  const ours = new Set<string>();
  const unpacked: { dir: string; target: string; pkg: PackageJson }[] = [];
  for (const [dir, tarball] of tarballs) {
    const { name } = JSON.parse(await readFile(join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson;
    const target = join(INSTALLED, name);
    await mkdir(target, { recursive: true });
    const tar = spawnSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', target], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${tar.stderr}`);
    ours.add(name);
    unpacked.push({ dir, target, pkg: JSON.parse(await readFile(join(target, 'package.json'), 'utf8')) as PackageJson });
  }
  for (const { dir, target, pkg } of unpacked) {
    // Our own packages find each other as siblings; a peer (astro) is the workspace's one copy.
    const needed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].filter((name) => !ours.has(name));
    for (const name of needed) {
      const link = join(target, 'node_modules', name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(await realpath(join(ROOT, dir, 'node_modules', name)), link, 'dir');
    }
  }
  return INSTALLED;
}
