import type { Node } from 'mdast';
import type { VFile } from 'vfile';

/** Stable ids for every way a segment block can be wrong (`message.ruleId`). */
export type RuleId =
  | 'unknown-dimension'
  | 'unknown-value'
  | 'undeclared-dimension'
  | 'missing-page-segments'
  | 'invalid-page-segments'
  | 'nested-segment'
  | 'unclosed-segment'
  | 'shared-fence'
  | 'invalid-condition'
  | 'missing-condition'
  | 'misplaced-otherwise'
  | 'otherwise-with-condition'
  | 'segment-label'
  | 'segment-not-container'
  | 'misspelled-segment'
  | 'import-in-segment';

/**
 * Throw a fatal message at `node` (so it carries line and column), with
 * `source: 'remark-segments'` and a `ruleId`, in the style of Astro's errors:
 * what happened and why, then what to do.
 */
export function fail(file: VFile, node: Node, ruleId: RuleId, reason: string, cause?: Error): never {
  return file.fail(reason, { ancestors: [node], place: node.position, ruleId, source: 'remark-segments', cause });
}

/** `a, b and c` for messages. */
export function list(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length === 0) return 'none';
  if (quoted.length === 1) return quoted[0]!;
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
