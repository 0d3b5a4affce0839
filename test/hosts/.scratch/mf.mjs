import { Miniflare } from 'miniflare';
const t0 = Date.now();
const mf = new Miniflare({
  modules: true, modulesRoot: '/tmp/segw-bh1Fdh/dist/_astro-segments', scriptPath: '/tmp/segw-bh1Fdh/dist/_astro-segments/worker.js', compatibilityDate: '2026-07-30',
  assets: { directory: '/tmp/segw-bh1Fdh/dist', binding: 'ASSETS',
    routerConfig: { has_user_worker: true, static_routing: { user_worker: ['/', '/offers', '/offers/', '/pricing', '/pricing/'] } },
    assetConfig: { not_found_handling: '404-page', has_static_routing: true } },
});
await mf.ready; console.log('ready', Date.now() - t0);
const show = async (u, init) => { const r = await mf.dispatchFetch(u, init); const b = await r.text(); console.log(init?.method ?? 'GET', u, r.status, JSON.stringify(Object.fromEntries(r.headers)), (b.match(/marker:[\w-]+/) ?? [b.slice(0, 60)])[0]); };
await show('https://example.com/pricing/');
await show('https://example.com/pricing');
await show('https://example.com/pricing/?segment=customer');
await show('https://example.com/pricing', { headers: { cookie: 'session=1' } });
await show('https://example.com/offers/', { cf: { country: 'DE' } });
await show('https://example.com/offers/', { headers: { 'cf-ipcountry': 'DE' } });
await show('https://example.com/pricing/', { headers: { referer: 'https://news.example/x' } });
await show('https://example.com/pricing/', { method: 'POST', body: 'x' });
await show('https://example.com/pricing/', { method: 'HEAD', headers: { cookie: 'session=1' } });
await show('https://example.com/docs/');
await show('https://example.com/docs');
await show('https://example.com/nope');
await show('https://example.com/_astro-segments/worker.js');
await show('https://example.com/_segments/c0ffee01.html');
await show('https://example.com/_segments/c0ffee01');
await show('https://example.com/.assetsignore');
await mf.dispose();
