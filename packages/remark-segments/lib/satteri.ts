/**
 * The same `:::segment{…}` blocks for Sätteri, Astro 7's default Markdown
 * processor (`@astrojs/markdown-satteri`), with the same checks, rule ids,
 * lines and columns as the remark plugin: both run `compileNode` on each
 * directive. Sätteri's nodes are read-only: markers are set through the visitor
 * context, and only the directives Sätteri dispatches are ever read.
 *
 * Sätteri parses directives only with `features: { directive: true }`; whoever
 * turns that on for documents that did not have it should also add
 * `satteriRestoreDirectives()` last, so `10:30` and other people's directives
 * render as they would have.
 *
 * The types below describe the part of Sätteri's plugin API these plugins use
 * (satteri ≥ 0.10, `@astrojs/markdown-satteri` ≥ 0.4, Astro ≥ 7.2.10), so this
 * package needs no dependency on Sätteri itself.
 */
import type { Nodes, Root } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { VFile } from 'vfile';
import { checkTextDirective, compileNode } from './compile-segments.ts';
import type { CompileContext } from './context.ts';
import type { Options } from './index.ts';
import { markerProperties } from './marker-properties.ts';
import { createPageMarker, readFrontmatter, readPageSegments } from './page-marker.ts';
import { previousBlocks, type PreviousBlock } from './previous-block.ts';

/** What a plugin factory is told about the document (Sätteri's `PluginFactoryContext`). */
export interface SatteriDocument {
  readonly fileURL: URL | undefined;
  readonly source: string;
  readonly data: Record<string, unknown>;
}

/** The part of Sätteri's `MdastVisitorContext` these plugins call. */
export interface SatteriContext {
  readonly source: string;
  readonly data: Record<string, unknown>;
  setProperty(node: Nodes, key: 'data', value: Record<string, unknown> | null): void;
  prependChild(node: Root, child: unknown): void;
  parent(node: Nodes): Nodes | undefined;
  indexOf(node: Nodes): number | undefined;
  removeChildAt(parent: Nodes, index: number): void;
  insertChildAt(parent: Nodes, index: number, children: readonly unknown[]): void;
}

type Visitor<N> = (node: N, context: SatteriContext) => unknown;

/** A Sätteri mdast plugin definition. */
export interface SatteriPlugin {
  readonly name: string;
  readonly options?: { readonly position?: boolean };
  readonly before?: (root: Root, context: SatteriContext) => void;
  readonly containerDirective?: Visitor<ContainerDirective>;
  readonly leafDirective?: Visitor<LeafDirective>;
  readonly textDirective?: Visitor<TextDirective>;
}

/**
 * The Sätteri plugin entry (a factory: Sätteri calls it once per document, so
 * each document gets its own state). Options as for the remark plugin.
 */
export function satteriSegments(options?: Readonly<Options> | null | undefined): (document: SatteriDocument) => SatteriPlugin {
  const dimensions = options?.dimensions ?? undefined;
  const requireDeclaration = options?.requireDeclaration ?? true;
  const root = options?.root ?? undefined;
  return (document) => {
    let compile: CompileContext | undefined;
    let previous: PreviousBlock = () => undefined;
    /** The checks of one directive, which marks it (if it is a segment block) through Sätteri's context. */
    const check = (node: ContainerDirective | LeafDirective, context: SatteriContext) => {
      if (!compile) return;
      compileNode(node, previous(node, context), {
        ...compile,
        mark: (marked, marker) => context.setProperty(marked, 'data', { hName: 'astro-segment', hProperties: markerProperties(marker) }),
      });
    };
    return {
      name: 'remark-segments',
      options: { position: true },
      // The page's declaration and the page marker; the blocks are checked by the directive
      // visitors below, so Sätteri hands over only the directives, never the whole tree.
      before(tree, context) {
        const path = document.fileURL ? pathOf(document.fileURL) : undefined;
        // Sätteri decodes `context.source` once per context, and the directive visitors get
        // another one than `before`: the document's source is read once, here.
        const source = context.source;
        previous = previousBlocks(source);
        const file = new VFile({ path, value: source, data: context.data });
        const frontmatter = readFrontmatter(file);
        const page = readPageSegments(frontmatter);
        compile = { file, source, dimensions, requireDeclaration, page, mark: () => {} };
        if (frontmatter && page.kind === 'declared') context.prependChild(tree, createPageMarker(file, frontmatter, page.config, root));
      },
      containerDirective: check,
      leafDirective: check,
      textDirective(node) {
        if (compile) checkTextDirective(node, compile);
      },
    };
  };
}

/**
 * Directives nobody claimed, back as the author wrote them: a text directive
 * becomes its source text around its label, whose Markdown stays rendered
 * (`:abbr[**HTML**]`); a leaf directive becomes its source text; a container
 * becomes a `<div>` with its content (what remark-rehype renders for a container
 * nobody handles). Add it after every other plugin, and only where you turned
 * directives on.
 */
export function satteriRestoreDirectives(): SatteriPlugin {
  const sourceOf = (node: TextDirective | LeafDirective, context: SatteriContext, marker: string) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    const slice = start === undefined || end === undefined ? '' : context.source.slice(start, end);
    return slice.startsWith(marker + node.name) ? slice : marker + node.name;
  };
  return {
    name: 'remark-segments-restore-directives',
    options: { position: true },
    textDirective(node, context) {
      if (node.data !== undefined) return undefined;
      const source = sourceOf(node, context, ':');
      const start = node.position?.start.offset;
      // A directive without a label has no children (Sätteri 0.9 leaves the field out): its source text.
      const label = (node.children as TextDirective['children'] | undefined) ?? [];
      const [first, last] = [label[0]?.position?.start.offset, label.at(-1)?.position?.end.offset];
      const parent = context.parent(node);
      const index = context.indexOf(node);
      if (start === undefined || first === undefined || last === undefined || !source.startsWith(':') || !parent || index === undefined) {
        return { type: 'text', value: source };
      }
      // `:name[` before the label, `]{…}` after it, the label's own nodes between. (Sätteri
      // before 0.10 replaces a node with one node only: the children are swapped in place.)
      const after = context.source.slice(last, start + source.length);
      context.removeChildAt(parent, index);
      context.insertChildAt(parent, index, [{ type: 'text', value: source.slice(0, first - start) }, ...label, { type: 'text', value: after }]);
      return undefined;
    },
    leafDirective: (node, context) =>
      node.data === undefined ? { type: 'paragraph', children: [{ type: 'text', value: sourceOf(node, context, '::') }] } : undefined,
    containerDirective: (node) => (node.data === undefined ? { type: 'paragraph', data: { hName: 'div' }, children: [...node.children] } : undefined),
  };
}

/** A `file:` URL as a path (`/a/b.md`, `C:/a/b.md`), without Node's `url` module. */
function pathOf(url: URL): string | undefined {
  return url.protocol === 'file:' ? decodeURIComponent(url.pathname).replace(/^\/([A-Za-z]:)/, '$1') : undefined;
}
