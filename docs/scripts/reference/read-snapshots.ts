/**
 * The error messages the tests pin down, read from where Vitest keeps them:
 * `.snap` files (`toMatchSnapshot`) and the inline snapshots of
 * remark-segments' error tests (`toMatchInlineSnapshot`, `toBe` in `it.each`).
 * The files are parsed, never run.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface PinnedMessage {
  /** The `describe` block the test sits in. */
  readonly group: string;
  /** The test's own name. */
  readonly test: string;
  /** The message exactly as the snapshot holds it. */
  readonly message: string;
}

/** Every string snapshot of a `.snap` file, in file order. */
export function readSnapFile(file: string): PinnedMessage[] {
  const text = readFileSync(file, 'utf8');
  const entries: PinnedMessage[] = [];
  const pattern = /^exports\[`((?:[^`\\]|\\.)*)`\] = `\n"((?:[^`\\]|\\.)*)"\n`;$/gm;
  for (const match of text.matchAll(pattern)) {
    const name = unescapeTemplate(match[1]!).replace(/ \d+$/, '');
    const [group = '', ...rest] = name.split(' > ');
    entries.push({ group, test: rest.join(' > '), message: unescapeTemplate(match[2]!) });
  }
  if (entries.length === 0) throw new Error(`${file}: no string snapshots found; has Vitest's snapshot format changed?`);
  return entries;
}

/** Vitest writes snapshots as template literals: undo `\\`, `` \` `` and `\${`. */
function unescapeTemplate(text: string): string {
  return text.replace(/\\([\\`$])/g, '$1');
}

/**
 * Inline snapshots of a test file: the string each `it` pins with
 * `toMatchInlineSnapshot`, and in `it.each` tests the `toBe` template, once
 * per listed case.
 */
export function readInlineSnapshots(file: string): PinnedMessage[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const entries: PinnedMessage[] = [];
  const visit = (node: ts.Node, group: string): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source);
      const name = node.arguments[0];
      if (callee === 'describe' && name && ts.isStringLiteral(name)) {
        for (const argument of node.arguments.slice(1)) visit(argument, name.text);
        return;
      }
      if (callee === 'it' && name && ts.isStringLiteral(name)) {
        for (const message of pinned(node.arguments[1], source, {})) entries.push({ group, test: name.text, message });
        return;
      }
      // it.each(['a', 'b'])('name %s', (value) => …)
      if (ts.isCallExpression(node.expression) && node.expression.expression.getText(source) === 'it.each' && name && ts.isStringLiteral(name)) {
        const cases = node.expression.arguments[0];
        const body = node.arguments[1];
        if (!cases || !ts.isArrayLiteralExpression(cases) || !body || !ts.isArrowFunction(body)) return;
        const parameter = body.parameters[0]?.name.getText(source) ?? '';
        for (const item of cases.elements) {
          if (!ts.isStringLiteral(item)) continue;
          for (const message of pinned(body, source, { [parameter]: item.text })) entries.push({ group, test: name.text.replace('%s', item.text), message });
        }
        return;
      }
    }
    node.forEachChild((child) => visit(child, group));
  };
  visit(source, '');
  if (entries.length === 0) throw new Error(`${file}: no inline snapshots found; has the test changed shape?`);
  return entries;
}

/** The strings a test body pins: inline snapshots (`"…"`), or `toBe` templates with the case's values filled in. */
function pinned(body: ts.Node | undefined, source: ts.SourceFile, values: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const argument = node.arguments[0];
      if (method === 'toMatchInlineSnapshot' && argument && ts.isNoSubstitutionTemplateLiteral(argument)) {
        found.push(argument.text.trim().replace(/^"|"$/g, ''));
      } else if (method === 'toBe' && argument && Object.keys(values).length > 0) {
        const text = templateText(argument, source, values);
        if (text !== undefined) found.push(text);
      }
    }
    node.forEachChild(visit);
  };
  if (body) visit(body);
  return found;
}

function templateText(node: ts.Expression, source: ts.SourceFile, values: Readonly<Record<string, string>>): string | undefined {
  if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) return node.text;
  if (!ts.isTemplateExpression(node)) return undefined;
  let text = node.head.text;
  for (const span of node.templateSpans) {
    const value = values[span.expression.getText(source)];
    if (value === undefined) return undefined;
    text += value + span.literal.text;
  }
  return text;
}
