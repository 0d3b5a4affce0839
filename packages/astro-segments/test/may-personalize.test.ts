/**
 * `mayPersonalize` decides which documents leave the site's own renderer: its string search
 * before the expression must never turn away a document the expression would catch.
 */
import { describe, expect, it } from 'vitest';
import { mayPersonalize, SEGMENT_SYNTAX } from '../src/content/markdown-processor.ts';
import { seededRandom } from '../../../test/utils/seeded-random.ts';

const FRAGMENTS = [
  ':',
  '::',
  ':::',
  'segment',
  'Segment',
  'SEGMENT',
  'segm',
  'ent',
  '\n',
  ' ',
  '> ',
  '- ',
  '1. ',
  '[^1]: ',
  '{',
  '[',
  '}',
  'x',
  '10:30',
  'ſegment',
];

describe('mayPersonalize', () => {
  it('catches every form of block opening the syntax knows, in any letter case', () => {
    for (const text of [
      ':::segment{audience="customer"}\nHi\n:::',
      'Intro.\n\n> :::Segment{otherwise}\n> x\n> :::',
      '- ::::SEGMENT{region="eu"}',
      '[^1]: :::segment{otherwise}',
      'Text ::segment{audience="a"} here',
      'Inline :segment[x]{audience="a"}',
    ]) {
      expect(mayPersonalize(text, undefined), text).toBe(true);
    }
  });

  it('leaves documents without the syntax to the site, unless their front matter declares segments', () => {
    for (const text of ['', 'Plain prose at 10:30.', 'A segment of the market: segments.', 'Mid-line :::segment{x} is prose', ':segment alone']) {
      expect(mayPersonalize(text, undefined), text).toBe(false);
      expect(mayPersonalize(text, { segments: { dimensions: ['audience'] } }), text).toBe(true);
    }
  });

  it('agrees with the expression alone on 20,000 generated documents', () => {
    const next = seededRandom(13);
    let caught = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 12) }, () => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]).join('');
      const expected = SEGMENT_SYNTAX.test(text);
      if (expected) caught++;
      expect(mayPersonalize(text, undefined), JSON.stringify(text)).toBe(expected);
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(caught).toBeGreaterThan(200);
    expect(caught).toBeLessThan(19_000);
  });
});
