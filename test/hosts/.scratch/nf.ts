import { EdgeFunctionsHandler } from '@netlify/edge-functions-dev';
import { createSegmentsServer } from '../../../packages/astro-segments/src/server/index.ts';
const origin = createSegmentsServer({ dir: '/tmp/segw-bh1Fdh/dist', manifest: { version: 1, prefix: '/_segments/', param: 's', previewParam: 'p', cookie: { name: 'x', maxAge: 1 }, debug: false, dimensions: [], routes: {} } });
await new Promise<void>((r) => origin.listen(0, '127.0.0.1', () => r()));
const originUrl = 'http://127.0.0.1:' + (origin.address() as any).port;
const t0 = Date.now();
const logger = { log: (...a: any[]) => console.log('LOG', ...a), warn: (...a: any[]) => console.log('WARN', ...a), error: (...a: any[]) => console.log('ERR', ...a) };
const handler = new EdgeFunctionsHandler({ configDeclarations: [], directories: ['/tmp/segw-bh1Fdh/.netlify/v1/edge-functions'], env: {}, geolocation: { city: 'X', country: { code: 'DE', name: 'Germany' }, subdivision: { code: 'BE', name: 'Berlin' }, longitude: 0, latitude: 0, timezone: 'UTC' } as any, logger: logger as any });
const show = async (path: string, init: RequestInit = {}) => {
  const req = new Request('http://localhost:8888' + path, init);
  req.headers.set('x-nf-request-id', 'req-' + Math.random());
  const m = await handler.match(req);
  if (!m) { console.log(path, 'no match'); return; }
  const r = await m.handle(req, originUrl);
  const b = await r.text();
  console.log(init.method ?? 'GET', path, Date.now() - t0, r.status, JSON.stringify(Object.fromEntries(r.headers)), (b.match(/marker:[\w-]+/) ?? [b.slice(0, 200)])[0]);
};
await show('/pricing/');
await show('/pricing/?segment=customer');
await show('/pricing', { headers: { cookie: 'session=1' } });
await show('/offers/');
await show('/docs/');
await show('/pricing/', { method: 'POST', body: 'x' });
await show('/pricing/', { method: 'HEAD', headers: { cookie: 'session=1' } });
await show('/pricing/', { headers: { referer: 'https://news.example/' } });
await handler.stop(); origin.close();
