/**
 * Read the options schema (`packages/astro-segments/src/schema.ts`) as its
 * author wrote it: every field with its type, its JSDoc and its path. The zod
 * calls are interpreted from the source, so named parts (`MatcherSchema`,
 * `RuleSchema`) keep their names and the JSDoc stays next to its field; a zod
 * method this reader does not know fails loudly instead of being skipped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** A field's type, as far as the reference needs it. */
export type SchemaType =
  | { readonly kind: 'string'; readonly nonEmpty: boolean; readonly format?: 'date' | 'datetime'; readonly pattern?: string; readonly patternName?: string }
  | { readonly kind: 'number'; readonly integer: boolean; readonly bounds: readonly Bound[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly fields: readonly SchemaField[] }
  | { readonly kind: 'record'; readonly value: SchemaType }
  | { readonly kind: 'array'; readonly element: SchemaType; readonly nonEmpty: boolean }
  | { readonly kind: 'union'; readonly options: readonly SchemaType[] }
  | { readonly kind: 'named'; readonly name: string; readonly type: SchemaType; readonly doc: Doc };

export interface Bound {
  readonly op: '>' | '>=' | '<' | '<=';
  readonly value: number;
}

export interface Doc {
  readonly text: string;
  readonly default?: string;
  readonly example?: string;
}

export interface SchemaField {
  readonly name: string;
  readonly optional: boolean;
  readonly type: SchemaType;
  readonly doc: Doc;
}

/** The options object of `segments()`: `OptionsSchema` in the source. */
export function readOptionsSchema(file: string): SchemaType {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.VariableDeclaration>();
  collectConsts(source, consts);
  // Constants the schema imports from the workspace's modules (HOST_NAMES, COOKIE_NAME) are read where they are declared.
  const require = createRequire(file);
  source.forEachChild((node) => {
    if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const specifier = node.moduleSpecifier.text;
    const imported = specifier.startsWith('.') ? resolve(dirname(file), specifier) : require.resolve(specifier);
    if (!imported.endsWith('.ts')) return;
    collectConsts(ts.createSourceFile(imported, readFileSync(imported, 'utf8'), ts.ScriptTarget.Latest, true), consts);
  });
  const reader = new SchemaReader(source, consts);
  return reader.named('OptionsSchema');
}

function collectConsts(source: ts.SourceFile, consts: Map<string, ts.VariableDeclaration>): void {
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    for (const declaration of node.declarationList.declarations) if (ts.isIdentifier(declaration.name)) consts.set(declaration.name.text, declaration);
  });
}

class SchemaReader {
  private readonly source: ts.SourceFile;
  private readonly consts: ReadonlyMap<string, ts.VariableDeclaration>;

  constructor(source: ts.SourceFile, consts: ReadonlyMap<string, ts.VariableDeclaration>) {
    this.source = source;
    this.consts = consts;
  }

  named(name: string): SchemaType {
    const declaration = this.consts.get(name);
    if (!declaration?.initializer) throw this.error(declaration ?? this.source, `no schema named ${name}`);
    return { kind: 'named', name, type: this.read(declaration.initializer).type, doc: docOf(declaration) };
  }

  /** One zod expression: its type, and whether `.optional()` was applied. */
  read(expression: ts.Expression): { type: SchemaType; optional: boolean } {
    if (ts.isIdentifier(expression)) return { type: this.named(expression.text), optional: false };
    if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) {
      throw this.error(expression, 'is not a zod call');
    }
    const method = expression.expression.name.text;
    const receiver = expression.expression.expression;
    const args = expression.arguments;
    const receiverText = receiver.getText(this.source);
    if (receiverText === 'z' || receiverText === 'z.iso') return { type: this.construct(`${receiverText}.${method}`, args, expression), optional: false };

    const inner = this.read(receiver);
    const type = inner.type;
    switch (method) {
      case 'optional':
        return { type, optional: true };
      case 'strict':
        return inner;
      case 'or':
        return { type: { kind: 'union', options: [type, this.read(args[0]!).type] }, optional: inner.optional };
      case 'int':
        return { type: { ...this.expect(type, 'number', expression), integer: true }, optional: inner.optional };
      case 'positive':
        return this.bound(inner, expression, '>', 0);
      case 'gt':
        return this.bound(inner, expression, '>', this.number(args[0]!));
      case 'lt':
        return this.bound(inner, expression, '<', this.number(args[0]!));
      case 'max':
        return this.bound(inner, expression, '<=', this.number(args[0]!));
      case 'min': {
        if (type.kind === 'number') return this.bound(inner, expression, '>=', this.number(args[0]!));
        const nonEmpty = this.number(args[0]!) >= 1;
        if (type.kind === 'string' || type.kind === 'array') return { type: { ...type, nonEmpty }, optional: inner.optional };
        throw this.error(expression, `.min() on a ${type.kind}`);
      }
      case 'regex': {
        const string = this.expect(type, 'string', expression);
        const pattern = this.regex(args[0]!);
        const name = args[1] && ts.isStringLiteral(args[1]) ? /^must be an? (.+)$/.exec(args[1].text)?.[1] : undefined;
        return { type: { ...string, pattern, ...(name && { patternName: name }) }, optional: inner.optional };
      }
      default:
        throw this.error(expression, `uses .${method}(), which docs/scripts/reference/read-schema.ts does not know yet: teach it how to show it`);
    }
  }

  private construct(call: string, args: ts.NodeArray<ts.Expression>, at: ts.Node): SchemaType {
    switch (call) {
      case 'z.string':
        return { kind: 'string', nonEmpty: false };
      case 'z.iso.date':
        return { kind: 'string', nonEmpty: true, format: 'date' };
      case 'z.iso.datetime':
        return { kind: 'string', nonEmpty: true, format: 'datetime' };
      case 'z.number':
        return { kind: 'number', integer: false, bounds: [] };
      case 'z.boolean':
        return { kind: 'boolean' };
      case 'z.literal':
        return { kind: 'literal', value: this.string(args[0]!) };
      case 'z.enum':
        return { kind: 'enum', values: this.array(args[0]!).map((element) => this.string(element)) };
      case 'z.array':
        return { kind: 'array', element: this.read(args[0]!).type, nonEmpty: false };
      case 'z.union':
        return { kind: 'union', options: this.array(args[0]!).map((option) => this.read(option).type) };
      case 'z.record':
        return { kind: 'record', value: this.read(args[1]!).type };
      case 'z.object': {
        const shape = args[0];
        if (!shape || !ts.isObjectLiteralExpression(shape)) throw this.error(at, 'z.object() without an object literal');
        return {
          kind: 'object',
          fields: shape.properties.map((property) => {
            if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) throw this.error(property, 'is not a plain field');
            const { type, optional } = this.read(property.initializer);
            return { name: property.name.text, optional, type, doc: docOf(property) };
          }),
        };
      }
      default:
        throw this.error(at, `uses ${call}(), which docs/scripts/reference/read-schema.ts does not know yet: teach it how to show it`);
    }
  }

  private bound(inner: { type: SchemaType; optional: boolean }, at: ts.Node, op: Bound['op'], value: number) {
    const number = this.expect(inner.type, 'number', at);
    return { type: { ...number, bounds: [...number.bounds, { op, value }] }, optional: inner.optional };
  }

  private expect<K extends SchemaType['kind']>(type: SchemaType, kind: K, at: ts.Node): Extract<SchemaType, { kind: K }> {
    if (type.kind !== kind) throw this.error(at, `expected a ${kind}, found a ${type.kind}`);
    return type as Extract<SchemaType, { kind: K }>;
  }

  private number(node: ts.Expression): number {
    if (ts.isNumericLiteral(node)) return Number(node.text);
    throw this.error(node, 'is not a number literal');
  }

  private string(node: ts.Expression): string {
    if (ts.isStringLiteral(node)) return node.text;
    throw this.error(node, 'is not a string literal');
  }

  private array(node: ts.Expression): readonly ts.Expression[] {
    if (ts.isArrayLiteralExpression(node)) return node.elements;
    if (ts.isAsExpression(node)) return this.array(node.expression);
    if (ts.isIdentifier(node)) {
      const initializer = this.consts.get(node.text)?.initializer;
      if (initializer) return this.array(initializer);
    }
    throw this.error(node, 'is not an array literal');
  }

  private regex(node: ts.Expression): string {
    if (ts.isRegularExpressionLiteral(node)) return node.text;
    if (ts.isIdentifier(node)) {
      const initializer = this.consts.get(node.text)?.initializer;
      if (initializer) return this.regex(initializer);
    }
    throw this.error(node, 'is not a regular expression');
  }

  private error(node: ts.Node, message: string): Error {
    const { line } = this.source.getLineAndCharacterOfPosition(node.getStart(this.source));
    return new Error(`${this.source.fileName}:${line + 1}: ${node.getText(this.source).slice(0, 60)} ${message}.`);
  }
}

/** The JSDoc right above a node: its text and its @default and @example tags. */
function docOf(node: ts.Node): Doc {
  const text: string[] = [];
  const tags: Record<string, string> = {};
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue;
    const comment = ts.getTextOfJSDocComment(doc.comment);
    if (comment) text.push(comment.trim());
    for (const tag of doc.tags ?? []) tags[tag.tagName.text] = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
  }
  return {
    text: text.join('\n\n'),
    ...(tags.default !== undefined && { default: tags.default }),
    ...(tags.example !== undefined && { example: tags.example }),
  };
}

/** Every field path of a type (`cookie.maxAgeDays`, `dimensions.*.values.*.when.utm_source`), for comparing with the runtime schema. */
export function fieldPaths(type: SchemaType, at = ''): string[] {
  switch (type.kind) {
    case 'named':
      return fieldPaths(type.type, at);
    case 'object':
      return type.fields.flatMap((field) => {
        const path = at ? `${at}.${field.name}` : field.name;
        return [path, ...fieldPaths(field.type, path)];
      });
    case 'record':
      return fieldPaths(type.value, `${at}.*`);
    case 'array':
      return fieldPaths(type.element, at);
    case 'union':
      return [...new Set(type.options.flatMap((option) => fieldPaths(option, at)))];
    default:
      return [];
  }
}

/** The same paths, from the zod schema the integration really validates with. */
export function runtimePaths(schema: unknown, at = ''): string[] {
  const def = (schema as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
      return runtimePaths(def.innerType, at);
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([name, field]) => {
        const path = at ? `${at}.${name}` : name;
        return [path, ...runtimePaths(field, path)];
      });
    case 'record':
      return runtimePaths(def.valueType, `${at}.*`);
    case 'array':
      return runtimePaths(def.element, at);
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((option) => runtimePaths(option, at)))];
    default:
      return [];
  }
}
