/**
 * The error reference (`reference/errors.md`), generated from the messages
 * the tests snapshot: what a reader sees is what the build prints today.
 */
import { escapeMarkdown, generatedNotice, REPO } from './markdown.ts';
import { readInlineSnapshots, readSnapFile, type PinnedMessage } from './read-snapshots.ts';

export const ERROR_SOURCES = {
  /** What `astro build` prints in a terminal, for a few mistakes of each kind. */
  terminal: 'test/__snapshots__/errors-cli.test.ts.snap',
  build: 'test/__snapshots__/errors.test.ts.snap',
  collections: 'test/__snapshots__/content-errors.test.ts.snap',
  hostile: 'test/adversarial/__snapshots__/build.test.ts.snap',
  blocks: 'packages/remark-segments/test/errors.test.ts',
} as const;

/** `[SegmentsConfigError] …` → the error's class and the message after it. */
function classify(message: string): { kind: string; body: string } {
  const match = /^\[(\w+)\]\s*([\s\S]*)$/.exec(message);
  return match ? { kind: match[1]!, body: match[2]! } : { kind: '', body: message };
}

/** Sections for the build's messages, in page order; each message goes to the first that takes it. */
const GROUPS = [
  {
    title: 'Options',
    intro: 'Mistakes in the `segments()` options stop `astro build` and `astro dev` before any page renders. Every problem is listed with its key path.',
    test: (message: string) => classify(message).body.startsWith('Invalid options passed to segments()'),
  },
  {
    title: 'Blocks, as a build prints them',
    intro:
      "A mistake in a `:::segment` block fails the build with the file, the line and column of the block, what is wrong and how to fix it; the hint names the [block rule](#block-rules), under which the rule's other messages are listed. Blocks in content-collection entries are reported the same way, in the entry's file.",
    test: (message: string) => message.includes('remark-segments rule:') || message.includes('[plugin astro:markdown]'),
  },
  {
    title: 'Site-wide',
    intro: 'Problems no single page causes are reported against the `segments()` options in your Astro config.',
    test: (message: string) => {
      const { kind, body } = classify(message);
      return kind === 'SegmentsConfigError' || body.startsWith('astro.config:');
    },
  },
  {
    title: 'Pages and front matter',
    intro:
      "A page's declaration (frontmatter `segments`, or `<SegmentPage>`), checked before and after Astro renders it. The message starts with the file and, where there is one, the line.",
    test: () => true,
  },
] as const;

export function renderErrorsPage(repo: string = REPO): string {
  const terminal = readSnapFile(`${repo}/${ERROR_SOURCES.terminal}`);
  const built = [ERROR_SOURCES.build, ERROR_SOURCES.collections, ERROR_SOURCES.hostile].flatMap((file) => readSnapFile(`${repo}/${file}`));
  const blocks = readInlineSnapshots(`${repo}/${ERROR_SOURCES.blocks}`);
  const out = [
    '---',
    'title: Error messages',
    'description: Every error message Astro Segments gives, as the tests pin it, with the fix it names.',
    'sidebar:',
    '  order: 8',
    '---',
    '',
    generatedNotice(Object.values(ERROR_SOURCES).join(', ')),
    '',
    'Every mistake fails the build with what happened, why, and what to do: the file and line where there is one, then the fix, which Astro prints as the hint. The messages on this page are the exact texts the tests pin, for small test sites (`<site>` stands for the project folder). Search this page for the first words of a message you got.',
    '',
    '## How an error prints',
    '',
    "`astro build` and `astro dev` print our errors as Astro prints its own: the error's class and message, the hint, and the location in your project.",
    '',
    ...unique(terminal).flatMap(example),
    "The sections below give each message in a shorter form: the error's class, the location, the message, and the hint on the last line.",
    '',
  ];
  // Each message goes to the first section that takes it.
  const sectionOf = (entry: PinnedMessage) => GROUPS.find((group) => group.test(entry.message));
  for (const group of GROUPS) {
    out.push(`## ${group.title}`, '', group.intro, '');
    for (const entry of unique(built.filter((item) => sectionOf(item) === group))) out.push(...example(entry));
  }
  out.push(...blockRules(blocks));
  return out.join('\n');
}

/** remark-segments' messages, one section per rule id (`unclosed-segment`), as a unified pipeline reports them. */
function blockRules(entries: readonly PinnedMessage[]): string[] {
  const out = [
    '## Block rules',
    '',
    'Each message of a `:::segment` block has a rule id. remark-segments, used on its own, reports it with the position (`line:column rule-id: message`); a build prints the same message after the file and position, and names the rule in its hint. The position is where the block (or the wrong part of it) starts.',
    '',
  ];
  // `line:column rule-id: message`; a few tests pin only `line message` (no rule id): those go last.
  const OTHER = 'More block messages';
  const byRule = new Map<string, { test: string; message: string }[]>();
  for (const entry of entries) {
    const match = /^\d+(?::\d+)? (?:([a-z]+(?:-[a-z]+)+): )?([\s\S]*)$/.exec(entry.message);
    if (!match) throw new Error(`${ERROR_SOURCES.blocks}: "${entry.test}" pins "${entry.message.slice(0, 40)}…", which does not start with a position.`);
    const rule = match[1] ? `\`${match[1]}\`` : OTHER;
    const list = byRule.get(rule) ?? [];
    list.push({ test: entry.test, message: match[2]! });
    byRule.set(rule, list);
  }
  const other = byRule.get(OTHER);
  if (other) {
    byRule.delete(OTHER);
    byRule.set(OTHER, other);
  }
  for (const [rule, list] of byRule) {
    out.push(`### ${rule}`, '');
    for (const entry of unique(list)) out.push(...example(entry));
  }
  return out;
}

function example(entry: { group?: string; test: string; message: string }): string[] {
  // A test named in a few words ("upper case") reads only next to its describe block.
  const name = entry.group && entry.test.split(' ').length < 4 ? `${entry.group}: ${entry.test}` : entry.test;
  // `wrap`: Expressive Code wraps these long one-line messages instead of scrolling them.
  return [`**${escapeMarkdown(name[0]!.toUpperCase() + name.slice(1))}**`, '', '```text wrap', entry.message, '```', ''];
}

/** The first test of each distinct message: several tests pin the same words for different inputs. */
function unique<T extends { message: string }>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.message) && seen.add(entry.message));
}
