/**
 * The hostile table can fail: the same checks, run against the raw core with
 * one promise deliberately broken around it, must reject the cases that guard
 * that promise (and the unbroken runtime must pass them). Each broken runtime
 * is what a plausible regression would look like.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Answer, PlantedRequest, Runtime } from '../hosts/cases.ts';
import { startRaw } from '../hosts/runtimes/raw.ts';
import { checkCase, TABLE } from './run-table.ts';

vi.mock('../hosts/cases.ts', async (importOriginal) => (await import('./sites.ts')).withExtraSites(await importOriginal<typeof import('../hosts/cases.ts')>()));

type Break = (fetch: (p: PlantedRequest) => Promise<Answer>) => (p: PlantedRequest) => Promise<Answer>;

const withHeaders = (answer: Answer, change: (headers: Headers) => void): Answer => {
  const headers = new Headers(answer.headers);
  change(headers);
  return { ...answer, headers };
};

/** Each regression, and a case of the table that must catch it. */
const BROKEN: Record<string, { breaks: Break; caughtBy: string }> = {
  'a router that folds Unicode before checking for ASCII (NFKC, then lower case)': {
    breaks: (fetch) => (p) => {
      const url = new URL(p.url);
      const choices = url.searchParams.getAll('segment').map((value) => value.normalize('NFKC').toLowerCase());
      url.searchParams.delete('segment');
      for (const choice of choices) url.searchParams.append('segment', choice);
      return fetch({ ...p, url: url.href });
    },
    caughtBy: 'hostile › choice: the Kelvin sign K (lower-cases to "k") never reaches "kiosk"',
  },
  'a host that trusts a client-sent country header': {
    breaks: (fetch) => (p) => fetch({ ...p, country: p.headers.get('cf-ipcountry') ?? p.country }),
    caughtBy: 'hostile › forged geo: Cloudflare headers from a client are not geo',
  },
  'a router that drops Cache-Control: private': {
    breaks: (fetch) => async (p) => withHeaders(await fetch(p), (headers) => headers.set('cache-control', 'public, max-age=600')),
    caughtBy: 'hostile › choice: Cyrillic с (U+0441) in "customer" is ignored',
  },
  'a router that echoes the choice in a header': {
    breaks: (fetch) => async (p) => withHeaders(await fetch(p), (headers) => headers.set('x-choice', new URL(p.url).searchParams.get('segment') ?? '')),
    caughtBy: 'hostile › crlf: in a choice, never a header',
  },
  'a router that renews the cookie on every visit': {
    breaks: (fetch) => async (p) =>
      withHeaders(await fetch(p), (headers) => {
        const stored = /(?:^|;\s*)segment=([^;]*)/.exec(p.headers.get('cookie') ?? '')?.[1];
        if (stored) headers.append('set-cookie', `segment=${stored}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`);
      }),
    caughtBy: 'hostile › duplicates: the first of two segment cookies wins',
  },
  'a host that answers a refused path with a 500': {
    breaks: (fetch) => async (p) => {
      const answer = await fetch(p);
      return answer.status === 404 ? { ...answer, status: 500 } : answer;
    },
    caughtBy: 'hostile › path: an encoded dot-dot out of the site finds nothing',
  },
  'a variant lookup that follows a path in the manifest': {
    breaks: (fetch) => async (p) => {
      const answer = await fetch(p);
      return p.site === ('badhash' as never) && answer.body.includes('marker:pricing-default')
        ? { ...answer, body: 'root:x:0:0:root:/root:/bin/bash\n' }
        : answer;
    },
    caughtBy: 'faults › fault: a variant entry with path traversal serves the default (rule)',
  },
};

describe('the hostile table catches broken routers', () => {
  let raw: Runtime;
  beforeAll(async () => {
    raw = await startRaw();
  });
  afterAll(() => raw?.stop());
  const token = randomBytes(16).toString('hex');

  it.each(Object.entries(BROKEN))('%s', async (_, { breaks, caughtBy }) => {
    const c = TABLE.find(([label]) => label === caughtBy)?.[1];
    expect(c, caughtBy).toBeDefined();
    // The case passes on the real router...
    await checkCase('raw', raw, c!, token);
    // ...and fails once the promise it guards is broken.
    const broken: Runtime = { ...raw, fetch: breaks((p) => raw.fetch(p)) };
    await expect(checkCase('raw', broken, c!, token)).rejects.toThrow();
  });
});
