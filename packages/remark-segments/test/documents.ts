/**
 * Generated documents around one segment block: openings, bodies, closings and
 * what follows, well-formed and not, for the tests that compare outcomes (the
 * shortcuts of tree-reads.test.ts, the two processors of parity.test.ts).
 */
import fc from 'fast-check';
import type * as Process from './process.ts';

export const OPENINGS = [
  ':::segment{audience="customer"}',
  '::::segment{audience="customer"}',
  ':::segment{otherwise}',
  ':::segment[Label]{audience="customer"}',
  ':::segment{audience="nobody"}',
  '  :::segment{audience="customer"}',
  '- :::segment{audience="customer"}',
  '> :::segment{audience="customer"}',
  ':::segment{audience="customer"} ',
  ':::segment',
];
export const BODIES = [
  'Plain prose for customers.',
  '',
  '# A heading',
  '[A link](/pricing/) and `code`.',
  '- a list item',
  '1. an ordered item',
  '> a quote',
  '```\ncode\n:::\n```',
  '    indented code',
  '    :::',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  '| a | b |\n| - | - |\n| 1 | 2 |\n:::',
  'a | b\n--- | ---\n1 | 2\n:::',
  '<div>html</div>',
  ':::note\ninner\n:::',
  ':::segment{region="eu"}\nnested\n:::',
  '***',
  'Ends with colons :::',
  '::leaf[x]',
  '> ::leaf[x]',
  '“Quoted” prose.',
];
export const CLOSINGS = [':::', '::::', '::', '', '  :::', ':::  ', '- :::'];
export const AFTER = [
  '',
  'After the block.',
  ':::segment{otherwise}\nOthers.\n:::',
  '   :::segment{otherwise}\n   Others.\n   :::',
  '> :::segment{otherwise}\n> Others.\n> :::',
  '- :::segment{otherwise}\n  Others.\n  :::',
  '  :::segment{otherwise}\n  Others.\n  :::',
  ':::',
];

export const documents = fc
  .tuple(fc.constantFrom(...OPENINGS), fc.array(fc.constantFrom(...BODIES), { maxLength: 3 }), fc.constantFrom(...CLOSINGS), fc.constantFrom(...AFTER))
  .map(([opening, body, closing, after]) => document(opening, body, closing, after));

/** A document of one segment block and what follows it. */
export const document = (opening: string, body: readonly string[], closing: string, after: string): string =>
  ['Intro.', '', opening, ...body, closing, '', after, ''].join('\n');

/** Each processor's outcome, unified's first: the HTML, or the failure as `line:column ruleId: message`. */
export async function outcomes(process: typeof Process, markdown: string): Promise<string[]> {
  const input = { options: process.site, frontmatter: process.page(['audience', 'region']) };
  const run = async (render: () => Promise<string>) => {
    try {
      return await render();
    } catch (error) {
      const { line, column, ruleId } = error as { line?: number; column?: number; ruleId?: string };
      return `${line}:${column} ${ruleId}: ${String((error as Error).message)}`;
    }
  };
  return [await run(() => process.toHtml(markdown, input)), await run(() => process.toHtmlSatteri(markdown, input))];
}
