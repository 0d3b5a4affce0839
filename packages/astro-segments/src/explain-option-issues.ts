import type { z } from 'astro/zod';
import { choices, closest, notOneOf, unknownKey } from './suggest.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** The parts of a zod schema's definition this file reads. */
interface Definition {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly valueType?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
}
interface Schema {
  readonly _zod: { readonly def: Definition };
}

/** One mistake in the options: the key path as a user writes it, and what to do. */
export interface OptionProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Turn zod's issues into lines a user can act on: an unknown key names the
 * allowed keys at that place and the one probably meant, a value outside an
 * enum names the allowed values and the likely one, and a union (a matcher,
 * `hosts`) is explained through the branch that fits what was written instead
 * of zod's bare "Invalid input". Allowed keys and values are read from the
 * schema itself, so a field added to it is suggested without a change here.
 */
export function explainIssues(
  schema: z.ZodType,
  input: unknown,
  issues: readonly Issue[],
  /** Keys the schema accepts but authors never write (filled in by the build): not suggested. */
  internal: readonly string[] = [],
): OptionProblem[] {
  const context: Context = { schema: schema as unknown as Schema, input, internal };
  return issues.flatMap((issue) => explain(context, [], issue));
}

interface Context {
  readonly schema: Schema;
  readonly input: unknown;
  readonly internal: readonly string[];
}

/** zod's own wording; any other message was written in the schema for that field, and wins. */
const ZOD_MESSAGE = /^(Invalid (input|option|string|key|element)|Too (small|big)|Unrecognized key)/;

function explain(context: Context, base: Path, issue: Issue): OptionProblem[] {
  const path = [...base, ...issue.path];
  const value = valueAt(context.input, path);
  if (!ZOD_MESSAGE.test(issue.message) && issue.code !== 'invalid_union') return [{ path: formatPath(path), message: issue.message }];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(context, path);
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: unknownKey(key, allowed) }));
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return [{ path: formatPath(path), message: typeof value === 'string' ? notOneOf(value, allowed) : `use ${choices(allowed)}` }];
    }
    case 'invalid_union':
      return explainUnion(context, path, issue.errors);
    case 'invalid_type':
      return [
        {
          path: formatPath(path),
          message: value === undefined ? `is missing: expected ${noun(issue.expected)}` : `expected ${noun(issue.expected)}, not ${kindOf(value)}`,
        },
      ];
    case 'too_small':
    case 'too_big':
      return [{ path: formatPath(path), message: bound(issue) }];
    default:
      return [{ path: formatPath(path), message: issue.message.replace(/^Invalid (input|string): /, '') }];
  }
}

/** The branch of a union that fits what was written explains it; otherwise name the accepted forms. */
function explainUnion(context: Context, path: Path, branches: readonly (readonly Issue[])[]): OptionProblem[] {
  const { schema } = context;
  // A branch fits when it accepted the value's shape and failed only inside it.
  const fitting = branches.filter(
    (branch) => !branch.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value')),
  );
  const value = valueAt(context.input, path);
  if (fitting.length > 1 && isObject(value)) {
    // Object branches of one union (a matcher's { equals } | { prefix } | …): a key none of them knows is the mistake.
    const allowed = keysAt(context, path);
    const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) return unknown.map((key) => ({ path: formatPath([...path, key]), message: unknownKey(key, allowed) }));
  }
  const exact = fitting.filter((branch) => !branch.some((issue) => issue.path.length === 0 && issue.code === 'unrecognized_keys'));
  const best = fitting.length === 1 ? fitting : exact;
  if (best.length === 1) return best[0]!.flatMap((issue) => explain(context, path, issue));
  const forms = schemasAt(schema, path).map(describe);
  return [
    {
      path: formatPath(path),
      message: `expected ${forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}` : forms[0]}.${listSuggestion(schema, path, value)}`,
    },
  ];
}

/** `hosts: 'cloudflare'` where a list is expected: suggest the list. */
function listSuggestion(schema: Schema, path: Path, value: unknown): string {
  if (typeof value !== 'string') return '';
  const listed = schemasAt(schema, [...path, 0]).flatMap(allowedValues);
  const guess = closest(value, listed);
  return guess === undefined ? '' : ` Did you mean ["${guess}"]?`;
}

function describe(schema: Schema): string {
  const { def } = schema._zod;
  if (def.type === 'literal' || def.type === 'enum') return choices(allowedValues(schema));
  if (def.type === 'array' && def.element) {
    const element = unwrap(def.element);
    const values = allowedValues(element);
    return values.length > 0 ? `a list drawn from ${values.map((item) => `"${item}"`).join(', ')}` : `a list of ${element._zod.def.type}s`;
  }
  if (def.type === 'object' && def.shape)
    return `{ ${Object.keys(def.shape)
      .map((key) => `${key}: …`)
      .join(', ')} }`;
  return noun(def.type);
}

/** `must not be empty`, `must be at most 400`, … for zod's size checks. */
function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.code === 'too_small' && limit === 1 && (issue.origin === 'string' || issue.origin === 'array')) return 'must not be empty';
  const side = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
  return `must be ${side} ${limit}${unit}`;
}

function allowedValues(schema: Schema): string[] {
  const { def } = schema._zod;
  if (def.type === 'enum' && def.entries) return Object.values(def.entries).map(String);
  if (def.type === 'literal' && def.values) return def.values.map(String);
  return [];
}

/** Every key an author may write at `path` (across the branches of unions on the way). */
function keysAt({ schema, internal }: Context, path: Path): string[] {
  const keys = schemasAt(schema, path).flatMap((candidate) => Object.keys(candidate._zod.def.type === 'object' ? (candidate._zod.def.shape ?? {}) : {}));
  return [...new Set(keys)].filter((key) => !internal.includes(key));
}

/** The schemas that may describe the value at `path`: wrappers removed, unions spread out. */
function schemasAt(schema: Schema, path: Path): Schema[] {
  let current = expand(schema);
  for (const key of path) current = current.flatMap((candidate) => expand(child(candidate, key)));
  return current;
}

function child(schema: Schema, key: PropertyKey): Schema | undefined {
  const { def } = schema._zod;
  if (def.type === 'object' && typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key)) return def.shape[key];
  if (def.type === 'record' && typeof key === 'string') return def.valueType;
  if (def.type === 'array' && typeof key === 'number') return def.element;
  return undefined;
}

function expand(schema: Schema | undefined): Schema[] {
  if (schema === undefined) return [];
  const bare = unwrap(schema);
  return bare._zod.def.type === 'union' ? (bare._zod.def.options ?? []).flatMap(expand) : [bare];
}

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const { def } = current._zod;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `dimensions.audience.values.customer.when[0].country`, as the key appears in the config. */
export function formatPath(path: Path): string {
  const text = path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
  return text || '(options)';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function noun(type: string): string {
  const nouns: Record<string, string> = {
    record: 'an object',
    object: 'an object',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
  };
  return nouns[type] ?? type;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}
