import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import segments from '../src/index.ts';
import { firstDimensionHint, hintLine } from '../src/first-dimension.ts';
import { validateOptions } from '../src/validate-options.ts';

describe('segments() without options, as `astro add` writes it', () => {
  it('is a valid integration that declares no dimension', () => {
    expect(segments().name).toBe('astro-segments');
    expect(validateOptions(undefined).dimensions).toEqual([]);
  });

  it('still refuses an explicitly empty dimensions object', () => {
    expect(() => validateOptions({ dimensions: {} })).toThrow(/declare at least one dimension/);
  });

  it('says in one line how to declare the first dimension, linking the docs page from package.json homepage', async () => {
    const { homepage } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { homepage: string };
    const line = hintLine(firstDimensionHint());
    expect(line).not.toContain('\n');
    expect(line).toBe(
      `No dimension is declared yet, so no page is personalized. Declare the first one in your Astro config, e.g. segments({ dimensions: { audience: { default: 'prospect', values: { prospect: {}, customer: {} } } } }). See ${homepage}reference/options/#dimensions`,
    );
  });

  it('gives an example that is itself valid options', () => {
    const example = /e\.g\. segments\((.*)\)\.$/.exec(firstDimensionHint().message)?.[1];
    const options = Function(`return (${example})`)() as Parameters<typeof validateOptions>[0];
    expect(validateOptions(options).dimensions.map((d) => d.name)).toEqual(['audience']);
  });
});
