import remarkDirective from 'remark-directive';
import type { Processor } from 'unified';

/** The parts of `processor.data()` that remark-parse and remark-stringify read. */
interface SyntaxData {
  micromarkExtensions?: unknown[];
  fromMarkdownExtensions?: unknown[];
  toMarkdownExtensions?: unknown[];
}

/**
 * Register remark-directive's syntax (micromark, mdast-util-from-markdown and
 * mdast-util-to-markdown extensions) unless a plugin that ran before us did.
 *
 * Starlight, and many sites, add remark-directive themselves. Registering it a
 * second time would make micromark try every directive construct twice, so we
 * skip when directive parsing is already set up: recognised by a from-markdown
 * extension that handles the directive tokens, which every registration of
 * the directive syntax (remark-directive or its parts) adds. When remark-directive comes
 * *after* us it registers its copy anyway; that is harmless (the duplicate
 * constructs only run when the first copy did not match, and then fail too),
 * and the tests check the output is the same in both orders.
 */
export function registerDirectiveSyntax(processor: Processor): void {
  const data = processor.data() as SyntaxData;
  if (!hasDirectiveSupport(data.fromMarkdownExtensions)) remarkDirective.call(processor);
  (data.toMarkdownExtensions ??= []).push(pageMarkerToMarkdown);
}

/**
 * remark-stringify must not choke on the page marker. It serializes to
 * nothing: it is derived from the frontmatter, which is where it comes from
 * the next time the file is parsed.
 */
const pageMarkerToMarkdown = { handlers: { segmentsPage: () => '' } };

/** Tokens mdast-util-directive's from-markdown extension handles. */
const directiveTokens = ['directiveContainer', 'directiveLeaf', 'directiveText'];

function hasDirectiveSupport(extensions: readonly unknown[] | undefined): boolean {
  if (!extensions) return false;
  return extensions.some((extension) => {
    if (Array.isArray(extension)) return hasDirectiveSupport(extension);
    if (typeof extension !== 'object' || extension === null) return false;
    const enter = (extension as { enter?: unknown }).enter;
    return typeof enter === 'object' && enter !== null && directiveTokens.every((token) => token in enter);
  });
}
