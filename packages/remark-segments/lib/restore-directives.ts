import type { Nodes, Paragraph, Root, Text } from 'mdast';
import type { LeafDirective, TextDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';

/**
 * Turn text and leaf directives that nobody can own back into the prose the
 * author wrote.
 *
 * Why: registering the directive syntax makes micromark read every `:word` in
 * prose as a text directive: `10:30`, `re:Invent`, `3:17`, `Note:this` lose
 * their second half, which remark-rehype then renders as an empty `<div>`.
 * We only own `:::segment` containers, so we must not change what other
 * directives mean — but a directive with neither a label (`[…]`) nor
 * attributes (`{…}`) is exactly what plain prose with a colon parses to, and
 * the directive plugins we coexist with (Starlight's asides and the like)
 * all use containers, labels or attributes. Those we restore to their
 * source text (`:name` / `::name`, or the exact slice of the file, so `:a[]{}`
 * stays byte for byte). Everything else — container directives such as
 * Starlight's `:::note`, and any directive with a label or attributes — is
 * left untouched for the plugin that owns it.
 *
 * The cost of this rule: a plugin that runs after us and gives meaning to a
 * *bare* `::name` or `:name` no longer sees it. Such a plugin must run before
 * remark-segments.
 */
export function restoreDirectives(tree: Root, source: string | undefined): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
    const parent = node as { children: Nodes[] };
    let changed = false;
    const children = parent.children.map((child): Nodes => {
      if (!isBare(child)) return child;
      changed = true;
      return child.type === 'textDirective' ? restoreText(child, source) : restoreLeaf(child, source);
    });
    if (changed) parent.children = mergeTexts(children);
  });
}

/** A text or leaf directive with no label and no attributes. */
function isBare(node: Nodes): node is TextDirective | LeafDirective {
  if (node.type !== 'textDirective' && node.type !== 'leafDirective') return false;
  return node.children.length === 0 && Object.keys(node.attributes ?? {}).length === 0;
}

function restoreText(node: TextDirective, source: string | undefined): Text {
  const value = sourceOf(node, source, ':') ?? `:${node.name}`;
  return node.position ? { type: 'text', value, position: node.position } : { type: 'text', value };
}

function restoreLeaf(node: LeafDirective, source: string | undefined): Paragraph {
  const value = sourceOf(node, source, '::') ?? `::${node.name}`;
  const text: Text = node.position ? { type: 'text', value, position: node.position } : { type: 'text', value };
  return node.position ? { type: 'paragraph', children: [text], position: node.position } : { type: 'paragraph', children: [text] };
}

/**
 * The exact source of a directive, when the file's text is there and really is
 * the text the tree was parsed from (it starts with the marker and the name).
 * Catches `:name[]` and `:name{}`, whose empty label or attributes leave no
 * trace in the tree.
 */
function sourceOf(node: TextDirective | LeafDirective, source: string | undefined, marker: string): string | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined) return undefined;
  const slice = source.slice(start, end);
  return slice.startsWith(marker + node.name) ? slice : undefined;
}

/** Join neighbouring text nodes, so `10` + `:30` becomes one `10:30`. */
function mergeTexts(children: Nodes[]): Nodes[] {
  const merged: Nodes[] = [];
  for (const child of children) {
    const previous = merged.at(-1);
    if (child.type === 'text' && previous?.type === 'text') {
      const joined: Text = { type: 'text', value: previous.value + child.value };
      if (previous.position && child.position) joined.position = { start: previous.position.start, end: child.position.end };
      merged[merged.length - 1] = joined;
    } else {
      merged.push(child);
    }
  }
  return merged;
}
