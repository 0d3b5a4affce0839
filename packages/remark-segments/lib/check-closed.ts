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
  const where =
    source.slice(end).trim() === ''
      ? 'so it runs to the end of the document'
      : 'so it ends wherever the list item or block quote around it ends';
  fail(
    file,
    node,
    'unclosed-segment',
    `This :::segment block is never closed, ${where}, and everything after its opening line would only show for this segment. ` +
      `Close it with a line containing only ${opening} after its content.`,
  );
}
