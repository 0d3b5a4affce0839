import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateOption } from '../src/locate-option.ts';

const CONFIG = `import segments from 'astro-segments';
const region = {
  default: 'other',
  values: { eu: { when: { contry: 'DE' } }, other: {} },
};
export default {
  integrations: [
    segments({
      hosts: ['cloudfare'],
      dimensions: {
        audience: { default: 'prospect', values: { customer: { 'when': { cookie: 'session' } }, prospect: {} } },
        region,
      },
    }),
  ],
};
`;

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'locate-option-'));
  file = join(dir, 'astro.config.mjs');
  await writeFile(file, CONFIG);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an option key, located in the config from the segments() call', () => {
  const call = () => ({ file, line: 8, column: 5 });

  it('finds each key of the path after the one before it, quoted or not', () => {
    expect(locateOption(call(), 'hosts[0]')).toEqual({ file, line: 9, column: 7 });
    expect(locateOption(call(), 'dimensions.audience.values.customer.when.cookie')).toMatchObject({ line: 11 });
  });

  it('keeps the last key it found when the rest of the path is elsewhere (a shorthand property), and the call when nothing is found', () => {
    expect(locateOption(call(), 'dimensions.region.values.eu.when.contry')).toMatchObject({ line: 12, column: 9 });
    expect(locateOption(call(), 'cookies')).toEqual(call());
  });

  it('looks above the call for options written in a variable', async () => {
    const other = join(dir, 'astro.config.ts');
    await writeFile(other, `const options = {\n  hosts: ['cloudfare'],\n};\nexport default { integrations: [segments(options)] };\n`);
    expect(locateOption({ file: other, line: 4, column: 33 }, 'hosts[0]')).toEqual({ file: other, line: 2, column: 3 });
  });
});
