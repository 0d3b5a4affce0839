import type { Nodes } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import type { CompileContext } from './context.ts';
import { fail } from './fail.ts';

/**
 * remark-directive lets a container that is never closed run to the end of
 * its parent (the document, a list item or a block quote). A closed block's
 * source ends with a fence line (`:::`, possibly behind list indentation or
 * `>`) that lies after its last child; anything else was never closed.
 * Without the source text (a tree built elsewhere) this cannot be told apart.
 */
export function checkClosed(node: ContainerDirective, { file, source }: CompileContext): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined) return;
  const text = source.slice(start, end);
  const opening = /^:{3,}/.exec(text)?.[0];
  if (!opening || !text.startsWith(`${opening}segment`)) return; // The source is not the text this tree came from.
  const body = text.trimEnd();
  const fence = /\n[ \t>]*(:{3,})$/.exec(body);
  const fenceOffset = fence ? start + body.length - fence[1]!.length : -1;
  const lastChildEnd = node.children.at(-1)?.position?.end.offset ?? start;
  if (fence && fenceOffset >= lastChildEnd && !closesInnerBlock(node, start + body.lastIndexOf('\n') + 1)) return;
  checkTableFence(node, { file, source });
  // Opened behind `>` or a list marker, it ends with the quote or the item (Sätteri may read a
  // line after the quote as a lazy part of the block, micromark does not: the opening decides).
  const prefix = source.slice(source.lastIndexOf('\n', start - 1) + 1, start);
  const inner = /[>]|(?:^|\s)(?:[-*+]|\d{1,9}[.)])\s/.test(prefix) || source.slice(end).trim() !== '';
  const where = inner ? 'so it ends wherever the list item or block quote around it ends' : 'so it runs to the end of the file';
  fail(
    file,
    node,
    'unclosed-segment',
    `This :::segment block is never closed, ${where}, and everything after its opening line would only show for this segment. ` +
      `Close it with a line containing only ${opening} after its content.`,
  );
}

/**
 * Whether the fence line starting at `fenceLine` closes a block nested deeper in `node`, in a
 * list item or a block quote that is its last child: then it is not `node`'s own fence. (A
 * block directly inside `node` that ends on it is a shared fence: `checkSharedFence`.)
 * micromark ends such a block where its fence line starts, Sätteri where it ends.
 */
function closesInnerBlock(node: ContainerDirective, fenceLine: number): boolean {
  for (let last: Nodes | undefined = node.children.at(-1); last && 'children' in last; last = last.children.at(-1)) {
    if (last.type === 'containerDirective' && (last.position?.end.offset ?? -1) >= fenceLine) return true;
  }
  return false;
}

/** A fence line (`:::`), a list item holding only a fence (`- :::`), and a code block's fence. */
const FENCE = /^[ \t>]*(:{3,})[ \t]*$/;
const LIST_FENCE = /^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(:{3,})[ \t]*$/;
/** A backtick fence's info string holds no backtick (a line such as ```a``` b is inline code). */
const CODE_FENCE = /^[ \t>]*(`{3,}(?=[^`]*$)|~{3,})/;
const CODE_CLOSE = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/;

/**
 * Lines of a block that close it on one Markdown processor and not on another, refused on
 * both before anything else is checked:
 * - a closing fence written as a list item (`- :::`): micromark reads a list item holding
 *   `:::`, Sätteri ends the block there;
 * - a fence inside a fenced code block (a code sample that shows `:::`): micromark ends the
 *   block there, in the middle of the code, Sätteri does not.
 * Fences shorter than the block's own close neither, and are left alone.
 */
export function checkFenceLines(node: ContainerDirective, { file, source }: Pick<CompileContext, 'file' | 'source'>): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined) return;
  const opening = openingFence(node, source);
  let code: { fence: string; line: number } | undefined;
  for (const [index, line] of source.slice(start, end).split('\n').entries()) {
    if (index === 0) continue;
    const at = node.position!.start.line + index;
    const codeFence = (code ? CODE_CLOSE : CODE_FENCE).exec(line)?.[1];
    if (codeFence && !code) code = { fence: codeFence, line: at };
    else if (codeFence && codeFence[0] === code!.fence[0] && codeFence.length >= code!.fence.length) code = undefined;
    else if (code && (FENCE.exec(line)?.[1]?.length ?? 0) >= opening.length) {
      fail(
        file,
        node,
        'unclosed-segment',
        `Line ${at} holds ${line.trim()} inside the code block opened on line ${code.line}, and some Markdown processors end this :::segment block there, in the middle of the code. ` +
          `Open the block with more colons than any line of the code holds (${opening}:segment{…}) and close it with as many.`,
      );
    } else if (!code && (LIST_FENCE.exec(line)?.[1]?.length ?? 0) >= opening.length) {
      fail(
        file,
        node,
        'unclosed-segment',
        `Line ${at} closes this :::segment block with a list item (${line.trim()}), which is not a closing fence, so where the block ends depends on the Markdown processor. ` +
          `End the list with a blank line and close the block with a line holding only ${opening}.`,
      );
    }
  }
}

/** The colons that open a block (`:::`, `::::`), read from the source; `:::` without one. */
export function openingFence(node: ContainerDirective, source: string | undefined): string {
  const start = node.position?.start.offset;
  return (source !== undefined && start !== undefined && /^:+/.exec(source.slice(start))?.[0]) || ':::';
}

/**
 * Sätteri (unlike micromark) reads a fence right after a table row as one more
 * row of the table, so the block does not end there. The integration moves such
 * a fence below a blank line that follows it; without one, say what to do.
 */
export function checkTableFence(node: ContainerDirective, { file, source }: Pick<CompileContext, 'file' | 'source'>): void {
  if (source === undefined) return;
  const swallowing = node.children.find(
    (child) => child.type === 'table' && /\n[ \t>]*:{3,}[ \t]*(?:\n|$)/.test(source.slice(child.position?.start.offset ?? 0, child.position?.end.offset ?? 0)),
  );
  if (!swallowing) return;
  const fence = /\n[ \t>]*(:{3,})[ \t]*(?:\n|$)/.exec(source.slice(swallowing.position!.start.offset, swallowing.position!.end.offset))![1]!;
  fail(
    file,
    node,
    'unclosed-segment',
    `This :::segment block ends with a table, and the ${fence} right after the table's last row is read as one more row of the table, so the block is never closed. ` +
      `Leave a blank line between the table and the closing ${fence}.`,
  );
}
