/**
 * On Sätteri every node read is one materialized for JavaScript, so the checks
 * read less of the tree where the source shows what they would find:
 * `isPlainBlock` skips a plain block's children, and `previousBlocks` finds the
 * block an otherwise completes without reading the parent. Neither may change an
 * outcome: every generated document renders to the same HTML, or fails with the
 * same message, as with the tree read in full.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import { isPlainBlock } from '../lib/plain-block.ts';
import { documents, outcomes } from './documents.ts';

type Block = ContainerDirective | LeafDirective;

describe('isPlainBlock', () => {
  it('changes no outcome: every document renders or fails the same with every block read in full', async () => {
    const samples = fc.sample(documents, { numRuns: 400, seed: 20261201 });
    const taken: boolean[] = [];
    vi.doMock('../lib/plain-block.ts', async (original) => {
      const real = await original<typeof import('../lib/plain-block.ts')>();
      return { isPlainBlock: (...args: Parameters<typeof isPlainBlock>) => taken[taken.push(real.isPlainBlock(...args)) - 1] };
    });
    const shortcut = await import('./process.ts');
    const withShortcut = await Promise.all(samples.map((markdown) => outcomes(shortcut, markdown)));
    vi.resetModules();
    vi.doMock('../lib/plain-block.ts', () => ({ isPlainBlock: () => false }));
    const full = await import('./process.ts');
    const withoutShortcut = await Promise.all(samples.map((markdown) => outcomes(full, markdown)));
    vi.doUnmock('../lib/plain-block.ts');
    vi.resetModules();
    for (const [index, markdown] of samples.entries())
      expect({ markdown, outcome: withShortcut[index] }).toEqual({ markdown, outcome: withoutShortcut[index] });
    // The shortcut was both taken and refused, and the documents both render and fail.
    expect(taken.filter(Boolean).length).toBeGreaterThan(50);
    expect(taken.filter((plain) => !plain).length).toBeGreaterThan(50);
    const failed = withShortcut.flat().filter((outcome) => /^\d+:\d+ [a-z-]+:/.test(outcome)).length;
    expect(failed).toBeGreaterThan(50);
    expect(withShortcut.flat().length - failed).toBeGreaterThan(50);
  });

  it('finds the block an otherwise completes as reading the parent would (Sätteri)', async () => {
    const samples = fc.sample(documents, { numRuns: 400, seed: 20261202 });
    const fast = await import('./process.ts');
    const found = await Promise.all(samples.map((markdown) => outcomes(fast, markdown)));
    // The reference: the last directive of the same parent, asked of Sätteri for every directive.
    vi.resetModules();
    vi.doMock('../lib/previous-block.ts', () => ({
      previousBlocks: (source: string) => {
        const last = new Map<unknown, Block>();
        return (node: Block, context: { parent(node: Block): unknown }) => {
          const parent = context.parent(node);
          const before = last.get(parent);
          last.set(parent, node);
          const between = before && source.slice(before.position?.end.offset ?? 0, node.position?.start.offset ?? 0);
          return between !== undefined && /^[\s>]*$/.test(between) ? before : undefined;
        };
      },
    }));
    const reference = await import('./process.ts');
    const expected = await Promise.all(samples.map((markdown) => outcomes(reference, markdown)));
    vi.doUnmock('../lib/previous-block.ts');
    vi.resetModules();
    for (const [index, markdown] of samples.entries()) expect(found[index]![1], JSON.stringify(markdown)).toBe(expected[index]![1]);
    expect(expected.filter(([, satteri]) => / misplaced-otherwise:/.test(satteri!)).length).toBeGreaterThan(10);
  });

  it('takes plain blocks and refuses anything else', () => {
    const block = (text: string): ContainerDirective => ({
      type: 'containerDirective',
      name: 'segment',
      children: [],
      position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: text.length } },
    });
    const plain = (text: string) => isPlainBlock(block(text), text);
    expect(plain(':::segment{a="b"}\nProse.\n\n# Heading\n:::')).toBe(true);
    expect(plain(':::segment{a="b"}\n:::')).toBe(true);
    expect(plain('::::segment{a="b"}\nProse.\n:::')).toBe(false);
    expect(plain(':::segment[x]{a="b"}\nProse.\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\n- item\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\n| a |\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\n    code\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\nProse ::: more\n:::')).toBe(true);
    expect(plain(':::segment{a="b"}\n:::note\nInner.\n:::\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\na | b\n- | -\n:::')).toBe(false);
    expect(plain(':::segment{a="b"}\nProse.')).toBe(false);
  });
});
