/**
 * On Sätteri, which block directly precedes a directive in the same parent (what
 * an otherwise block completes), without reading the tree: reading a parent's
 * children makes Sätteri materialize every one of them for JavaScript, and
 * asking for a node's parent costs a node too.
 */
import type { LeafDirective, ContainerDirective } from 'mdast-util-directive';
import type { SatteriContext } from './satteri.ts';

type Block = ContainerDirective | LeafDirective;

/** The block directly before `node` in its parent, if that is a directive. Call it for every directive, in document order. */
export type PreviousBlock = (node: Block, context: SatteriContext) => Block | undefined;

/**
 * Sätteri visits directives in document order. The candidate is the last one that
 * ended inside the same enclosing directive; it is the previous block when only
 * blank lines (or the parent's `>` and indentation) lie between the two. Blank
 * lines alone between two blocks that start in the same column leave no room for
 * a container to end or begin (its fence, marker, `>` or closing tag would lie
 * between), so only a `>` between or different columns ask Sätteri for both parents.
 */
export function previousBlocks(source: string): PreviousBlock {
  /** The directives that enclose the current one, outermost first. */
  const open: Block[] = [];
  /** By depth (how many directives enclose it): the last directive that ended there. */
  const lastEnded: (Block | undefined)[] = [];
  return (node, context) => {
    const start = node.position?.start.offset ?? 0;
    while (open.length > 0 && (open.at(-1)!.position?.end.offset ?? 0) <= start) {
      const ended = open.pop()!;
      lastEnded.length = open.length;
      lastEnded.push(ended);
    }
    const before = lastEnded[open.length];
    open.push(node);
    lastEnded.length = open.length;
    if (!before) return undefined;
    const between = source.slice(before.position?.end.offset ?? 0, start);
    if (!/^[\s>]*$/.test(between)) return undefined;
    if (!between.includes('>') && before.position?.start.column === node.position?.start.column) return before;
    return context.parent(before) === context.parent(node) ? before : undefined;
  };
}
