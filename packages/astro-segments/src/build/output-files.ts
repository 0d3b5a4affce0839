import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The files under `dir` whose name `keep` accepts, relative to it and `/`-separated, sorted. */
export async function outputFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
