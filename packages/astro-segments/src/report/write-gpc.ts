import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Write `<outDir>/.well-known/gpc.json`, declaring that the site honours
 * Global Privacy Control (the router serves GPC visitors the standard version
 * and infers nothing). A file the site already ships (from `public/`) is kept:
 * it is the site's own statement.
 */
export async function writeGpc(outDir: string, today: Date = new Date()): Promise<void> {
  const dir = join(outDir, '.well-known');
  await mkdir(dir, { recursive: true });
  const body = `${JSON.stringify({ gpc: true, lastUpdate: today.toISOString().slice(0, 10) })}\n`;
  try {
    await writeFile(join(dir, 'gpc.json'), body, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
