import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import segments from 'astro-segments';
import { dimensions } from './src/setup.ts';

export default defineConfig({
  site: 'https://astro-segments.example',
  // Starlight turns on prefetching of every link. A prefetch is a real GET: hovering a
  // chooser link (?segment=host:vercel) or "See the standard version" (?segment=reset)
  // would make that choice for the reader without a click. Choices happen on click only.
  prefetch: false,
  // Starlight as its docs say, on Astro's default Markdown processor, search on, and
  // segments() after it: the integration slices pages before Pagefind indexes them.
  integrations: [
    starlight({
      title: 'Astro Segments',
      description: 'Privacy-first personalization for static Astro sites.',
      customCss: ['./src/styles/docs.css'],
      components: {
        // The notice ("You are seeing the version of this page for …") sits above the
        // two columns, outside <main>: an <aside> landmark of its own.
        PageFrame: './src/components/PageFrame.astro',
      },
      sidebar: [
        { label: 'Start here', items: [{ autogenerate: { directory: 'start' } }] },
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        { label: 'Reference', items: [{ autogenerate: { directory: 'reference' } }] },
        { label: 'Concepts', items: [{ autogenerate: { directory: 'concepts' } }] },
      ],
    }),
    segments({
      dimensions,
      // One page, /start/setup/, shows both choices: 5 hosts × 5 package managers.
      budget: { perPage: 24 },
      // Command pages hold one block per package manager or host, each one line long.
      lints: { maxBlocksPerPage: 12 },
    }),
  ],
});
