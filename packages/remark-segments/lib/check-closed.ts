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
  if (fence && fenceOffset >= lastChildEnd) return;
  checkTableFence(node, { file, source });
  const where = source.slice(end).trim() === '' ? 'so it runs to the end of the document' : 'so it ends wherever the list item or block quote around it ends';
  fail(
    file,
    node,
    'unclosed-segment',
    `This :::segment block is never closed, ${where}, and everything after its opening line would only show for this segment. ` +
      `Close it with a line containing only ${opening} after its content.`,
  );
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
