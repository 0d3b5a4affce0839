import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from './segments-error.ts';

const CONFIG_FILE = /^astro\.config\.[cm]?[jt]s$/;

/**
 * Where the site's `astro.config.*` calls `segments()`, read from the current
 * call stack (Astro loads the config as a module, so its frame is there, with
 * source-mapped lines for TypeScript configs). Frames inside `node_modules` are
 * skipped: a location there would point at library code, never at the mistake.
 * Undefined when `segments()` is not called from an Astro config (a test, a
 * script).
 */
export function findConfigCall(): SourceLocation | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!match) continue;
    const raw = match[1]!.replace(/\?.*$/, '');
    const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
    if (file.includes('/node_modules/') || !CONFIG_FILE.test(basename(file))) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/**
 * The line and column of an option's key (`dimensions.audience.values.eu.when[0].continent`)
 * in the config file: each key of the path is searched after the previous one,
 * starting at the `segments(` call. Where a key cannot be found (options built
 * in a variable elsewhere, a key that is missing), the last key found stands,
 * and at worst the call itself.
 */
export function locateOption(call: SourceLocation, path: string): SourceLocation {
  let lines: string[];
  try {
    lines = readFileSync(call.file, 'utf8').split('\n');
  } catch {
    return call;
  }
  const keys = path.split(/\.|\[\d+\]/).filter((key) => key !== '' && key !== '(options)');
  let found: SourceLocation = call;
  let from = (call.line ?? 1) - 1;
  for (const [index, key] of keys.entries()) {
    let at = findKey(lines, key, from);
    // The options object may be written above the call and passed in by name.
    if (at === undefined && index === 0) at = findKey(lines, key, 0);
    if (at === undefined) break;
    found = { file: call.file, line: at.line + 1, column: at.column + 1 };
    from = at.line;
  }
  return found;
}

function findKey(lines: readonly string[], key: string, from: number): { line: number; column: number } | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `key: …`, `'key': …`, or shorthand `key,` (a variable passed in by name).
  const pattern = new RegExp(`(^|[\\s{,])(['"\`]?)${escaped}\\2\\s*(:|,|}|$)`);
  for (let line = from; line < lines.length; line++) {
    const match = pattern.exec(lines[line]!);
    if (match) return { line, column: match.index + match[1]!.length };
  }
  return undefined;
}
