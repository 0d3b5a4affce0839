/** Provided by the integration's Vite plugin in `astro dev` (see `./setup-data.ts`). */
declare module 'virtual:astro-segments/toolbar-setup' {
  const hint: import('../first-dimension.ts').FirstDimensionHint | null;
  export default hint;
}
