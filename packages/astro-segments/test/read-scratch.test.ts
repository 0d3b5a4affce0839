/**
 * `readScratch`: the build's reads of every page and Markdown source share one
 * buffer. Each read gives the file's exact bytes, a file larger than the buffer
 * included, and an empty file gives none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScratch } from '../src/build/read-scratch.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segments-read-scratch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readScratch', () => {
  it('reads each file exactly, one after the other, whatever its size', async () => {
    const files = {
      'small.html': '<p>café</p>',
      'empty.md': '',
      // Larger than the shared buffer (256 KiB): read on its own.
      'large.html': `<main>${'é'.repeat(200_000)}</main>`,
      'after.html': '<p>after the large one</p>',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    for (const [name, text] of Object.entries(files)) expect(readScratch(join(dir, name)).toString('utf8'), name).toBe(text);
  });

  it('fails for a file that cannot be read, as readFileSync does', () => {
    expect(() => readScratch(join(dir, 'missing.html'))).toThrow(/ENOENT/);
  });
});
