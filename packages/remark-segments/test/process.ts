import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { markdownToHtml } from 'satteri';
import { pathToFileURL } from 'node:url';
import remarkSegments, { type Options } from '../index.ts';
import { satteriRestoreDirectives, satteriSegments } from '../lib/satteri.ts';

export interface Input {
  /** Passed as `file.data.astro.frontmatter`, like Astro's Markdown and MDX pipelines do. */
  readonly frontmatter?: Record<string, unknown> | undefined;
  readonly options?: Options | undefined;
  readonly path?: string | undefined;
  /** Sätteri only: GFM (tables), off by default to match plain remark-parse. */
  readonly gfm?: boolean | undefined;
}

/** remark-parse → remark-segments → remark-rehype → rehype-stringify. */
export async function toHtml(markdown: string, { frontmatter, options, path }: Input = {}): Promise<string> {
  const file = new VFile({ value: markdown, path, data: frontmatter ? { astro: { frontmatter } } : {} });
  const result = await unified().use(remarkParse).use(remarkSegments, options).use(remarkRehype).use(rehypeStringify).process(file);
  return String(result);
}

/** Sätteri (Astro 7's default processor) with directives on, the segments plugin first and the restoration last. */
export async function toHtmlSatteri(markdown: string, { frontmatter, options, path, gfm = false }: Input = {}): Promise<string> {
  const result = await markdownToHtml(markdown, {
    mdastPlugins: [satteriSegments(options) as never, satteriRestoreDirectives() as never],
    // Plain CommonMark, like remark-parse without plugins.
    features: { directive: true, gfm, smartPunctuation: false },
    fileURL: path ? pathToFileURL(path) : undefined,
    data: frontmatter ? { astro: { frontmatter } } : {},
  });
  return result.html;
}

/**
 * The fatal message as `line:column ruleId: reason`, or a thrown error when the input
 * compiles. Runs both processors and fails unless they report the very same message.
 */
export async function failure(markdown: string, input: Input = {}): Promise<string> {
  const unified = await failureWith(() => toHtml(markdown, input));
  const satteri = await failureWith(() => toHtmlSatteri(markdown, input));
  if (unified !== satteri) throw new Error(`unified and Sätteri disagree:\n  unified: ${unified}\n  Sätteri: ${satteri}`);
  return unified;
}

async function failureWith(render: () => Promise<string>): Promise<string> {
  try {
    await render();
  } catch (error) {
    const message = error as { fatal?: unknown; source?: unknown; ruleId?: unknown; line?: unknown; column?: unknown; reason?: unknown };
    if (message.fatal !== true || message.source !== 'remark-segments') throw error;
    return `${message.line}:${message.column} ${message.ruleId}: ${message.reason}`;
  }
  throw new Error('expected remark-segments to fail, but the input compiled');
}

export const site: Options = {
  dimensions: { audience: ['prospect', 'customer', 'partner'], region: ['eu', 'na', 'other'] },
};

export function page(dimensions: unknown = ['audience']): Record<string, unknown> {
  return { title: 'Pricing', segments: { dimensions, purpose: 'Show customers their upgrade path', kpi: 'Upgrade clicks' } };
}
