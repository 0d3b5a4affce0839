import type { Root } from 'mdast';
import type { Processor, Transformer } from 'unified';
import type { VFile } from 'vfile';
import { compileSegments } from './compile-segments.ts';
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
    compileSegments(tree, { file, source, dimensions, requireDeclaration, page });
    if (frontmatter && page.kind === 'declared') tree.children.unshift(createPageMarker(file, frontmatter, page.config));
    return undefined;
  };
}
