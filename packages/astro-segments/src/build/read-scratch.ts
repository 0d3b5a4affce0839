import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** Larger than any page or Markdown source a site is likely to have; a larger file is read on its own. */
const scratch = Buffer.allocUnsafe(1 << 18);

/**
 * A file's bytes, read into one buffer that every call shares: valid only until the
 * next call, so decode what must be kept. The build reads every page of the output and
 * every Markdown source, 20,000 files on a site of 10,000 pages; a new buffer for each
 * would leave the garbage collector that much memory to sweep from a heap the size of
 * Astro's build.
 */
export function readScratch(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = readSync(fd, scratch, 0, scratch.length, 0);
    return size < scratch.length ? scratch.subarray(0, size) : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
