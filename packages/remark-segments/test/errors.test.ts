/**
 * Every way a segment block can be wrong fails the build with a position, a
 * ruleId and a message that says what happened, why, and what to do.
 */
import { describe, expect, it } from 'vitest';
import { failure, page, site, toHtmlSatteri } from './process.ts';

describe('site dimensions (the dimensions option)', () => {
  it('refuses a dimension the site does not declare, listing the declared ones', async () => {
    expect(await failure('Intro\n\n:::segment{plan="pro"}\nx\n:::\n', { options: site, frontmatter: page(['plan']) })).toMatchInlineSnapshot(
      `"3:1 unknown-dimension: This :::segment block uses the dimension "plan", which the site does not declare (declared: "audience" and "region"). Use a declared dimension, or add "plan" to the dimensions option (segments({ dimensions }) in astro.config)."`,
    );
  });

  it('refuses a value the dimension does not have, listing the allowed ones', async () => {
    expect(await failure(':::segment{audience="customer, partnr"}\nx\n:::\n', { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 unknown-value: This :::segment block uses audience="partnr", but "partnr" is not a value of the dimension "audience" (allowed: "prospect", "customer" and "partner"). Use one of those values, or add "partnr" to the values of "audience" in the dimensions option."`,
    );
  });

  it('checks negated values too', async () => {
    expect(await failure(':::segment{region="!europe"}\nx\n:::\n', { options: site, frontmatter: page(['region']) })).toMatchInlineSnapshot(
      `"1:1 unknown-value: This :::segment block uses region="europe", but "europe" is not a value of the dimension "region" (allowed: "eu", "na" and "other"). Use one of those values, or add "europe" to the values of "region" in the dimensions option."`,
    );
  });
});

describe('page declaration (frontmatter segments)', () => {
  it('refuses a dimension the page does not list, saying what to write', async () => {
    expect(await failure(':::segment{audience="customer" region="eu"}\nx\n:::\n', { options: site, frontmatter: page(['audience']) })).toMatchInlineSnapshot(
      `"1:1 undeclared-dimension: This :::segment block uses "region", but the page's frontmatter segments.dimensions lists only "audience", so the build would not make variants for it. Change it to dimensions: [audience, region]."`,
    );
  });

  it('refuses a block on a page without segments frontmatter', async () => {
    expect(await failure('# Title\n\n:::segment{audience="customer"}\nx\n:::\n', { options: site, frontmatter: { title: 'Pricing' } })).toMatchInlineSnapshot(
      `"3:1 missing-page-segments: This page has a :::segment block, but its frontmatter has no segments entry, so the build would not know that the page varies. Add to the frontmatter: segments: { dimensions: [audience], purpose: "why the page varies", kpi: "what should move" }."`,
    );
  });

  it('refuses a block on a page without any frontmatter', async () => {
    expect(await failure(':::segment{audience="customer"}\nx\n:::\n')).toMatchInlineSnapshot(
      `"1:1 missing-page-segments: This page has a :::segment block, but its frontmatter has no segments entry, so the build would not know that the page varies. Add to the frontmatter: segments: { dimensions: [audience], purpose: "why the page varies", kpi: "what should move" }. Outside Astro, without frontmatter, pass requireDeclaration: false to remark-segments instead."`,
    );
  });

  it('refuses segments that is not an object', async () => {
    expect(await failure(':::segment{audience="customer"}\nx\n:::\n', { frontmatter: { segments: 'audience' } })).toMatchInlineSnapshot(
      `"1:1 invalid-page-segments: This page has a :::segment block, but its frontmatter segments is "audience" instead of an object, so the block cannot be checked against it. Write it as segments: { dimensions: [audience], purpose: "…", kpi: "…" }."`,
    );
  });

  it('refuses segments without a dimensions list', async () => {
    expect(await failure(':::segment{audience="customer"}\nx\n:::\n', { frontmatter: { segments: { purpose: 'p', kpi: 'k' } } })).toMatchInlineSnapshot(
      `"1:1 undeclared-dimension: This :::segment block uses "audience", but the page's frontmatter segments has no dimensions list, so the build would not know the page varies on it. Add dimensions: [audience] under segments."`,
    );
  });

  it('refuses dimensions that is not a list of names', async () => {
    expect(await failure(':::segment{audience="customer"}\nx\n:::\n', { frontmatter: page('audience') })).toMatchInlineSnapshot(
      `"1:1 invalid-page-segments: The page's frontmatter segments.dimensions is "audience", not a list of dimension names, so this :::segment block cannot be checked against it. Write it as a list, for example dimensions: [audience]."`,
    );
  });
});

describe('block structure', () => {
  it('refuses nested segment blocks, pointing at the inner one', async () => {
    const input = '::::segment{audience="customer"}\nx\n\n:::segment{region="eu"}\ny\n:::\n::::\n';
    expect(await failure(input, { options: site, frontmatter: page(['audience', 'region']) })).toMatchInlineSnapshot(
      `"4:1 nested-segment: Segment blocks cannot be nested: this :::segment is inside another :::segment block (opened on line 1). Combine the conditions on one block instead, with several attributes, for example :::segment{audience="customer" region="eu"}."`,
    );
  });

  it('refuses a block that is never closed and runs to the end of the file', async () => {
    const input = 'Intro\n\n:::segment{audience="customer"}\nx\n\nMore text the author meant for everyone.\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"3:1 unclosed-segment: This :::segment block is never closed, so it runs to the end of the file, and everything after its opening line would only show for this segment. Close it with a line containing only ::: after its content."`,
    );
  });

  it('refuses an unclosed block even when the last line is a nested fence', async () => {
    const input = '::::segment{audience="customer"}\n:::note\nx\n:::\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 unclosed-segment: This :::segment block is never closed, so it runs to the end of the file, and everything after its opening line would only show for this segment. Close it with a line containing only :::: after its content."`,
    );
  });

  it('says which block is not closed when the next block starts inside it', async () => {
    const input = 'Intro\n\n:::segment{audience="customer"}\nx\n\n:::segment{otherwise}\ny\n:::\n\nAfter.\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"3:1 unclosed-segment: The :::segment block opened on line 3 is not closed before the next :::segment block on line 6, so that block would only show inside this one. Close it with a line holding only ::: before line 6."`,
    );
  });

  it('refuses a container written inside a segment block with the same fence, giving the fence to use', async () => {
    const input = ':::segment{audience="customer"}\n:::note\nhi\n:::\n:::\n\nAfter.\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"2:1 shared-fence: This :::note block inside the :::segment block of line 1 ends at the same fence as the segment block, so one ::: closes both and what follows it shows for everyone. A block inside a segment block needs fewer colons than the segment block: open the segment block with ::::segment{…} and close it with ::::."`,
    );
  });

  it('accepts a container inside a segment block whose fence has more colons', async () => {
    await expect(failure('::::segment{audience="customer"}\n:::note\nhi\n:::\n::::\n', { options: site, frontmatter: page() })).rejects.toThrow(
      'the input compiled',
    );
  });

  it('on Sätteri, says to leave a blank line when a table swallows the closing fence', async () => {
    // micromark closes the block there; Sätteri reads the fence as one more table row.
    const input = ':::segment{audience="customer"}\n| a | b |\n| - | - |\n| 1 | 2 |\n:::\n:::segment{otherwise}\nx\n:::\n';
    const error = await toHtmlSatteri(input, { options: site, frontmatter: page(), gfm: true }).catch(
      (failed: { line: number; reason: string }) => `${failed.line} ${failed.reason}`,
    );
    expect(error).toMatchInlineSnapshot(
      `"1 This :::segment block ends with a table, and the ::: right after the table's last row is read as one more row of the table, so the block is never closed. Leave a blank line between the table and the closing :::."`,
    );
  });

  it('refuses an unclosed block that ends with its list item', async () => {
    const input = '- :::segment{audience="customer"}\n  x\n- next\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:3 unclosed-segment: This :::segment block is never closed, so it ends wherever the list item or block quote around it ends, and everything after its opening line would only show for this segment. Close it with a line containing only ::: after its content."`,
    );
  });

  it('refuses an unclosed block whose last line closes a block in a list item', async () => {
    const input = 'Intro\n\n:::segment{audience="customer"}\nx\n\n- :::segment{otherwise}\n  y\n  :::\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"3:1 unclosed-segment: This :::segment block is never closed, so it runs to the end of the file, and everything after its opening line would only show for this segment. Close it with a line containing only ::: after its content."`,
    );
  });

  it('refuses a closing fence written as a list item', async () => {
    const input = ':::segment{audience="customer"}\n- a step\n- :::\n\nAfter.\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 unclosed-segment: Line 3 closes this :::segment block with a list item (- :::), which is not a closing fence, so where the block ends depends on the Markdown processor. End the list with a blank line and close the block with a line holding only :::."`,
    );
  });

  it('refuses a fence inside a code block, and takes the block with more colons', async () => {
    const input = ':::segment{audience="customer"}\n```md\n:::note\nhi\n:::\n```\n:::\n';
    expect(await failure(input, { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 unclosed-segment: Line 5 holds ::: inside the code block opened on line 2, and some Markdown processors end this :::segment block there, in the middle of the code. Open the block with more colons than any line of the code holds (::::segment{…}) and close it with as many."`,
    );
    const longer = '::::segment{audience="customer"}\n```md\n:::note\nhi\n:::\n```\n::::\n';
    await expect(failure(longer, { options: site, frontmatter: page() })).rejects.toThrow('the input compiled');
    // Inline code at the start of a line is not a code block.
    const inline = ':::segment{audience="customer"}\n```a``` is inline code\n:::\n';
    await expect(failure(inline, { options: site, frontmatter: page() })).rejects.toThrow('the input compiled');
  });

  it('refuses an unclosed empty block at the end of the file', async () => {
    expect(await failure(':::segment{audience="customer"}', { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 unclosed-segment: This :::segment block is never closed, so it runs to the end of the file, and everything after its opening line would only show for this segment. Close it with a line containing only ::: after its content."`,
    );
  });

  it('refuses a label, saying where the text goes', async () => {
    expect(await failure(':::segment[For customers]{audience="customer"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:11 segment-label: This :::segment block has a label (the [text] after its name), but segment blocks do not use labels, so that text would be lost. Move the text into the block's content and keep only the condition in braces: :::segment{audience="customer"}."`,
    );
  });

  it('refuses a leaf ::segment', async () => {
    expect(await failure('::segment{audience="customer"}\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 segment-not-container: ::segment is a leaf directive, but segments are container blocks, so this one would show for everyone. Write :::segment{audience="customer"} on its own line, then the content, then close it with a line of :::."`,
    );
  });

  it('refuses a text :segment with attributes', async () => {
    expect(await failure('Hello :segment[there]{audience="customer"}.\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:7 segment-not-container: :segment is a text directive, but segments are container blocks, so this one would show for everyone. Write :::segment{audience="customer"} on its own line, then the content, then close it with a line of :::."`,
    );
  });
});

describe('conditions', () => {
  it('refuses a block without a condition', async () => {
    expect(await failure(':::segment\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 missing-condition: This :::segment block has no condition, so nothing says who should see it. Add one in braces, for example :::segment{audience="customer"}, or write :::segment{otherwise} right after other segment blocks."`,
    );
  });

  it('refuses a dimension that is not a lowercase identifier', async () => {
    expect(await failure(':::segment{Audience="customer"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 invalid-condition: The condition of this :::segment block cannot be used: dimension "Audience" is not a simple lowercase identifier (a letter, then up to 31 of a-z, 0-9 and _). Dimension and value names are lowercase identifiers that are not reserved words, for example :::segment{audience="customer"}."`,
    );
  });

  it('refuses a value that is not a lowercase identifier', async () => {
    expect(await failure(':::segment{audience="Customer"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 invalid-condition: The condition of this :::segment block cannot be used: audience: value "Customer" is not a simple lowercase identifier (a letter, then up to 31 of a-z, 0-9 and _). Dimension and value names are lowercase identifiers that are not reserved words, for example :::segment{audience="customer"}."`,
    );
  });

  it('refuses reserved words as dimension names', async () => {
    expect(await failure(':::segment{constructor="x"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 invalid-condition: The condition of this :::segment block cannot be used: dimension "constructor" is a reserved word. Dimension and value names are lowercase identifiers that are not reserved words, for example :::segment{audience="customer"}."`,
    );
  });

  it('refuses reserved words as values', async () => {
    expect(await failure(':::segment{audience="default"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 invalid-condition: The condition of this :::segment block cannot be used: audience: value "default" is a reserved word. Dimension and value names are lowercase identifiers that are not reserved words, for example :::segment{audience="customer"}."`,
    );
  });

  it('refuses an empty value', async () => {
    expect(await failure(':::segment{audience="!"}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 invalid-condition: The condition audience="!" names no value, so nothing says who should see this block. Write audience="a_value", audience="a, b" (one of) or audience="!a" (anything but)."`,
    );
  });
});

describe('otherwise', () => {
  it('refuses an otherwise block that follows no segment block', async () => {
    expect(await failure('Intro\n\n:::segment{otherwise}\nx\n:::\n', { frontmatter: page() })).toMatchInlineSnapshot(
      `"3:1 misplaced-otherwise: This :::segment{otherwise} block does not directly follow a :::segment block, so there is nothing it could be the otherwise of. Place it right after the segment blocks it completes, in the same list item or quote, with only blank lines between them."`,
    );
  });

  it('refuses an otherwise block separated from the run by a paragraph', async () => {
    const input = ':::segment{audience="customer"}\nx\n:::\n\nBetween.\n\n:::segment{otherwise}\ny\n:::\n';
    expect(await failure(input, { frontmatter: page() })).toMatchInlineSnapshot(
      `"7:1 misplaced-otherwise: This :::segment{otherwise} block does not directly follow a :::segment block, so there is nothing it could be the otherwise of. Place it right after the segment blocks it completes, in the same list item or quote, with only blank lines between them."`,
    );
  });

  it('refuses an otherwise block in another parent than the run', async () => {
    const input = ':::segment{audience="customer"}\nx\n:::\n> :::segment{otherwise}\n> y\n> :::\n';
    expect(await failure(input, { frontmatter: page() })).toMatchInlineSnapshot(
      `"4:3 misplaced-otherwise: This :::segment{otherwise} block does not directly follow a :::segment block, so there is nothing it could be the otherwise of. Place it right after the segment blocks it completes, in the same list item or quote, with only blank lines between them."`,
    );
  });

  it('refuses two otherwise blocks in a row', async () => {
    const input = ':::segment{audience="customer"}\nx\n:::\n:::segment{otherwise}\ny\n:::\n:::segment{otherwise}\nz\n:::\n';
    expect(await failure(input, { frontmatter: page() })).toMatchInlineSnapshot(
      `"7:1 misplaced-otherwise: This :::segment{otherwise} block follows another otherwise block, but a run of segment blocks has only one otherwise. Remove one of them, or put a :::segment{…} block between them."`,
    );
  });

  it('refuses an otherwise block with a condition', async () => {
    const input = ':::segment{audience="customer"}\nx\n:::\n:::segment{otherwise region="eu"}\ny\n:::\n';
    expect(await failure(input, { frontmatter: page() })).toMatchInlineSnapshot(
      `"4:1 otherwise-with-condition: An otherwise block takes no condition: it shows when none of the segment blocks before it does, so region="eu" would be ignored. Remove region="eu", or make this a regular block: :::segment{region="eu"}."`,
    );
  });

  it('refuses an otherwise block with a value', async () => {
    const input = ':::segment{audience="customer"}\nx\n:::\n:::segment{otherwise="yes"}\ny\n:::\n';
    expect(await failure(input, { frontmatter: page() })).toMatchInlineSnapshot(
      `"4:1 otherwise-with-condition: An otherwise block takes no value, but this one says otherwise="yes". Write :::segment{otherwise}."`,
    );
  });
});

describe('near-misses of the block name', () => {
  it.each(['Segment', 'SEGMENT', 'segments'])('refuses :::%s, which would show for everyone', async (name) => {
    expect(await failure(`:::${name}{audience="customer"}\nx\n:::\n`, { options: site, frontmatter: page() })).toBe(
      `1:1 misspelled-segment: :::${name} looks like a segment block, but only :::segment (lowercase, singular) is one, so this content would show for everyone. Rename it to :::segment.`,
    );
  });

  it('leaves other containers to their owners', async () => {
    await expect(failure(':::note\nx\n:::\n', { options: site, frontmatter: page() })).rejects.toThrow('the input compiled');
  });
});

describe('MDX', () => {
  const block = (line: string) => `Intro\n\n:::segment{audience="customer"}\n${line}\n\nCustomer text.\n:::\n`;

  it('refuses an import inside a block of an .mdx file, which MDX would publish as text', async () => {
    expect(
      await failure(block("import prices from '../data/prices.js';"), { options: site, frontmatter: page(), path: '/site/src/pages/a.mdx' }),
    ).toMatchInlineSnapshot(
      `"4:1 import-in-segment: This line inside a :::segment block is an import, but MDX reads imports and exports only at the top level of the file, outside any block: here it would be published as text, and what it imports would be undefined. Move the line above the first block (near the front matter); what it imports can still be used inside the block."`,
    );
  });

  it('refuses an export inside a block of an .mdx file', async () => {
    expect(await failure(block('export const price = 5;'), { options: site, frontmatter: page(), path: '/site/src/pages/a.mdx' })).toMatchInlineSnapshot(
      `"4:1 import-in-segment: This line inside a :::segment block is an export, but MDX reads imports and exports only at the top level of the file, outside any block: here it would be published as text, and what it declares would be undefined. Move the line above the first block (near the front matter); what it imports can still be used inside the block."`,
    );
  });

  it.each([
    ['the same import in a .md file, where it is prose', "import prices from '../data/prices.js';", '/site/src/pages/a.md'],
    ['prose in MDX that starts with the word import', 'import your bank statements from Xero in two clicks.', '/site/src/pages/a.mdx'],
  ])('leaves %s alone', async (_name, line, path) => {
    await expect(failure(block(line), { options: site, frontmatter: page(), path })).rejects.toThrow('the input compiled');
  });
});

describe('a space before the braces', () => {
  it('says the braces are text because of the space, and shows the block without it', async () => {
    expect(await failure(':::segment {audience="customer"}\nx\n:::\n', { options: site, frontmatter: page() })).toMatchInlineSnapshot(
      `"1:1 missing-condition: This :::segment block has a space before its braces, so they are read as text and the block has no condition. Remove the space: :::segment{audience="customer"}."`,
    );
  });
});

describe('a fence that is not one', () => {
  it.each([':::segment{audience="customer"', ':::segment(audience)'])('%s: its content would show for everyone, as text', async (line) => {
    expect(await failure(`${line}\nx\n:::\n`, { options: site, frontmatter: page() })).toBe(
      `1:1 invalid-condition: This line starts like a :::segment block, but it is not one (its braces are not closed, or hold something other than attributes), so the block's content would show for everyone, as text. Write the opening line as :::segment{audience="customer"}.`,
    );
  });
});
