/** Provided by the integration's Vite plugin (see `../virtual-config.ts`). */
declare module 'virtual:astro-segments/config' {
  const config: import('../virtual-config.ts').SegmentsConfig;
  export default config;
}
