/**
 * Hostile content and configuration at build time, each a throwaway Astro site
 * built by real Astro (as in test/errors.test.ts): YAML merge keys and
 * `__proto__` keys, front matter that would run code, huge and deeply nested
 * content, names with path characters, a variant folder that collides with the
 * site's own files, and configurations over the variant limits. Expected: the
 * build either does exactly what the content says or fails with a located
 * message and a hint (snapshotted), nothing runs, and Object.prototype is
 * untouched afterwards.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AstroInlineConfig } from 'astro';
import segments from 'astro-segments';
import type { Manifest } from '@astro-segments/edge';
import { buildCase, errorText } from '../utils/case-site.ts';

const dimensions = {
  audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } },
  region: { default: 'other', values: { eu: { when: { continent: 'EU' } }, other: {} } },
};
const personalized = 'segments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins';
const page = (frontmatter: string, body: string) => `---\n${frontmatter}\n---\n\n${body}\n`;
const CUSTOMER_BLOCK = ':::segment{audience="customer"}\nWelcome back.\n:::\n\n:::segment{otherwise}\nStart a trial.\n:::';

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  // No case may leave anything on Object.prototype (checked after every build).
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

type Options = Parameters<typeof segments>[0];

async function build(name: string, files: Record<string, string>, options: Options = { dimensions }, astro: AstroInlineConfig = {}) {
  const { error, root } = await buildCase('errors', `adversarial-${name}`, files, { ...astro, integrations: [segments(options)] });
  const dist = join(root, 'dist');
  return {
    error,
    root,
    dist,
    read: (file: string) => readFile(join(dist, file), 'utf8'),
    files: async () => (existsSync(dist) ? (await readdir(dist, { recursive: true })).map(String).sort() : []),
    manifest: async () => JSON.parse(await readFile(join(dist, '_segments', 'manifest.json'), 'utf8')) as Manifest,
  };
}

/** The error as `message` + `hint`, machine paths and colours removed; the output must be gone. */
async function failure(name: string, files: Record<string, string>, options: Options = { dimensions }, astro: AstroInlineConfig = {}) {
  const built = await build(name, files, options, astro);
  expect(built.error, `${name} should fail the build`).toBeDefined();
  for (const file of await built.files()) expect(file).not.toMatch(/^_segments/);
  return (
    errorText(built.error!, built.root)
      // Rolldown appends the cause with its stack (machine paths, line numbers): the words are above it.
      .replace(/\nCaused by:[\s\S]*?(?=\nhint:)/, '')
  );
}

/** Both files of a one-dimension page: the public default and the customer variant. */
async function variants(built: Awaited<ReturnType<typeof build>>, route = '/') {
  const manifest = await built.manifest();
  const hash = manifest.routes[route]!.variants.customer!;
  const file = route === '/' ? 'index.html' : `${route.slice(1)}/index.html`;
  return { manifest, standard: await built.read(file), customer: await built.read(`_segments/${hash}.html`) };
}

describe('YAML in front matter: merge keys and __proto__ keys', () => {
  it('a merge key (<<) is plain YAML: the merged declaration personalizes the page', async () => {
    const built = await build('merge-key', {
      'src/pages/index.md': page(
        'shared: &shared\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins\nsegments:\n  <<: *shared',
        CUSTOMER_BLOCK,
      ),
    });
    expect(built.error).toBeUndefined();
    const { manifest, standard, customer } = await variants(built);
    expect(manifest.routes['/']!.dims).toEqual(['audience']);
    expect([standard.includes('Start a trial.'), standard.includes('Welcome back.')]).toEqual([true, false]);
    expect([customer.includes('Welcome back.'), customer.includes('Start a trial.')]).toEqual([true, false]);
  });

  it('a merge key that carries __proto__ is refused as an unknown key, and pollutes nothing', async () => {
    const text = await failure('merge-proto', {
      'src/pages/index.md': page(
        `segments:\n  <<: { __proto__: { polluted: yes, kpi: inherited } }\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins`,
        CUSTOMER_BLOCK,
      ),
    });
    expect(text).toContain('src/pages/index.md:');
    expect(text).toMatchSnapshot();
  });

  it('a __proto__ key in segments is refused as an unknown key, and pollutes nothing', async () => {
    const text = await failure('proto-key', {
      'src/pages/index.md': page(
        `segments:\n  __proto__:\n    polluted: yes\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins`,
        CUSTOMER_BLOCK,
      ),
    });
    expect(text).toMatchSnapshot();
  });

  it('a __proto__ key in an override condition is refused, and pollutes nothing', async () => {
    const text = await failure('proto-override', {
      'src/pages/index.md': page(`title: Hi\n${personalized}\n  overrides:\n    - when: { __proto__: { polluted: yes } }\n      title: Hello`, CUSTOMER_BLOCK),
    });
    expect(text).toMatchSnapshot();
  });

  it('prototype words as dimension names in front matter are refused as undeclared', async () => {
    const text = await failure('proto-dimension', {
      'src/pages/index.md': page('segments:\n  dimensions: [constructor, __proto__]\n  purpose: p\n  kpi: k', 'Hi.'),
    });
    expect(text).toMatchSnapshot();
  });

  it('a __proto__ attribute on a block never reaches a prototype; the block keeps its real condition', async () => {
    const built = await build('proto-attribute', {
      'src/pages/index.md': page(personalized, ':::segment{__proto__="customer" audience="customer"}\nWelcome back.\n:::'),
    });
    expect(built.error).toBeUndefined();
    const { standard, customer } = await variants(built);
    expect([standard.includes('Welcome back.'), customer.includes('Welcome back.')]).toEqual([false, true]);
  });

  it('prototype words as block attributes are refused with the reason', async () => {
    const text = await failure('proto-block', {
      'src/pages/index.md': page(personalized, ':::segment{constructor="customer"}\nHi.\n:::'),
    });
    expect(text).toContain('reserved word');
    expect(text).toMatchSnapshot();
  });
});

describe('front matter that would run code is refused and never run', () => {
  const run = (marker: string) => `{ segments: (globalThis.${marker} = true) }`;
  it.each([
    ['a space before the language', (m: string) => `--- js\n${run(m)}\n---\n\nHi.\n`],
    ['upper case', (m: string) => `---JS\n${run(m)}\n---\n\nHi.\n`],
    ['Windows line endings', (m: string) => `---javascript\r\n${run(m)}\r\n---\r\n\r\nHi.\r\n`],
    ['a byte order mark first', (m: string) => `\uFEFF---js\n${run(m)}\n---\n\nHi.\n`],
    ['another engine name', (m: string) => `---coffee\n${run(m)}\n---\n\nHi.\n`],
  ])('%s', async (name, source) => {
    const marker = `__segments_ran_${name.replace(/\W+/g, '_')}`;
    const text = await failure(`code-${name.replace(/\W+/g, '-')}`, { 'src/pages/index.md': source(marker) });
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(text).toContain('would run as code at build time, so it is refused');
    expect(text).toMatchSnapshot();
  });

  it('a YAML !!js/function tag is refused as invalid YAML, never called', async () => {
    const text = await failure('code-yaml-tag', {
      'src/pages/index.md': page(`title: !!js/function 'function () { globalThis.__segments_ran_tag = true }'\n${personalized}`, CUSTOMER_BLOCK),
    });
    expect((globalThis as Record<string, unknown>).__segments_ran_tag).toBeUndefined();
    expect(text).toMatchSnapshot();
  });
});

describe('huge and deeply nested content', () => {
  it('a page with 2 000 blocks is sliced exactly: every customer block in one file, every fallback in the other', async () => {
    const blocks = Array.from({ length: 1000 }, (_, i) => `:::segment{audience="customer"}\nC${i}.\n:::\n\n:::segment{otherwise}\nO${i}.\n:::`).join('\n\n');
    const built = await build('many-blocks', { 'src/pages/index.md': page(personalized, blocks) });
    expect(built.error).toBeUndefined();
    const { standard, customer } = await variants(built);
    const count = (html: string, letter: string) => html.match(new RegExp(`<p>${letter}\\d+\\.</p>`, 'g'))?.length ?? 0;
    expect([count(standard, 'C'), count(standard, 'O')]).toEqual([0, 1000]);
    expect([count(customer, 'C'), count(customer, 'O')]).toEqual([1000, 0]);
    expect(customer).toContain('<p>C999.</p>');
    expect(customer).not.toContain('astro-segment');
  });

  it('a list nested 100 deep inside a block stays whole in its variant and absent from the other', async () => {
    const list = Array.from({ length: 100 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n');
    const built = await build('deep-list', { 'src/pages/index.md': page(personalized, `:::segment{audience="customer"}\n${list}\n:::\n\nEnd.`) });
    expect(built.error).toBeUndefined();
    const { standard, customer } = await variants(built);
    expect(customer.match(/<ul>/g)?.length).toBe(100);
    expect(customer.match(/<\/ul>/g)?.length).toBe(100);
    expect(customer).toContain('level 99');
    expect(standard).not.toContain('<ul>');
    expect(standard).toContain('End.');
  });

  it('marker tags written as raw HTML are held to the same rules as blocks', async () => {
    const text = await failure('raw-marker', {
      'src/pages/index.md': page(personalized, '<astro-segment data-when="region=eu">Only EU.</astro-segment>'),
    });
    expect(text).toContain('does not declare that it varies on it');
    expect(text).toMatchSnapshot();
  });
});

describe('names with path characters', () => {
  const invalid = (options: unknown) => {
    try {
      segments(options as never);
    } catch (error) {
      return `${(error as Error).message}\nhint: ${(error as { hint?: string }).hint}`;
    }
    throw new Error('segments() accepted invalid options');
  };

  it('refuses dimension and value names with slashes, dots, dot-dot or percent-encodings, listing each', () => {
    const text = invalid({
      dimensions: {
        '../audience': { default: 'a', values: { a: {}, b: {} } },
        region: { default: 'eu', values: { eu: {}, 'x/../y': {}, '..': {}, 'a.b': {}, '%2e%2e': {}, 'a\\b': {} } },
      },
    });
    for (const name of ['../audience', 'x/../y', '..', 'a.b', '%2e%2e', 'a\\b']) expect(text).toContain(`"${name}"`);
    expect(text).toMatchSnapshot();
  });

  it('refuses a variant folder, parameter or cookie name with path or header characters', () => {
    const text = invalid({ dimensions, prefix: '../public', param: 'seg&ment', previewParam: 'a=b', cookie: { name: 'seg;ment' } });
    expect(text).toMatchSnapshot();
  });

  it('refuses a block value with path characters as an unknown value', async () => {
    const text = await failure('path-value', { 'src/pages/index.md': page(personalized, ':::segment{audience="../customer"}\nHi.\n:::') });
    expect(text).toMatchSnapshot();
  });
});

describe('a variant folder that collides with the site', () => {
  it('refuses a prefix naming a folder the site already has, instead of replacing it', async () => {
    const text = await failure(
      'prefix-collision',
      {
        'src/pages/index.md': page(personalized, CUSTOMER_BLOCK),
        'src/pages/docs/intro.md': page('title: Intro', 'The docs.'),
        'public/docs/guide.txt': 'A public file.',
      },
      { dimensions, prefix: 'docs' },
    );
    expect(text).toContain('/docs/');
    expect(text).toMatchSnapshot();
  });

  it('refuses a prefix naming the folder of Astro’s own assets', async () => {
    const text = await failure(
      'prefix-astro-assets',
      {
        'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><head><style>p { color: red; }</style></head><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience="customer"><p>Hi</p></Segment><script>document.body.dataset.ready = '1';</script></body></html>\n`,
      },
      { dimensions, prefix: '_astro' },
      // The stylesheet goes to /_astro/ as a file, not inline.
      { build: { inlineStylesheets: 'never' } },
    );
    expect(text).toMatch(/\/_astro\/ folder \(index\.[\w-]+\.css\)/);
  });
});

describe('Astro attributes on components', () => {
  it('a page with scoped styles: the data-astro-cid attribute Astro passes to <Segment> is not a condition', async () => {
    const built = await build('scoped-style', {
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><head><style>p { color: red; }</style></head><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience="customer"><p>Welcome back.</p></Segment><Segment otherwise><p>Start a trial.</p></Segment></body></html>\n`,
    });
    expect(built.error).toBeUndefined();
    const { standard, customer } = await variants(built);
    expect([standard.includes('Start a trial.'), standard.includes('Welcome back.')]).toEqual([true, false]);
    expect([customer.includes('Welcome back.'), customer.includes('Start a trial.')]).toEqual([true, false]);
  });
});

describe('configurations over the variant limits', () => {
  it('stops before enumerating more than 4096 combinations, however large the budget', async () => {
    const values = Object.fromEntries(['v0', 'v1', 'v2', 'v3', 'v4', 'v5'].map((v) => [v, {}]));
    const many = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((d) => [d, { default: 'v0', values }]));
    const blocks = Object.keys(many)
      .map((d) => `:::segment{${d}="v1"}\n${d}.\n:::`)
      .join('\n\n');
    const text = await failure(
      'too-many-combinations',
      { 'src/pages/index.md': page('segments:\n  dimensions: [a, b, c, d, e]\n  purpose: p\n  kpi: k', blocks) },
      { dimensions: many, budget: { perPage: 100_000, perSite: 100_000 } },
    );
    expect(text).toContain('7776 combinations');
    expect(text).toMatchSnapshot();
  });

  it('refuses a budget of zero or a fraction before the build starts', () => {
    for (const budget of [{ perPage: 0 }, { perSite: 1.5 }, { perPage: -1 }]) {
      expect(() => segments({ dimensions, budget } as never)).toThrow(/budget\.per(Page|Site)/);
    }
  });
});
