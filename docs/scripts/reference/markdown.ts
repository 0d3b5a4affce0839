/** Shared bits of the generated reference pages. */
import { fileURLToPath } from 'node:url';

/** The repository root, where the schema and the snapshots live. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** The one command that rewrites every generated page. */
export const REGENERATE = 'npx -y pnpm@12.21.0 --filter astro-segments-docs generate';

/** The comment at the top of a generated page, for whoever opens the file to edit it. */
export function generatedNotice(from: string): string {
  return `<!-- Generated from ${from} by docs/scripts/generate-reference.ts. Do not edit: change the source, then run ${REGENERATE} -->`;
}

/** Inline code that survives backticks in its text. */
export function inlineCode(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

/** Text for Markdown prose: punctuation Markdown would read as markup is escaped, code spans are kept. */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/[\\*_<>[\]#|]/g, '\\$&')))
    .join('');
}
