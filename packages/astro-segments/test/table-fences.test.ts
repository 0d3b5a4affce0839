import { describe, expect, it } from 'vitest';
import { separateTableFences } from '../src/content/table-fences.ts';

describe('separateTableFences (Sätteri reads a fence right after a table row as a row)', () => {
  it('moves the fence after the blank line that follows it, keeping every line number', () => {
    const input = ':::segment{region="uk"}\n| a | b |\n| - | - |\n| 1 | 2 |\n:::\n\nAfter.\n';
    const output = separateTableFences(input);
    expect(output).toBe(':::segment{region="uk"}\n| a | b |\n| - | - |\n| 1 | 2 |\n\n:::\nAfter.\n');
    expect(output.split('\n')).toHaveLength(input.split('\n').length);
  });

  it('leaves a fence with no blank line after it, and fences inside code blocks, alone', () => {
    const noBlank = '| a |\n| - |\n| 1 |\n:::\n:::segment{otherwise}\n';
    expect(separateTableFences(noBlank)).toBe(noBlank);
    const code = '```md\n| a |\n:::\n\n```\n';
    expect(separateTableFences(code)).toBe(code);
  });

  it('returns text without pipes as it is', () => {
    const text = ':::segment{audience="customer"}\nHi.\n:::\n\nAfter.\n';
    expect(separateTableFences(text)).toBe(text);
  });
});
