export { default } from './lib/index.ts';
export type { Options } from './lib/index.ts';
export type { SegmentsPage, SegmentsPageData } from './lib/page-marker.ts';
export { sourcePath } from './lib/page-marker.ts';
export {
  ConditionError,
  NAME_PATTERN,
  RESERVED_NAMES,
  checkName,
  deserializeCondition,
  dimensionsOf,
  matches,
  parseClause,
  parseCondition,
  serializeCondition,
} from './lib/condition.ts';
export type { Assignment, Clause, Condition } from './lib/condition.ts';
