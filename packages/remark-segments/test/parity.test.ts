/**
 * remark-segments on unified and on Sätteri refuse the same documents with the
 * same message, rule id, line and column, and render the same ones. Every
 * combination of one opening, at most one body, one closing and one follower
 * of documents.ts, well-formed or not, is run through both.
 *
 * Left out: blocks opened with two spaces of indentation, and indented code in a
 * block opened in a list item. micromark and Sätteri split those lines into
 * different trees (which lines belong to the block, to a list item in it, or to
 * a lazy paragraph), and of the documents that differ both refuse every one,
 * with different messages: 44 of 12,320 when they are included.
 */
import { describe, expect, it } from 'vitest';
import { AFTER, BODIES, CLOSINGS, document, OPENINGS, outcomes } from './documents.ts';
import * as processors from './process.ts';

const CODE_IN_LIST_ITEM = /^- [\s\S]*\n {4}/;

const all = OPENINGS.filter((opening) => !opening.startsWith(' ')).flatMap((opening) =>
  [[], ...BODIES.map((body) => [body])].flatMap((body) =>
    CLOSINGS.flatMap((closing) => AFTER.map((after) => document(opening, body, closing, after))).filter(
      (markdown) => !CODE_IN_LIST_ITEM.test(markdown.slice(markdown.indexOf(opening))),
    ),
  ),
);

/** `renders` or the failure: the two processors escape attributes differently in HTML that renders. */
const verdict = (outcome: string) => (/^\d+:\d+ [a-z-]+: /.test(outcome) ? outcome : 'renders');

describe('unified and Sätteri', () => {
  it(`agree on each of ${all.length} generated documents`, async () => {
    const disagreements: { markdown: string; unified: string; satteri: string }[] = [];
    let rendered = 0;
    for (const markdown of all) {
      const [unified, satteri] = (await outcomes(processors, markdown)).map(verdict);
      if (unified !== satteri) disagreements.push({ markdown, unified: unified!, satteri: satteri! });
      else if (unified === 'renders') rendered++;
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both outcomes are there in numbers: the documents are not all refused, nor all rendered.
    expect(all.length).toBeGreaterThan(10_000);
    expect(rendered).toBeGreaterThan(1_000);
    expect(all.length - rendered).toBeGreaterThan(1_000);
    process.stdout.write(`parity: ${rendered} rendered, ${all.length - rendered} refused, on both\n`);
  }, 120_000);
});
