/**
 * The options reference (`reference/options.md`), generated from the schema
 * `segments()` validates with: every field, its type, its default, its JSDoc,
 * plus the notes in `option-notes.ts`.
 */
import { NAME_PATTERN, RESERVED_NAMES } from 'remark-segments/condition';
import { OPTION_DEFAULTS, OptionsSchema } from '../../../packages/astro-segments/src/schema.ts';
import { OPTION_NOTES } from './option-notes.ts';
import { fieldPaths, readOptionsSchema, runtimePaths, type Doc, type SchemaField, type SchemaType } from './read-schema.ts';
import { generatedNotice, inlineCode, REPO } from './markdown.ts';

export const SCHEMA_FILE = 'packages/astro-segments/src/schema.ts';

/** Named parts of the schema, each a section of the page. */
const SECTIONS: Readonly<Record<string, { readonly title: string; readonly intro: string }>> = {
  OptionsSchema: { title: 'Options', intro: 'The fields of the object passed to `segments()`.' },
  DimensionSchema: { title: 'Dimension', intro: "Each entry of `dimensions`, keyed by the dimension's name." },
  ValueSchema: { title: 'Value', intro: "Each entry of a dimension's `values`, keyed by the value's name." },
  RuleSchema: { title: 'Rule', intro: "A value's `when`: one rule, or a list of rules. Each field is a signal of the request." },
  MatcherSchema: {
    title: 'Matcher',
    intro:
      'How a rule compares a signal: without regard to case (the build lowercases what you write, the router what a request sends), never with a regular expression, and never matching a signal the request does not have.',
  },
};

export function renderOptionsPage(repo: string = REPO): string {
  const schema = readOptionsSchema(`${repo}/${SCHEMA_FILE}`);
  const paths = fieldPaths(schema);
  const real = runtimePaths(OptionsSchema);
  if (paths.join('\n') !== real.join('\n')) {
    throw new Error(
      `${SCHEMA_FILE}: the fields read from the source differ from the runtime schema's:\n  source:  ${paths.join(', ')}\n  runtime: ${real.join(', ')}`,
    );
  }
  const stale = Object.keys(OPTION_NOTES).filter((key) => !paths.includes(key));
  if (stale.length > 0) {
    throw new Error(`docs/scripts/reference/option-notes.ts has notes for ${stale.join(', ')}, which the options schema no longer has: move or remove them.`);
  }

  const sections = namedTypes(schema).map((named) => section(named));
  return [
    '---',
    'title: Options',
    'description: Every option of segments(), generated from the schema the integration validates with.',
    'sidebar:',
    '  order: 1',
    '---',
    '',
    generatedNotice(SCHEMA_FILE),
    '',
    "`segments()` takes one object. Only `dimensions` is required; every other option has a default. The integration validates the object before Astro starts any work, and a mistake fails with the key's path and the fix ([error messages](/reference/errors/#options)).",
    '',
    '```js',
    '// astro.config.mjs: every option with its default',
    "import segments from 'astro-segments';",
    '',
    overview(schema),
    '```',
    '',
    '## Names',
    '',
    `Dimension and value names are short lowercase identifiers (${inlineCode(NAME_PATTERN.source)}: a letter, then up to 31 letters, digits or \`_\`), because they travel in URLs, cookies and headers as they are. These words are refused as names: ${[...RESERVED_NAMES].map(inlineCode).join(', ')}.`,
    '',
    ...sections,
  ].join('\n');
}

/** `segments({ … })` with every option: defaults where there is one, the example otherwise. */
function overview(schema: SchemaType): string {
  const fields = objectOf(schema).fields;
  const lines = fields.map((field) => {
    const value = (OPTION_DEFAULTS as Record<string, unknown>)[field.name];
    if (!field.optional) return `  ${field.name}: { /* required: see below */ },`;
    if (field.name === 'holdout' || value === undefined) return `  // ${field.name}: off by default${field.doc.example ? `; e.g. ${field.doc.example}` : ''}`;
    return `  ${field.name}: ${toJs(value)},`;
  });
  return ['segments({', ...lines, '})'].join('\n');
}

function section(named: Extract<SchemaType, { kind: 'named' }>): string {
  const meta = SECTIONS[named.name];
  if (!meta)
    throw new Error(
      `${SCHEMA_FILE}: ${named.name} is a named part of the schema the reference has no section for: add it to SECTIONS in docs/scripts/reference/options-page.ts.`,
    );
  const out = [`## ${meta.title}`, '', meta.intro, ''];
  if (named.type.kind === 'union') {
    // Its forms are the table below; the JSDoc lists the same forms.
    out.push('| form | matches |', '| --- | --- |');
    for (const option of named.type.options) out.push(`| ${inlineCode(formOf(option))} | ${describeForm(option)} |`);
    out.push('');
    return out.join('\n');
  }
  if (named.doc.text) out.push(named.doc.text, '');
  const prefix = pathOf(named.name);
  for (const { path, field } of flatten(objectOf(named))) out.push(...entry(path, prefix, field));
  return out.join('\n');
}

/** One field: heading, type, default or "required", JSDoc, example, notes. */
function entry(path: string, prefix: string, field: SchemaField): string[] {
  const full = prefix ? `${prefix}.${path}` : path;
  const facts = [`**Type:** ${typeText(field.type)}`];
  const fallback = defaultOf(full, field.doc);
  if (!field.optional) facts.push('**Required**');
  else if (fallback !== undefined) facts.push(`**Default:** ${inlineCode(fallback)}`);
  else facts.push('**Optional**');
  const out = [`### ${inlineCode(path)}`, '', facts.join(' · '), ''];
  if (field.doc.text) out.push(field.doc.text, '');
  if (field.doc.example) out.push(`Example: ${inlineCode(field.doc.example)}`, '');
  const note = OPTION_NOTES[full];
  if (note) out.push(note, '');
  return out;
}

/** The default from `OPTION_DEFAULTS`, checked against the JSDoc's `@default` when both say one. */
function defaultOf(path: string, doc: Doc): string | undefined {
  let value: unknown = OPTION_DEFAULTS;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  const fromCode = value === undefined || typeof value === 'object' ? undefined : toJs(value);
  if (fromCode !== undefined && doc.default !== undefined && doc.default.replace(/"/g, "'") !== fromCode) {
    throw new Error(`${SCHEMA_FILE}: ${path} says @default ${doc.default}, but OPTION_DEFAULTS has ${fromCode}. Make them agree.`);
  }
  return fromCode ?? doc.default;
}

/** Fields of an object type, with nested inline objects flattened: `budget`, `budget.perPage`. */
function flatten(type: Extract<SchemaType, { kind: 'object' }>, at = ''): { path: string; field: SchemaField }[] {
  return type.fields.flatMap((field) => {
    const path = at ? `${at}.${field.name}` : field.name;
    return [{ path, field }, ...(field.type.kind === 'object' ? flatten(field.type, path) : [])];
  });
}

/** Each named part once, in the order the schema reaches it. */
function namedTypes(type: SchemaType, seen = new Map<string, Extract<SchemaType, { kind: 'named' }>>()): Extract<SchemaType, { kind: 'named' }>[] {
  switch (type.kind) {
    case 'named':
      if (!seen.has(type.name)) {
        seen.set(type.name, type);
        namedTypes(type.type, seen);
      }
      break;
    case 'object':
      for (const field of type.fields) namedTypes(field.type, seen);
      break;
    case 'record':
      namedTypes(type.value, seen);
      break;
    case 'array':
      namedTypes(type.element, seen);
      break;
    case 'union':
      for (const option of type.options) namedTypes(option, seen);
      break;
  }
  return [...seen.values()];
}

/** Where a named part sits in the options, for looking up notes and defaults: `dimensions.*.values.*`. */
function pathOf(name: string): string {
  return { OptionsSchema: '', DimensionSchema: 'dimensions.*', ValueSchema: 'dimensions.*.values.*', RuleSchema: 'dimensions.*.values.*.when' }[name] ?? '';
}

function objectOf(type: SchemaType): Extract<SchemaType, { kind: 'object' }> {
  if (type.kind === 'named') return objectOf(type.type);
  if (type.kind !== 'object') throw new Error(`${SCHEMA_FILE}: expected an object schema, found a ${type.kind}.`);
  return type;
}

/** A field's type in words, linking named parts to their sections. */
export function typeText(type: SchemaType): string {
  switch (type.kind) {
    case 'named': {
      const title = SECTIONS[type.name]?.title ?? type.name;
      return `[${title.toLowerCase()}](#${title.toLowerCase()})`;
    }
    case 'string':
      if (type.format === 'date') return 'date, `YYYY-MM-DD`';
      if (type.format === 'datetime') return 'date-time with offset, `YYYY-MM-DDTHH:mm:ssZ`';
      if (type.patternName) return type.patternName.replace(/^valid /, '');
      if (type.pattern) return `string matching ${inlineCode(type.pattern.replace(/^\/|\/$/g, ''))}`;
      return type.nonEmpty ? 'non-empty string' : 'string';
    case 'number': {
      const words = type.bounds.map((bound) => `${{ '>': 'more than', '>=': 'at least', '<': 'less than', '<=': 'at most' }[bound.op]} ${bound.value}`);
      const kind = type.integer ? 'integer' : 'number';
      return words.length ? `${kind}, ${words.join(' and ')}` : kind;
    }
    case 'boolean':
      return '`boolean`';
    case 'literal':
      return inlineCode(`'${type.value}'`);
    case 'enum':
      return inlineCode(type.values.map((value) => `'${value}'`).join(' | '));
    case 'object':
      return 'object';
    case 'record':
      return `object: name → ${typeText(type.value)}`;
    case 'array':
      return `${type.nonEmpty ? 'non-empty ' : ''}list of ${typeText(type.element)}`;
    case 'union':
      return type.options.map(typeText).join(' or ');
  }
}

/** A matcher form as written in a config: `'x'`, `['x', 'y']`, `{ prefix: 'x' }`. */
function formOf(type: SchemaType): string {
  if (type.kind === 'string') return "'value'";
  if (type.kind === 'array') return "['one', 'two']";
  if (type.kind === 'object')
    return `{ ${type.fields.map((field) => `${field.name}: ${field.type.kind === 'array' ? "['one', 'two']" : "'value'"}`).join(', ')} }`;
  throw new Error(`${SCHEMA_FILE}: a matcher form of kind ${type.kind} needs words in docs/scripts/reference/options-page.ts.`);
}

function describeForm(type: SchemaType): string {
  if (type.kind === 'string') return 'exactly this value';
  if (type.kind === 'array') return 'any of these values';
  if (type.kind === 'object') {
    const name = type.fields[0]?.name;
    const words: Record<string, string> = {
      equals: 'exactly this value',
      oneOf: 'any of these values',
      prefix: 'a value that starts with this',
      suffix: 'a value that ends with this (a plain string suffix)',
      domain: 'this host name or any of its subdomains',
    };
    if (name && words[name]) return words[name];
    throw new Error(`${SCHEMA_FILE}: the matcher { ${name}: … } needs words in docs/scripts/reference/options-page.ts.`);
  }
  throw new Error(`${SCHEMA_FILE}: a matcher form of kind ${type.kind} needs words in docs/scripts/reference/options-page.ts.`);
}

/** A default as JavaScript source: `'segment'`, `16`, `{ perPage: 16, perSite: 400 }`. */
function toJs(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(toJs).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${toJs(item)}`)
      .join(', ')} }`;
  return String(value);
}
