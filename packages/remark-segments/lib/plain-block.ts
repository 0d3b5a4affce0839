import type { ContainerDirective } from 'mdast-util-directive';

/**
 * A line of a block's body that is not plain prose: one that starts with
 * anything but a letter, `#`, `!`, `[`, `(` or a quote. Lists, quotes, indented
 * or fenced code, HTML, directives, thematic breaks and a table's delimiter row
 * (`|`, `-` or `:`) all do. Blank lines are prose.
 */
const NOT_PROSE = /\n(?![\p{L}#![("'“‘]|[ \t]*(?:\n|$))/u;

/**
 * Is this segment block plain: written at the start of its lines, opened with
 * one line that ends its attributes and has no label, closed by a fence of
 * its own length or longer, with only prose between? Most blocks are. For
 * those the checks that read a block's children (tables that swallow a fence,
 * fences shared with an inner block, nested blocks, labels, what ends after the
 * fence) cannot find anything, and are skipped: on Sätteri each child read is
 * a node materialized for JavaScript, the largest part of rendering a
 * personalized document. Decided from the source alone, so unified and Sätteri
 * skip the same checks.
 */
export function isPlainBlock(node: ContainerDirective, source: string | undefined): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined || node.position!.start.column !== 1) return false;
  const text = source.slice(start, end).trimEnd();
  const opening = /^(:{3,})segment\{[^\n]*\}[ \t]*\n/.exec(text);
  const lastLine = text.lastIndexOf('\n');
  if (!opening || lastLine < opening[0].length - 1) return false;
  const fence = /^(:{3,})$/.exec(text.slice(lastLine + 1));
  if (!fence || fence[1]!.length < opening[1]!.length) return false;
  return !NOT_PROSE.test(text.slice(opening[0].length - 1, lastLine));
}
