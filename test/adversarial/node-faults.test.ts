/**
 * Faults only the Node server can meet: it is the one host that reads
 * manifest.json from disk at run time (the edge hosts embed the manifest the
 * build checked), and it reads raw HTTP, where a client can send what a fetch
 * client cannot (two Cookie lines, unnormalized dot segments). Missing and
 * truncated manifests are covered in test/hosts; everything here is on top.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegmentsServer } from '../../packages/astro-segments/src/server/index.ts';
import { MANIFEST, SITE_DIR } from '../hosts/cases.ts';

let base: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP: the path exactly as written, and header lines exactly as listed (repeats kept). */
function send(origin: string, path: string, headerLines: [string, string][] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(origin, { path, headers: [['host', new URL(origin).host], ...headerLines].flat() }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const marker = (reply: Reply) => reply.body.match(/marker:([\w-]+)/)?.[1];

/** Serve a copy of the test site, changed by `prepare`, for the duration of `work`. */
async function withSite(name: string, prepare: (dist: string) => Promise<void>, work: (origin: string) => Promise<void>): Promise<void> {
  const dist = join(base, name);
  await cp(SITE_DIR, dist, { recursive: true });
  await prepare(dist);
  const server: Server = createSegmentsServer({ dir: dist });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await work(origin);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const writeManifest = (content: string) => (dist: string) => writeFile(join(dist, '_segments', 'manifest.json'), content);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'segments-node-faults-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('Node server: an unreadable or wrong manifest.json serves every page untouched', () => {
  const manifests: Record<string, string> = {
    'an empty file': '',
    'JSON null': 'null',
    'a JSON array': '[]',
    'a JSON string': '"/_segments/"',
    'an empty object': '{}',
    'only a version': '{"version":1}',
    // JSON.parse makes "__proto__" an own key: the routes below are not inherited.
    'routes only under a __proto__ key': JSON.stringify({ ...MANIFEST, routes: undefined }).replace(
      '{',
      `{"__proto__":{"routes":${JSON.stringify(MANIFEST.routes)}},`,
    ),
    'no cookie settings': JSON.stringify({ ...MANIFEST, cookie: {} }),
    'a cookie name carrying attributes': JSON.stringify({ ...MANIFEST, cookie: { name: 'segment; Domain=evil.test', maxAge: 2592000 } }),
    'a cookie lifetime that is not a number': JSON.stringify({ ...MANIFEST, cookie: { name: 'segment', maxAge: '1; Domain=evil.test' } }),
    'a cookie lifetime past 400 days': JSON.stringify({ ...MANIFEST, cookie: { name: 'segment', maxAge: 1e12 } }),
  };

  it.each(Object.entries(manifests))('%s: the public file, no cookie, not marked private', async (name, content) => {
    await withSite(`manifest-${name.replace(/\W+/g, '-')}`, writeManifest(content), async (origin) => {
      for (const path of ['/pricing/?segment=customer', '/pricing/?segment=reset', '/?segment=eu']) {
        const reply = await send(origin, path, [['cookie', 'session=abc']]);
        expect(reply.status).toBe(200);
        expect(marker(reply)).toBe(path.startsWith('/pricing') ? 'pricing-default' : 'home-default');
        expect(reply.headers['set-cookie']).toBeUndefined();
        expect(reply.headers['cache-control']).not.toMatch(/private/);
      }
    });
  });

  it('a manifest.json that is a directory: the public file', async () => {
    await withSite(
      'manifest-directory',
      async (dist) => {
        await rm(join(dist, '_segments', 'manifest.json'));
        await mkdir(join(dist, '_segments', 'manifest.json'));
      },
      async (origin) => {
        const reply = await send(origin, '/pricing/?segment=customer');
        expect([reply.status, marker(reply), reply.headers['set-cookie']]).toEqual([200, 'pricing-default', undefined]);
      },
    );
  });

  it('declared names that would carry cookie attributes: the manifest is refused, never written into Set-Cookie', async () => {
    const [audience, ...rest] = MANIFEST.dimensions;
    const evil = { ...MANIFEST, dimensions: [{ ...audience!, values: [...audience!.values, { name: 'x; domain=evil.test', rules: [] }] }, ...rest] };
    await withSite('manifest-evil-name', writeManifest(JSON.stringify(evil)), async (origin) => {
      const reply = await send(origin, '/pricing/?segment=audience:x;%20domain=evil.test');
      expect([reply.status, marker(reply), reply.headers['set-cookie']]).toEqual([200, 'pricing-default', undefined]);
    });
  });
});

describe('Node server: a broken variant file serves the default', () => {
  it('a variant path that is a directory: the default page, the choice not stored', async () => {
    await withSite(
      'variant-directory',
      async (dist) => {
        await rm(join(dist, '_segments', 'c0ffee01.html'));
        await mkdir(join(dist, '_segments', 'c0ffee01.html'));
      },
      async (origin) => {
        const reply = await send(origin, '/pricing/?segment=customer');
        expect([reply.status, marker(reply), reply.headers['set-cookie'], reply.headers['cache-control']]).toEqual([
          200,
          'pricing-default',
          undefined,
          'private, no-cache',
        ]);
      },
    );
  });

  it('a variant file that links outside the site: the default page, never the outside file', async () => {
    await withSite(
      'variant-symlink',
      async (dist) => {
        await writeFile(join(base, 'outside.html'), 'marker:outside');
        await rm(join(dist, '_segments', 'c0ffee01.html'));
        await symlink(join(base, 'outside.html'), join(dist, '_segments', 'c0ffee01.html'));
      },
      async (origin) => {
        const reply = await send(origin, '/pricing/', [['cookie', 'session=abc']]);
        expect([reply.status, marker(reply)]).toEqual([200, 'pricing-default']);
      },
    );
  });
});

describe('Node server: raw HTTP a fetch client cannot send', () => {
  it('reads two Cookie header lines as one cookie list (joined with "; ", as HTTP/2 cookie crumbs are)', async () => {
    await withSite(
      'two-cookie-lines',
      async () => {},
      async (origin) => {
        const reply = await send(origin, '/pricing/', [
          ['cookie', 'session=abc'],
          ['cookie', 'segment=audience:partner'],
        ]);
        // The stored choice (partner) outranks the session rule (customer): both cookies were read.
        expect([reply.status, marker(reply), reply.headers['set-cookie']]).toEqual([200, 'pricing-partner', undefined]);
      },
    );
  });

  it('resolves dot segments before routing: /_segments/../pricing/ is the page, personalized as usual', async () => {
    await withSite(
      'dot-segments',
      async () => {},
      async (origin) => {
        const page = await send(origin, '/_segments/../pricing/', [['cookie', 'session=abc']]);
        expect([page.status, marker(page), page.headers['cache-control']]).toEqual([200, 'pricing-customer', 'private, no-cache']);
        const file = await send(origin, '/pricing/../_segments/pa2tner01.html?segment=customer');
        expect([file.status, marker(file), file.headers['set-cookie']]).toEqual([200, 'pricing-partner', undefined]);
        const outside = await send(origin, '/pricing/../../../etc/passwd');
        expect([outside.status, marker(outside)]).toEqual([404, 'not-found']);
      },
    );
  });

  it('answers a request line with a bare CR or a NUL with a 400, never the router', async () => {
    await withSite(
      'bad-request-line',
      async () => {},
      async (origin) => {
        const { port } = new URL(origin);
        const { connect } = await import('node:net');
        const raw = (line: string) =>
          new Promise<string>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => socket.end(line));
            let data = '';
            socket.on('data', (chunk) => (data += chunk));
            socket.on('end', () => resolve(data));
            socket.on('error', reject);
          });
        for (const line of [
          'GET /pricing/\r?segment=customer HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET /pricing/\0 HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET /pricing/ HTTP/1.1\r\nHost: x\r\nCookie: a=1\rSet-Cookie: b=2\r\n\r\n',
        ]) {
          const answer = await raw(line);
          expect(answer).toMatch(/^HTTP\/1\.1 400 /);
          expect(answer).not.toMatch(/set-cookie/i);
        }
      },
    );
  });
});
