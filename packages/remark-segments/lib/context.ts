import type { ContainerDirective } from 'mdast-util-directive';
import type { VFile } from 'vfile';
import type { PageSegments } from './page-marker.ts';

/** What a checked block becomes: a block for some segments, or the otherwise of the run before it. */
export type BlockMarker = { readonly when: string } | { readonly otherwise: true };

/** Everything the checks of one document need, whichever Markdown processor parsed it. */
export interface CompileContext {
  readonly file: VFile;
  /** The text the tree was parsed from, when known (for positions of fences). */
  readonly source: string | undefined;
  readonly dimensions: Readonly<Record<string, readonly string[]>> | undefined;
  readonly requireDeclaration: boolean;
  readonly page: PageSegments;
  /**
   * Record what a checked block becomes. unified sets `node.data` (remark-rehype reads
   * `hName`/`hProperties`); Sätteri's nodes are read-only, so its plugin sets them later
   * through its visitor context.
   */
  readonly mark: (node: ContainerDirective, marker: BlockMarker) => void;
}
