import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import segments from 'astro-segments';

export default defineConfig({
  site: 'https://ledgerly.example',
  integrations: [
    mdx(),
    segments({
      dimensions: {
        // Who the visitor is to us. Customers are recognized only by the login
        // cookie this site already sets; its value is never read.
        audience: {
          default: 'prospect',
          values: {
            customer: { when: { cookie: 'ledgerly_session' }, label: 'Ledgerly customers', relationship: true },
            accountant: { when: { utm_source: 'accountant-network' }, label: 'Accountants and advisors' },
            prospect: { label: 'Founders looking around' },
          },
        },
        // Where the visit came from, for this response only.
        campaign: {
          default: 'none',
          values: {
            yearend: { when: { utm_campaign: 'year-end-close' }, label: 'the year-end close campaign' },
            // `domain`: producthunt.com and its subdomains, never evilproducthunt.com.
            producthunt: { when: { referrer: { domain: 'producthunt.com' } }, label: 'visitors from Product Hunt' },
            none: { label: 'no campaign' },
          },
        },
        // Where the company files: country from the host platform, never finer.
        region: {
          default: 'intl',
          values: {
            uk: { when: { country: 'GB' }, label: 'companies in the United Kingdom' },
            // The European Union's 27 members: continent 'EU' would be all of Europe.
            eu: { when: { countrySet: 'eu' }, label: 'companies in the European Union' },
            us: { when: { country: 'US' }, label: 'companies in the United States' },
            intl: { label: 'companies everywhere else' },
          },
        },
      },
      debug: true,
      // No adapter here: write the Cloudflare Worker so `pnpm demo --workerd`
      // can serve the site in workerd (the Node server needs no host output).
      hosts: ['cloudflare'],
    }),
  ],
});
