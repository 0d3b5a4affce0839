/**
 * The reference cannot drift: the options page is generated from the options
 * schema and the error page from the snapshotted messages, and the committed
 * pages must be what the generator writes today.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_PAGES } from '../../docs/scripts/reference/pages.ts';
import { REGENERATE } from '../../docs/scripts/reference/markdown.ts';
import { renderOptionsPage } from '../../docs/scripts/reference/options-page.ts';
import { ERROR_SOURCES, renderErrorsPage } from '../../docs/scripts/reference/errors-page.ts';
import { readInlineSnapshots, readSnapFile } from '../../docs/scripts/reference/read-snapshots.ts';
import { OptionsSchema } from '../../packages/astro-segments/src/schema.ts';
import { runtimePaths } from '../../docs/scripts/reference/read-schema.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

describe('generated reference pages', () => {
  it.each(GENERATED_PAGES.map((page) => [page.file, page] as const))('docs/%s is up to date', async (file, page) => {
    const committed = await readFile(`${DOCS}${file}`, 'utf8');
    expect(committed, `docs/${file} is out of date: run ${REGENERATE}`).toBe(page.render());
  });

  it('documents every field of the options schema under its own heading', () => {
    const page = renderOptionsPage();
    // `dimensions.*.values.*.when.utm_source` is documented as `utm_source` in the Rule section.
    const names = new Set(
      runtimePaths(OptionsSchema).map((path) => path.replace(/^dimensions\.\*\.values\.\*\.when\.|^dimensions\.\*\.values\.\*\.|^dimensions\.\*\./, '')),
    );
    // A matcher's object forms (`{ prefix }`) are rows of the Matcher table, not fields.
    const fields = [...names].filter((name) => !/\.(equals|oneOf|prefix|suffix|domain)$/.test(name));
    for (const field of fields) expect(page, field).toContain(`### \`${field}\``);
    expect(fields).toContain('dimensions');
    expect(fields).toContain('label');
    expect(fields).toContain('relationship');
  });

  it('shows every snapshotted error message', async () => {
    const page = renderErrorsPage();
    const snapshot = await readFile(fileURLToPath(new URL('../__snapshots__/errors.test.ts.snap', import.meta.url)), 'utf8');
    const first = /exports\[`bad options fail before the build starts > a default that is not a value 1`\] = `\n"([^\n]*\n[^\n]*)/.exec(snapshot)?.[1];
    expect(first).toBeDefined();
    expect(page).toContain(first);
    expect(page).toContain('### `unclosed-segment`');
  });

  it('has no message that names "document" or "window", for which Astro prints a hint about browser APIs instead of ours', () => {
    // astro/dist/core/errors/dev/utils.js, generateHint: any error whose text includes either word.
    const ROOT = fileURLToPath(new URL('../../', import.meta.url));
    const messages = Object.values(ERROR_SOURCES).flatMap((file) =>
      (file.endsWith('.snap') ? readSnapFile(ROOT + file) : readInlineSnapshots(ROOT + file)).map(({ message }) => message.split('\nhint: ')[0]!),
    );
    expect(messages.length).toBeGreaterThan(50);
    expect(messages.filter((message) => /document|window/.test(message))).toEqual([]);
  });
});
