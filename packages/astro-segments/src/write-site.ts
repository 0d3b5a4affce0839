import { writeFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '@astro-segments/edge';
import { manifestProblems } from '@astro-segments/edge/validate';
import { BuildProblem } from './build-problem.ts';
import type { CompiledSite } from './compile-site.ts';

export const MANIFEST_FILE = 'manifest.json';

/**
 * Write the variant files, replace each personalized page with its default
 * variant, then write the manifest last: a reader that finds the manifest finds
 * every file it names.
 */
export async function writeSite(dir: string, prefix: string, site: CompiledSite): Promise<void> {
  checkManifest(site.manifest, site.files);
  const variantDir = join(dir, prefix);
  await refuseForeignFiles(variantDir, prefix);
  await rm(variantDir, { recursive: true, force: true });
  await mkdir(variantDir, { recursive: true });
  // One file after the other, synchronously, as the pages were read (see `markedPages` in
  // compile-site.ts): 10,000 small files take about two thirds of the time and a third of the
  // CPU they take through the thread pool.
  for (const [hash, html] of site.files) writeFileSync(join(variantDir, `${hash}.html`), html);
  for (const page of site.pages) writeFileSync(join(dir, page.file), page.defaultHtml);
  for (const [file, html] of site.plain) writeFileSync(join(dir, file), html);
  await writeFile(join(variantDir, MANIFEST_FILE), `${JSON.stringify(site.manifest)}\n`);
}

/** What a previous build left in the variant folder (an output folder Astro did not empty). */
const OWN_FILE = /^(?:[a-z0-9]{6,64}\.html|manifest\.json|report\.html)$/;

/**
 * The variant folder is replaced whole, so it must not hold the site's own pages or public
 * files: a `prefix` such as `docs` or `_astro` would delete them.
 */
async function refuseForeignFiles(variantDir: string, prefix: string): Promise<void> {
  const entries = await readdir(variantDir, { recursive: true }).catch(() => [] as string[]);
  const foreign = entries
    .map(String)
    .filter((entry) => !OWN_FILE.test(entry))
    .sort();
  if (foreign.length === 0) return;
  throw new BuildProblem(
    'astro.config',
    `The build output already has a /${prefix}/ folder (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}), where astro-segments writes its variant files; writing them would delete it.`,
    `Set the prefix option of segments() to a folder name that no page or public file uses (the default is _segments).`,
  );
}

/**
 * The manifest is the contract with every router: check it before it is
 * written, so a bug here fails the build instead of a request.
 */
export function checkManifest(manifest: Manifest, files: ReadonlyMap<string, string>): void {
  // The shape, by the same check the Node server runs when it reads the file.
  const problems = manifestProblems(manifest);
  for (const [route, entry] of Object.entries(manifest.routes)) {
    for (const [key, hash] of Object.entries(entry.variants)) if (!files.has(hash)) problems.push(`${route}: variant "${key}" names a missing file ${hash}`);
  }
  if (problems.length > 0) throw new Error(`astro-segments: the manifest failed its own checks (a bug): ${problems.join('; ')}`);
}
