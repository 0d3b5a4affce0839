/**
 * The condition language shared by `:::segment{…}` blocks, the `<Segment>`
 * component and frontmatter overrides.
 *
 * Author form (attribute values):   audience="customer"          one value
 *                                   audience="customer, partner" one of
 *                                   audience="!customer"         none of
 * Several attributes mean AND:      audience="customer" region="eu"
 *
 * Serialized form (in HTML markers): `audience=customer,partner;region!=eu`.
 * It only ever contains [a-z0-9_=!,;], so it needs no escaping anywhere.
 */

/** What a dimension must (or must not) be for a block to show. */
export interface Clause {
  readonly values: readonly string[];
  readonly negate: boolean;
}

/** Dimension name → clause. All clauses must hold. */
export type Condition = Readonly<Record<string, Clause>>;

/** A choice of one value per dimension. */
export type Assignment = Readonly<Record<string, string>>;

/** Names of dimensions and values: short lowercase identifiers. */
export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Names that match NAME_PATTERN but would shadow `Object.prototype` members or
 * the router's own query-parameter words. Refused everywhere.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  'hasownproperty',
  'isprototypeof',
  'propertyisenumerable',
  'tolocalestring',
  'tostring',
  'valueof',
  'reset',
  'otherwise',
  'default',
]);

/** Why a name is not allowed, or undefined when it is fine. */
export function checkName(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) {
    return `"${name}" is not a simple lowercase identifier (a letter, then up to 31 of a-z, 0-9 and _)`;
  }
  if (RESERVED_NAMES.has(name)) return `"${name}" is a reserved word`;
  return undefined;
}

export class ConditionError extends Error {
  override name = 'ConditionError';
}

/**
 * Parse one attribute value: `customer`, `customer, partner`, `!customer`.
 * Arrays (from a component prop) are one-of lists; a leading `!` on the first
 * item negates the whole list.
 */
export function parseClause(dimension: string, input: string | readonly string[]): Clause {
  const raw = typeof input === 'string' ? input.split(',') : [...input];
  let negate = false;
  const values: string[] = [];
  raw.forEach((item, index) => {
    let value = String(item).trim();
    if (index === 0 && value.startsWith('!')) {
      negate = true;
      value = value.slice(1).trim();
    }
    if (value === '') return;
    const problem = checkName(value);
    if (problem) {
      throw new ConditionError(`${dimension}: value ${problem}`);
    }
    if (!values.includes(value)) values.push(value);
  });
  if (values.length === 0) {
    throw new ConditionError(`${dimension}: no value given. Write ${dimension}="one_value", ${dimension}="a, b" or ${dimension}="!a"`);
  }
  return { values, negate };
}

/** Build a condition from attributes or props (already stripped of non-dimension keys). */
export function parseCondition(attributes: Readonly<Record<string, string | readonly string[]>>): Condition {
  const condition: Record<string, Clause> = Object.create(null);
  for (const [dimension, value] of Object.entries(attributes)) {
    const problem = checkName(dimension);
    if (problem) throw new ConditionError(`dimension ${problem}`);
    condition[dimension] = parseClause(dimension, value);
  }
  if (Object.keys(condition).length === 0) {
    throw new ConditionError('a segment needs at least one condition, for example audience="customer"');
  }
  return condition;
}

export function serializeCondition(condition: Condition): string {
  return Object.entries(condition)
    .map(([dimension, clause]) => `${dimension}${clause.negate ? '!=' : '='}${clause.values.join(',')}`)
    .join(';');
}

export function deserializeCondition(text: string): Condition {
  const condition: Record<string, Clause> = Object.create(null);
  for (const part of text.split(';')) {
    const match = /^([a-z][a-z0-9_]*)(!?=)([a-z0-9_,]+)$/.exec(part);
    if (!match) throw new ConditionError(`malformed segment condition "${text}"`);
    const [, dimension, operator, list] = match as unknown as [string, string, string, string];
    condition[dimension] = parseClause(dimension, list.split(','));
    if (operator === '!=') condition[dimension] = { ...condition[dimension]!, negate: true };
  }
  return condition;
}

/** Does the assignment satisfy every clause? */
export function matches(condition: Condition, assignment: Assignment): boolean {
  for (const [dimension, clause] of Object.entries(condition)) {
    const value = assignment[dimension];
    const listed = value !== undefined && clause.values.includes(value);
    if (listed === clause.negate) return false;
  }
  return true;
}

/** Dimensions a condition refers to. */
export function dimensionsOf(condition: Condition): string[] {
  return Object.keys(condition);
}
