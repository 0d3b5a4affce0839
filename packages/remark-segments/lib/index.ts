import type { Root } from 'mdast';
import type { Processor, Transformer } from 'unified';
import type { VFile } from 'vfile';
import type { ContainerDirective } from 'mdast-util-directive';
import { checkTextDirective, compileSegments } from './compile-segments.ts';
import { visit } from 'unist-util-visit';
import type { BlockMarker } from './context.ts';
import { markerProperties } from './marker-properties.ts';
import { createPageMarker, readFrontmatter, readPageSegments } from './page-marker.ts';
import { registerDirectiveSyntax } from './register-syntax.ts';
import { restoreDirectives } from './restore-directives.ts';

/** Configuration for `remark-segments`. */
export interface Options {
  /**
   * Site-declared dimensions → allowed values. When given, unknown dimension
   * or value names fail with a position.
   *
   * @example
   *   { audience: ['prospect', 'customer', 'partner'], region: ['eu', 'na', 'other'] }
   */
  dimensions?: Readonly<Record<string, readonly string[]>>;
  /**
   * When true (default), a block may only use dimensions the page lists in its
   * frontmatter `segments.dimensions`.
   *
   * @example
   *   false // standalone use, without frontmatter
   */
  requireDeclaration?: boolean;
  /**
   * Folder that the source paths in page markers are relative to (they end up in
   * rendered HTML, so they are never absolute).
   *
   * @default process.cwd()
   * @example
   *   fileURLToPath(config.root)
   */
  root?: string;
}

/**
 * Compile `:::segment{audience="customer"} … :::` blocks into
 * `<astro-segment data-when="audience=customer">` markers (and
 * `:::segment{otherwise}` into `<astro-segment data-otherwise="">`), and mark
 * pages whose frontmatter declares `segments` with an
 * `<astro-segments-page data-config="…">` element.
 *
 * Registers remark-directive's syntax unless it is already registered, and
 * turns directives nobody can own (`10:30`, `re:Invent`) back into prose.
 */
export default function remarkSegments(this: Processor, options?: Readonly<Options> | null | undefined): Transformer<Root, Root> {
  registerDirectiveSyntax(this);
  const dimensions = options?.dimensions ?? undefined;
  const requireDeclaration = options?.requireDeclaration ?? true;

  return function transform(tree: Root, file: VFile): undefined {
    const source = file.value === undefined ? undefined : String(file);
    const frontmatter = readFrontmatter(file);
    const page = readPageSegments(frontmatter);

    restoreDirectives(tree, source);
    const context = { file, source, dimensions, requireDeclaration, page, mark: markForRehype };
    compileSegments(tree, context);
    visit(tree, 'textDirective', (node) => checkTextDirective(node, context));
    if (frontmatter && page.kind === 'declared') tree.children.unshift(createPageMarker(file, frontmatter, page.config, options?.root ?? undefined));
    return undefined;
  };
}

/** remark-rehype turns `hName`/`hProperties` into the marker element. The node stays a directive, so remark-stringify writes it back unchanged. */
function markForRehype(node: ContainerDirective, marker: BlockMarker): void {
  Object.assign((node.data ??= {}), { hName: 'astro-segment', hProperties: markerProperties(marker) });
}
