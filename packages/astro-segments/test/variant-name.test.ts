import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { variantName } from '../src/compile-site.ts';

const none = new Map<string, string>();

describe('variant file names', () => {
  it('are twelve base-36 characters of the content SHA-256, the same for the same content on every build', () => {
    const digest = createHash('sha256').update('<p>For customers</p>').digest();
    const expected = (digest.readBigUInt64BE(0) % 36n ** 12n).toString(36).padStart(12, '0');
    expect(variantName('<p>For customers</p>', none)).toBe(expected);
    // Pinned: a name must stay its content's from one release to the next (immutable caches).
    expect(expected).toBe('bq6tp59lr1tx');
    expect(variantName('<p>For customers</p>', none)).toMatch(/^[0-9a-z]{12}$/);
    expect(variantName('<p>For partners</p>', none)).not.toBe(expected);
  });

  it('are shared by equal files', () => {
    const name = variantName('<p>Same</p>', none);
    expect(variantName('<p>Same</p>', new Map([[name, '<p>Same</p>']]))).toBe(name);
  });

  it('never name two different files alike: the later of two that collide gets 32 hex characters', () => {
    const name = variantName('<p>Later</p>', none);
    const renamed = variantName('<p>Later</p>', new Map([[name, '<p>An earlier, different file</p>']]));
    expect(renamed).toBe(createHash('sha256').update('<p>Later</p>').digest('hex').slice(0, 32));
    // Still a name the router, the hosts' cache rules and the Node server accept.
    expect(renamed).toMatch(/^[a-z0-9]{6,64}$/);
  });
});
