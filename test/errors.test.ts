import { stripVTControlCharacters } from 'node:util';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import segments from 'astro-segments';
import { buildCase, errorText } from './utils/case-site.ts';

const dimensions = {
  audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } },
  region: { default: 'other', values: { eu: { when: { continent: 'EU' } }, other: {} } },
};

const page = (frontmatter: string, body = 'Hello.') => `---\n${frontmatter}\n---\n\n${body}\n`;
const personalized = 'segments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins';

/** Build a one-page site and return its error as `message` + `hint`, with the machine-specific root removed. */
async function failure(name: string, files: Record<string, string>, options: Parameters<typeof segments>[0] = { dimensions }) {
  const { error, root } = await buildCase('errors', name, files, { integrations: [segments(options)] });
  expect(error, `${name} should fail the build`).toBeDefined();
  const text = errorText(error!, root);
  // Nothing half-written may stay behind: no variant folder, no page still holding markers.
  const dist = join(root, 'dist');
  if (existsSync(dist)) {
    for (const file of await readdir(dist, { recursive: true })) {
      expect(String(file)).not.toMatch(/^_segments/);
    }
  }
  return text;
}

describe('bad content fails the build with file, line, key and fix', () => {
  it('an unknown dimension in a block', async () => {
    const text = await failure('unknown-dimension', {
      'src/pages/index.md': page(personalized, ':::segment{color="red"}\nRed.\n:::'),
    });
    expect(text).toContain('src/pages/index.md');
    expect(text).toMatchSnapshot();
  });

  it('an unknown value in a block', async () => {
    const text = await failure('unknown-value', {
      'src/pages/index.md': page(personalized, ':::segment{audience="vip"}\nVIP.\n:::'),
    });
    expect(text).toMatchSnapshot();
  });

  it('a block on a dimension the page does not declare', async () => {
    const text = await failure('undeclared-dimension', {
      'src/pages/index.md': page(personalized, ':::segment{region="eu"}\nEU.\n:::'),
    });
    expect(text).toMatchSnapshot();
  });

  it('a <Segment> on a dimension the .astro page does not declare', async () => {
    const text = await failure('undeclared-dimension-astro', {
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment region="eu">EU</Segment></body></html>\n`,
    });
    expect(text).toContain('src/pages/index.astro');
    expect(text).toMatchSnapshot();
  });

  it('a <Segment> on a page that declares nothing', async () => {
    const text = await failure('no-declaration-astro', {
      'src/pages/index.astro': `---\nimport { Segment } from 'astro-segments/components';\n---\n<html><body><Segment audience="customer">Hi</Segment></body></html>\n`,
    });
    expect(text).toMatchSnapshot();
  });

  it('malformed YAML front matter', async () => {
    const text = await failure('malformed-yaml', {
      'src/pages/index.md': '---\ntitle: Hello\nsegments:\n  dimensions: [audience\n  purpose: x\n---\n\nHi.\n',
    });
    expect(text).toMatch(/src\/pages\/index\.md:\d+/);
    expect(text).toMatchSnapshot();
  });

  it.each(['js', 'javascript'])('---%s front matter, without ever running it', async (language) => {
    const marker = `__segments_executed_${language}`;
    const text = await failure(`frontmatter-${language}`, {
      'src/pages/index.md': `---${language}\n{ segments: (globalThis.${marker} = true) }\n---\n\nHi.\n`,
    });
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(text).toMatchSnapshot();
  });

  it('a personalized page without a purpose', async () => {
    const text = await failure('no-purpose', {
      'src/pages/index.md': page('segments:\n  dimensions: [audience]\n  kpi: Logins', ':::segment{audience="customer"}\nHi.\n:::'),
    });
    expect(text).toContain('src/pages/index.md:');
    expect(text).toMatchSnapshot();
  });

  it('a misspelled key in the segments front matter, located at that key', async () => {
    const text = await failure('frontmatter-typo', {
      'src/pages/index.md': page(
        'title: Hi\nsegments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins\n  overides: []',
        ':::segment{audience="customer"}\nHi.\n:::',
      ),
    });
    expect(text).toContain('src/pages/index.md:7');
    expect(text).toContain('Did you mean "overrides"?');
    expect(text).toMatchSnapshot();
  });

  it('a title override on a page that renders no <head> (no layout)', async () => {
    const text = await failure('override-without-head', {
      'src/pages/index.md': page(
        `title: Pricing\n${personalized}\n  overrides:\n    - when: { audience: customer }\n      title: Your plan`,
        ':::segment{audience="customer"}\nHi.\n:::',
      ),
    });
    expect(text).toContain('renders no <head>');
    expect(text).toMatchSnapshot();
  });

  it('nested blocks', async () => {
    const text = await failure('nested', {
      'src/pages/index.md': page(personalized, '::::segment{audience="customer"}\n:::segment{audience="customer"}\nHi.\n:::\n::::'),
    });
    expect(text).toMatchSnapshot();
  });

  it('an unclosed block', async () => {
    const text = await failure('unclosed', {
      'src/pages/index.md': page(personalized, ':::segment{audience="customer"}\nHi.\n\nMore text.'),
    });
    expect(text).toMatchSnapshot();
  });

  it('an import inside a block of an MDX page, which MDX would publish as text', async () => {
    const { error, root } = await buildCase(
      'errors',
      'mdx-import-in-block',
      {
        'src/data/prices.js': 'export default { starter: 5 };\n',
        'src/pages/index.mdx': page(personalized, ':::segment{audience="customer"}\nimport prices from \'../data/prices.js\';\n\nCustomer text.\n:::'),
      },
      { integrations: [(await import('@astrojs/mdx')).default(), segments({ dimensions })] },
    );
    const text = errorText(error!, root);
    expect(text).toContain('src/pages/index.mdx:9:1');
    expect(text).toMatchSnapshot();
  });

  it('a misspelled <SegmentPage> prop, named with the likely one', async () => {
    const text = await failure('segment-page-prop', {
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimension={['audience']} purpose="p" kpi="k" /><Segment audience="customer">C</Segment></body></html>\n`,
    });
    expect(text).toContain('Did you mean "dimensions"?');
    expect(text).toMatchSnapshot();
  });

  it('a misspelled <Segment otherwise>', async () => {
    const text = await failure('otherwise-misspelled', {
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience="customer">C</Segment><Segment otherwize>P</Segment></body></html>\n`,
    });
    expect(text).toContain('<Segment otherwise>');
    expect(text).not.toContain('needs a value');
    expect(text).toMatchSnapshot();
  });

  it('a <Segment> mistake on a page prerendered by an adapter names the page file', async () => {
    const { error, root } = await buildCase(
      'formats',
      'segment-mistake-with-adapter',
      {
        'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience>P</Segment></body></html>\n`,
      },
      { adapter: (await import('@astrojs/node')).default({ mode: 'standalone' }), integrations: [segments({ dimensions })] },
    );
    expect(error, 'the build should fail').toBeDefined();
    expect(errorText(error!, root)).toMatch(/^\[SegmentsContentError\] src\/pages\/index\.astro\n<Segment audience> needs a value\./);
  });

  it('a server island inside a block, whose preload Astro would put in every version', async () => {
    const { error, root } = await buildCase(
      'formats',
      'server-island-in-block',
      {
        'src/components/Offer.astro': '---\nconst { label } = Astro.props;\n---\n<span>{label}</span>\n',
        'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\nimport Offer from '../components/Offer.astro';\n---\n<html><head><title>Offers</title></head><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience="customer"><Offer server:defer label="customer-only" /></Segment><Segment otherwise>Hi</Segment></body></html>\n`,
      },
      { adapter: (await import('@astrojs/node')).default({ mode: 'standalone' }), integrations: [segments({ dimensions })] },
    );
    expect(error, 'the build should fail').toBeDefined();
    const text = errorText(error!, root);
    expect(text).toContain('server:defer');
    expect(text).toMatchSnapshot();
  });

  it('a page over the per-page variant budget', async () => {
    const text = await failure(
      'over-budget',
      {
        'src/pages/index.md': page(
          'segments:\n  dimensions: [audience, region]\n  purpose: p\n  kpi: k',
          ':::segment{audience="customer"}\nC.\n:::\n\n:::segment{region="eu"}\nE.\n:::',
        ),
      },
      { dimensions, budget: { perPage: 2 } },
    );
    expect(text).toContain('3 distinct variants');
    expect(text).toMatchSnapshot();
  });
});

describe('the site budget', () => {
  it('fails a site whose pages add more variant files than allowed, naming the largest', async () => {
    const body = ':::segment{audience="customer"}\nC.\n:::';
    const text = await failure(
      'over-site-budget',
      { 'src/pages/a.md': page(personalized, body), 'src/pages/b.md': page(personalized, body), 'src/pages/c.md': page(personalized, body) },
      { dimensions, budget: { perSite: 2 } },
    );
    expect(text).toContain('3 variant files, over the site budget of 2');
    expect(text).toMatchSnapshot();
  });
});

describe('the build log says what a newcomer must add', () => {
  /** Build a personalized one-page site and return what it logged at warning level. */
  async function warnings(name: string, site: string | undefined) {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const { error } = await buildCase(
        'errors',
        name,
        { 'src/pages/index.md': page(personalized, ':::segment{audience="customer"}\nHi.\n:::') },
        {
          integrations: [segments({ dimensions })],
          logLevel: 'warn',
          ...(site && { site }),
        },
      );
      expect(error).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    return stripVTControlCharacters(written.join(''));
  }

  it('warns once, without site, that variant files get relative canonical links', async () => {
    const log = await warnings('no-site', undefined);
    expect(log.match(/relative canonical URL/g)).toHaveLength(1);
    expect(log).toContain("Set site: 'https://your-domain.example' in astro.config");
  });

  it('says nothing about it when site is set', async () => {
    expect(await warnings('with-site', 'https://example.com')).not.toContain('canonical');
  });

  it('warns that a host output of its own lacks the on-demand pages of a site built for another adapter', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const { error } = await buildCase(
        'formats',
        'on-demand-apart',
        {
          'src/pages/index.md': page(personalized, ':::segment{audience="customer"}\nHi.\n:::'),
          'src/pages/live.astro': '---\nexport const prerender = false;\n---\n<p>Live.</p>\n',
        },
        {
          site: 'https://example.com',
          adapter: (await import('@astrojs/node')).default({ mode: 'standalone' }),
          integrations: [segments({ dimensions, hosts: ['cloudflare'] })],
          logLevel: 'warn',
        },
      );
      expect(error).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    const log = stripVTControlCharacters(written.join(''));
    expect(log).toContain("The Cloudflare output holds the prerendered pages only: 1 on-demand route (/live) runs on @astrojs/node's server");
  });
});

describe('bad options fail before the build starts', () => {
  const invalid = (options: unknown) => {
    try {
      segments(options as never);
    } catch (error) {
      return errorText(error as Error, process.cwd());
    }
    throw new Error('segments() accepted invalid options');
  };

  it.each([
    ['a name that is not a lowercase identifier', { Audience: { default: 'a', values: { a: {}, b: {} } } }],
    ['a name that shadows Object.prototype', { constructor: { default: 'a', values: { a: {}, b: {} } } }],
    ['a __proto__ value name', { audience: { default: 'a', values: JSON.parse('{"a":{},"__proto__":{}}') } }],
    ['a default that is not a value', { audience: { default: 'visitor', values: { a: {}, b: {} } } }],
    ['an unknown rule signal', { audience: { default: 'a', values: { a: { when: { ip: '1.2.3.4' } }, b: {} } } }],
    ['a continent that does not exist', { region: { default: 'a', values: { a: { when: { continent: 'XX' } }, b: {} } } }],
    ['a date window that is empty', { c: { default: 'a', values: { a: { when: { from: '2026-04-01', until: '2026-03-01' } }, b: {} } } }],
  ])('%s', (_name, badDimensions) => {
    expect(invalid({ dimensions: badDimensions })).toMatchSnapshot();
  });

  const when = (rule: unknown) => ({ region: { default: 'other', values: { here: { when: rule }, other: {} } } });
  it.each([
    ['a misspelled host', { dimensions, hosts: ['cloudfare'] }, '"cloudflare"'],
    ['a host where a list is expected', { dimensions, hosts: 'cloudflare' }, '["cloudflare"]'],
    ['an unknown top-level key', { dimensions, cookies: { name: 'seen' } }, '"cookie"'],
    ['an unknown key in a nested option', { dimensions, budget: { perpage: 4 } }, '"perPage"'],
    ['an unknown key in a dimension', { dimensions: { audience: { default: 'a', valeus: { a: {}, b: {} } } } }, '"values"'],
    ['an unknown key in a value', { dimensions: { audience: { default: 'a', values: { a: { lable: 'A' }, b: {} } } } }, '"label"'],
    ['a misspelled rule signal', { dimensions: when({ contry: 'DE' }) }, '"country"'],
    ['a misspelled matcher key', { dimensions: when({ referrer: { sufix: 'example.com' } }) }, '"suffix"'],
    ['a continent written as its name', { dimensions: when({ continent: 'Europe' }) }, '"EU"'],
    ['a misspelled country set', { dimensions: when({ countrySet: 'eaa' }) }, '"eea"'],
    ['UK as a country code', { dimensions: when({ country: 'UK' }) }, '"GB"'],
    ['EU as a country code', { dimensions: when({ country: 'EU' }) }, 'countrySet: "eu"'],
    ['a misspelled default', { dimensions: { audience: { default: 'prospct', values: { customer: {}, prospect: {} } } } }, '"prospect"'],
    ['a referrer written as a URL', { dimensions: when({ referrer: 'https://news.ycombinator.com/' }) }, '"news.ycombinator.com"'],
    ['a referrer domain with a path', { dimensions: when({ referrer: { domain: 'news.ycombinator.com/news' } }) }, '"news.ycombinator.com"'],
    ['a value of the wrong type', { dimensions, lints: { strict: 'yes' } }, 'true or false'],
  ])('%s names the allowed values and the likely one', (_name, options, likely) => {
    const text = invalid(options);
    expect(text).toContain(likely);
    expect(text).not.toMatch(/Invalid input|Unrecognized key/);
    expect(text).toMatchSnapshot();
  });
});
