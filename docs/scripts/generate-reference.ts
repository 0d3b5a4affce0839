/**
 * Write the reference pages generated from the code: the options reference
 * from the options schema, the error reference from the snapshotted messages.
 *
 *   npx -y pnpm@12.21.0 --filter astro-segments-docs generate           rewrite them
 *   npx -y pnpm@12.21.0 --filter astro-segments-docs generate --check   exit 1 if any is out of date
 *
 * test/docs/reference.test.ts runs the same check in the test command.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GENERATED_PAGES } from './reference/pages.ts';
import { REGENERATE } from './reference/markdown.ts';

const docs = fileURLToPath(new URL('../', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];

for (const page of GENERATED_PAGES) {
  const file = `${docs}${page.file}`;
  const text = page.render();
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) stale.push(`docs/${page.file}`);
  else {
    await writeFile(file, text);
    process.stdout.write(`wrote docs/${page.file}\n`);
  }
}

if (stale.length > 0) {
  process.stderr.write(`Out of date: ${stale.join(', ')}. Run ${REGENERATE}\n`);
  process.exit(1);
}
if (!check) process.stdout.write('The generated reference pages are up to date.\n');
