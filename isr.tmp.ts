import { buildCase } from '/work/wt/hosts/test/utils/case-site.ts';
const CONFIG = (isr: string) => `import { defineConfig } from 'astro/config';
import vercel from '@astrojs/vercel';
import segments from 'astro-segments';
export default defineConfig({
  adapter: vercel({ isr: ${isr} }),
  integrations: [segments({ dimensions: { audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } } } })],
});
`;
const files = (isr: string) => ({
  'astro.config.mjs': CONFIG(isr),
  'src/pages/index.md': '# Home\n',
  'src/pages/account.astro': `---\nexport const prerender = false;\n---\n<p>{Astro.locals.segments?.audience}</p>\n`,
  'src/pages/blog/[slug].astro': `---\nexport const prerender = false;\n---\n<p>{Astro.params.slug}</p>\n`,
});
const r = await buildCase('coexist-vercel', 'isr', files(process.argv[2] ?? 'true'), { configFile: 'astro.config.mjs' });
console.log(r.error?.message, r.error?.hint);
