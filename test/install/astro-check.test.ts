import { stripVTControlCharacters } from 'node:util';
/**
 * Types from the site's own dimensions: `astro check` (pinned @astrojs/check
 * and typescript in the fixture) on a site declaring `audience` and `region`.
 * The fixture passes with every form of condition; typos in `<Segment>`,
 * `<SegmentPage>` and a collection entry's `segments` frontmatter fail it,
 * each named. The typo files are written for one check and removed after it.
 *
 * Each check is a TypeScript language-service start-up (~30 s on two cores).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exec } from '../../scripts/pack-packages.ts';
import { FIXTURES } from '../utils/fixture.ts';

const root = join(FIXTURES, 'typed-site');
const astro = join(root, 'node_modules/astro/bin/astro.mjs');
const written: string[] = [];

async function check(files: Readonly<Record<string, string>> = {}): Promise<{ ok: boolean; output: string }> {
  for (const [file, content] of Object.entries(files)) {
    written.push(join(root, file));
    await writeFile(join(root, file), content);
  }
  const { ok, output } = await exec(process.execPath, [astro, 'check'], root);
  return { ok, output: stripVTControlCharacters(output) };
}

afterEach(async () => {
  await Promise.all(written.splice(0).map((file) => rm(file, { force: true })));
});

describe('astro check with the types generated from segments({ dimensions })', () => {
  it('passes a site that uses its dimensions and values in every form', async () => {
    const { ok, output } = await check();
    expect(output).toMatch(/- 0 errors/);
    expect(ok).toBe(true);
  }, 180_000);

  it('rejects an unknown value, dimension or list item in <Segment> and an unknown dimension in <SegmentPage>', async () => {
    const { ok, output } = await check({
      'src/pages/typos.astro': `---
import { Segment, SegmentPage } from 'astro-segments/components';
---
<SegmentPage dimensions={['audeince']} purpose="p" kpi="k" />
<Segment audience="cutsomer"><p>1</p></Segment>
<Segment audeince="customer"><p>2</p></Segment>
<Segment audience={['customer', 'parnter']}><p>3</p></Segment>
<Segment otherwise audience="customer"><p>4</p></Segment>
`,
    });
    expect(ok).toBe(false);
    // Five typos; the list item is reported once per list form (one-of, and negated one-of).
    expect(output).toMatch(/- 6 errors/);
    expect(output).toContain(
      `src/pages/typos.astro:4:27 - error ts(2820): Type '"audeince"' is not assignable to type '"audience" | "region"'. Did you mean '"audience"'?`,
    );
    expect(output).toMatch(/src\/pages\/typos\.astro:5:10 - error ts\(2820\): Type '"cutsomer"' is not assignable to type .*Did you mean '"customer"'\?/);
    expect(output).toContain(`src/pages/typos.astro:6:10 - error ts(2322)`);
    expect(output).toContain(`Property 'audeince' does not exist`);
    expect(output).toMatch(/src\/pages\/typos\.astro:7:33 - error ts\(2820\): Type '"parnter"' is not assignable to type .*Did you mean '"partner"'\?/);
    // otherwise and conditions together: a type error too, not only at build.
    expect(output).toMatch(/src\/pages\/typos\.astro:8:20 - error ts\(2322\)/);
  }, 180_000);

  it("rejects a collection entry's frontmatter naming an undeclared dimension or value, before any build", async () => {
    const { ok, output } = await check({
      'src/content/docs/typo.md': `---
title: Typo
segments:
  dimensions: [audeince]
  purpose: Show customers their plan
  kpi: Upgrade clicks
  overrides:
    - when: { audience: cutsomer }
      title: Your plan
---
Text.
`,
    });
    expect(ok).toBe(false);
    expect(output).toContain('docs → typo data does not match collection schema.');
    expect(output).toContain('segments.dimensions.0: "audeince" is not a dimension declared in segments({ dimensions }) (declared: "audience", "region")');
    expect(output).toContain(
      'segments.overrides.0.when.audience: "cutsomer" is not a value of the dimension "audience" (allowed: "customer", "partner", "prospect")',
    );
  }, 180_000);
});
