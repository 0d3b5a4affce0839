// The comparison point for the serving benchmark: Astro's own on-demand
// rendering, with the Node adapter's standalone server.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  site: 'https://ledgerly.example',
  output: 'server',
  adapter: node({ mode: 'standalone' }),
});
