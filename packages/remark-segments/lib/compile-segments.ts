import type { Nodes, Parents, Root } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { checkClosed, checkFenceLines, checkTableFence, openingFence } from './check-closed.ts';
import { checkPageDimensions, checkSiteDimensions } from './check-dimensions.ts';
import { ConditionError, checkName, parseCondition, serializeCondition, type Condition } from './condition.ts';
import type { CompileContext } from './context.ts';
import { fail } from './fail.ts';
import { isPlainBlock } from './plain-block.ts';

const EXAMPLE = ':::segment{audience="customer"}';
/** `Segment`, `SEGMENT`, `segments`, `Segments`: near-misses of the one container name we own. */
const MISSPELLED = /^segments?$/i;

/**
 * Check every `:::segment{…}` block and tell `context.mark` what it becomes:
 * `<astro-segment data-when="audience=customer">` or
 * `<astro-segment data-otherwise="">`. Reads the tree only, so it runs on
 * unified's mdast and on Sätteri's read-only nodes alike; and only its block
 * structure, never the inline content of paragraphs, headings or tables (on
 * Sätteri every node read is one materialized). Text directives are checked
 * on their own, by `checkTextDirective`.
 */
export function compileSegments(tree: Root, context: CompileContext): void {
  walkBlocks(tree, (node, index, parent) => compileNode(node, parent.children[index - 1], context));
}

/**
 * Check one block: a segment block (and mark it), a near-miss of one, or a leaf
 * `::segment`. `previous` is the block directly before it in the same parent,
 * if any (what an otherwise block completes). Sätteri's plugin calls it from
 * its directive visitors, so only the directives of a document are ever read.
 */
export function compileNode(node: Nodes, previous: Nodes | undefined, context: CompileContext): void {
  if (node.type === 'containerDirective' && node.name === 'segment') {
    compileBlock(node, previous, context);
  } else if (node.type === 'containerDirective' && MISSPELLED.test(node.name)) {
    // Any other container belongs to someone else and shows for everyone: a
    // near-miss of ours would silently publish a variant to every visitor.
    fail(
      context.file,
      node,
      'misspelled-segment',
      `:::${node.name} looks like a segment block, but only :::segment (lowercase, singular) is one, so this content would show for everyone. Rename it to :::segment.`,
    );
  } else if (node.type === 'leafDirective') {
    checkNotContainer(node, context);
  } else if (node.type === 'paragraph') {
    checkNotAFence(node, context);
  }
}

/**
 * A paragraph that starts like a block's opening fence: remark-directive does not read
 * `:::segment {…}` (a space before the braces) or `:::segment{…` (braces never closed) as a
 * directive, so the block's fences and content would be published as text for everyone.
 * (Sätteri reads both as a block without attributes, and `readCondition` gives the same
 * messages; its plugin never reads paragraphs.)
 */
function checkNotAFence(node: Nodes, context: CompileContext): void {
  const start = node.position?.start.offset;
  const { source } = context;
  if (start === undefined || source === undefined || node.position!.start.column !== 1 || !source.startsWith(':::', start)) return;
  const line = firstLine(source, start);
  if (/^:{3,}segment(?![\w-])/.test(line)) failMalformedOpening(node, line, context);
}

const firstLine = (source: string, start: number): string => source.slice(start, source.indexOf('\n', start) >>> 0);

/**
 * An opening line that is not `:::segment{attributes}`: braces after a space, braces never
 * closed, or anything else after the name. Nothing when the line is a bare `:::segment`.
 */
function failMalformedOpening(node: Nodes, line: string, { file }: Pick<CompileContext, 'file'>): void {
  const spaced = /^(:{3,}segment)[ \t]+(\{[^\n]*\})/.exec(line);
  if (spaced) {
    fail(
      file,
      node,
      'missing-condition',
      `This :::segment block has a space before its braces, so they are read as text and the block has no condition. Remove the space: ${spaced[1]}${spaced[2]}.`,
    );
  }
  if (/^:{3,}segment(?:\{\s*\})?[ \t]*$/.test(line)) return;
  fail(
    file,
    node,
    'invalid-condition',
    `This line starts like a :::segment block, but it is not one (its braces are not closed, or hold something other than attributes), so the block's content would show for everyone, as text. Write the opening line as ${EXAMPLE}.`,
  );
}

/** A `:segment[…]{…}` in prose: segments are blocks, so it would show for everyone. */
export function checkTextDirective(node: TextDirective, context: Pick<CompileContext, 'file'>): void {
  checkNotContainer(node, context);
}

function checkNotContainer(node: LeafDirective | TextDirective, { file }: Pick<CompileContext, 'file'>): void {
  // Bare `:segment` / `::segment` is prose with a colon (restored by whoever turned directives on).
  if (node.name !== 'segment' || isBare(node)) return;
  const written = node.type === 'leafDirective' ? '::segment' : ':segment';
  fail(
    file,
    node,
    'segment-not-container',
    `${written} is a ${node.type === 'leafDirective' ? 'leaf' : 'text'} directive, but segments are container blocks, so this one would show for everyone. ` +
      `Write ${EXAMPLE} on its own line, then the content, then close it with a line of :::.`,
  );
}

/** Nodes whose children are blocks (what a `:::segment` may sit in). */
const BLOCK_PARENTS: ReadonlySet<string> = new Set(['root', 'containerDirective', 'blockquote', 'list', 'listItem', 'footnoteDefinition', 'mdxJsxFlowElement']);

/** Pre-order over the blocks under `parent`, with each one's index and parent. */
function walkBlocks(parent: Parents, visitor: (node: Nodes, index: number, parent: Parents) => void): void {
  parent.children.forEach((node, index) => {
    visitor(node, index, parent);
    if (BLOCK_PARENTS.has(node.type)) walkBlocks(node as Parents, visitor);
  });
}

function compileBlock(node: ContainerDirective, previous: Nodes | undefined, context: CompileContext): void {
  const { file } = context;
  // A plain block (most are) has nothing the checks of its children could find.
  const plain = isPlainBlock(node, context.source);
  if (!plain) {
    // First: a fence written as a list item, a fence a table swallowed, or one shared with an
    // inner block also makes the block look unclosed.
    checkFenceLines(node, context);
    checkTableFence(node, context);
    checkSharedFence(node, context);
    checkClosed(node, context);
  }

  const first = plain ? undefined : node.children[0];
  if (first?.type === 'paragraph' && first.data?.directiveLabel) {
    fail(
      file,
      first,
      'segment-label',
      'This :::segment block has a label (the [text] after its name), but segment blocks do not use labels, so that text would be lost. ' +
        `Move the text into the block's content and keep only the condition in braces: ${EXAMPLE}.`,
    );
  }

  if (isMdx(file)) checkNoEsm(node, context);

  const attributes = normalizeAttributes(node.attributes);
  if (Object.hasOwn(attributes, 'otherwise')) {
    compileOtherwise(node, attributes, previous, context);
  } else {
    const condition = readCondition(node, attributes, context);
    checkSiteDimensions(node, condition, context);
    if (context.requireDeclaration) checkPageDimensions(node, condition, context);
    context.mark(node, { when: serializeCondition(condition) });
  }

  if (plain) return;
  walkBlocks(node, (child) => {
    if (child.type === 'containerDirective' && child.name === 'segment') {
      const line = node.position ? ` (opened on line ${node.position.start.line})` : '';
      fail(
        file,
        child,
        'nested-segment',
        `Segment blocks cannot be nested: this :::segment is inside another :::segment block${line}. ` +
          'Combine the conditions on one block instead, with several attributes, for example :::segment{audience="customer" region="eu"}.',
      );
    }
  });
}

const isMdx = (file: CompileContext['file']): boolean => /\.mdx$/i.test(file.path ?? '');

/**
 * An `import` or `export` line of ESM syntax (`import X from '…'`, `import '…'`,
 * `export const …`): prose that wraps onto a line starting with "import your data" is not one.
 */
const ESM_LINE = /\n[ \t]*(?:import[ \t]+(?:['"]|[^\n]*?[ \t}]from[ \t]*['"])|export[ \t]+(?:const|let|var|function|class|async|default|\{|\*)[^\n]*)/;

/**
 * MDX reads `import` and `export` lines only at the top level of a file: inside a block (as in a
 * quote or a list) they are text, so the import line would be published as a paragraph, and what
 * it imports would be undefined in the block. Found in the source, so a plain block is checked too.
 */
function checkNoEsm(node: ContainerDirective, { file, source }: CompileContext): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined) return;
  const body = source.slice(start, end);
  const found = ESM_LINE.exec(body);
  if (!found) return;
  const before = body.slice(0, found.index + 1);
  const line = node.position!.start.line + (before.match(/\n/g)?.length ?? 0);
  const statement = found[0].trim();
  const kind = statement.startsWith('import') ? 'import' : 'export';
  const place = {
    start: { line, column: 1, offset: start + found.index + 1 },
    end: { line, column: 1 + statement.length, offset: start + found.index + 1 + statement.length },
  };
  fail(
    file,
    { type: 'text', position: place } as Nodes,
    'import-in-segment',
    `This line inside a :::segment block is an ${kind}, but MDX reads imports and exports only at the top level of the file, outside any block: here it would be published as text, and what it ${kind === 'import' ? 'imports' : 'declares'} would be undefined. ` +
      'Move the line above the first block (near the front matter); what it imports can still be used inside the block.',
  );
}

function compileOtherwise(
  node: ContainerDirective,
  attributes: Readonly<Record<string, string>>,
  previous: Nodes | undefined,
  { file, mark }: CompileContext,
): void {
  const others = Object.entries(attributes).filter(([name]) => name !== 'otherwise');
  if (others.length > 0) {
    const written = others.map(([name, value]) => `${name}="${value}"`).join(' ');
    fail(
      file,
      node,
      'otherwise-with-condition',
      `An otherwise block takes no condition: it shows when none of the segment blocks before it does, so ${written} would be ignored. ` +
        `Remove ${written}, or make this a regular block: :::segment{${written}}.`,
    );
  }
  if (attributes.otherwise !== '') {
    fail(
      file,
      node,
      'otherwise-with-condition',
      `An otherwise block takes no value, but this one says otherwise="${attributes.otherwise}". Write :::segment{otherwise}.`,
    );
  }
  if (previous?.type === 'containerDirective' && previous.name === 'segment') {
    if (!Object.hasOwn(normalizeAttributes(previous.attributes), 'otherwise')) {
      mark(node, { otherwise: true });
      return;
    }
    fail(
      file,
      node,
      'misplaced-otherwise',
      'This :::segment{otherwise} block follows another otherwise block, but a run of segment blocks has only one otherwise. ' +
        'Remove one of them, or put a :::segment{…} block between them.',
    );
  }
  fail(
    file,
    node,
    'misplaced-otherwise',
    'This :::segment{otherwise} block does not directly follow a :::segment block, so there is nothing it could be the otherwise of. ' +
      'Place it right after the segment blocks it completes, in the same list item or quote, with only blank lines between them.',
  );
}

function readCondition(node: ContainerDirective, attributes: Readonly<Record<string, string>>, { file, source }: CompileContext): Condition {
  const entries = Object.entries(attributes);
  const start = node.position?.start.offset;
  if (entries.length === 0 && start !== undefined && source !== undefined) failMalformedOpening(node, firstLine(source, start), { file });
  if (entries.length === 0) {
    fail(
      file,
      node,
      'missing-condition',
      'This :::segment block has no condition, so nothing says who should see it. ' +
        `Add one in braces, for example ${EXAMPLE}, or write :::segment{otherwise} right after other segment blocks.`,
    );
  }
  for (const [dimension, value] of entries) {
    if (checkName(dimension) === undefined && value.replace(/[\s,!]/g, '') === '') {
      fail(
        file,
        node,
        'invalid-condition',
        `The condition ${dimension}="${value}" names no value, so nothing says who should see this block. ` +
          `Write ${dimension}="a_value", ${dimension}="a, b" (one of) or ${dimension}="!a" (anything but).`,
      );
    }
  }
  try {
    return parseCondition(attributes);
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    return fail(
      file,
      node,
      'invalid-condition',
      `The condition of this :::segment block cannot be used: ${error.message}. ` +
        `Dimension and value names are lowercase identifiers that are not reserved words, for example ${EXAMPLE}.`,
      error,
    );
  }
}

/**
 * A closing fence closes the innermost open block *and* every block around it
 * whose fence is not longer. So in
 *
 *     :::segment{audience="customer"}      :::segment{audience="customer"}
 *     :::note                              x
 *     hi                                   :::segment{otherwise}
 *     :::                                  y
 *     :::                                  :::
 *
 * the first `:::` ends both blocks: on the left the second `:::` is left over as
 * prose for everyone; on the right the first block was never closed and swallows
 * the otherwise block. Both show as a block inside a segment block that ends
 * exactly where the segment block ends.
 */
function checkSharedFence(node: ContainerDirective, { file, source }: CompileContext): void {
  const end = node.position?.end.offset;
  if (end === undefined) return;
  // micromark ends the inner block where the shared fence line starts, Sätteri where it ends.
  const fenceLine = source === undefined ? end : source.lastIndexOf('\n', end - 1) + 1;
  // Only a fence at least as long as the block's own closes it; a shorter one belongs to the inner block.
  const closing = source === undefined ? undefined : /^[ \t>]*(:+)[ \t]*$/.exec(source.slice(fenceLine, end))?.[1];
  if (source !== undefined && (closing === undefined || closing.length < openingFence(node, source).length)) return;
  for (const child of node.children) {
    const childEnd = child.position?.end.offset;
    if (child.type !== 'containerDirective' || childEnd === undefined || childEnd < fenceLine) continue;
    const opened = node.position!.start.line;
    const inner = child.position!.start.line;
    if (child.name === 'segment') {
      fail(
        file,
        node,
        'unclosed-segment',
        `The :::segment block opened on line ${opened} is not closed before the next :::segment block on line ${inner}, so that block would only show inside this one. ` +
          `Close it with a line holding only ::: before line ${inner}.`,
      );
    }
    const fence = ':'.repeat(openingFence(node, source).length + 1);
    fail(
      file,
      child,
      'shared-fence',
      `This :::${child.name} block inside the :::segment block of line ${opened} ends at the same fence as the segment block, so one ::: closes both and what follows it shows for everyone. ` +
        `A block inside a segment block needs fewer colons than the segment block: open the segment block with ${fence}segment{…} and close it with ${fence}.`,
    );
  }
}

/** A text or leaf directive with neither a label nor attributes: what prose such as `a :segment` parses to. */
function isBare(node: LeafDirective | TextDirective): boolean {
  return node.children.length === 0 && Object.keys(node.attributes ?? {}).length === 0;
}

/** Directive attributes, with valueless ones (`{otherwise}`) as `''`. */
function normalizeAttributes(attributes: ContainerDirective['attributes']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) result[name] = value ?? '';
  return result;
}
