/** Provided by the integration's Vite plugin (see `data.ts`). */
declare module 'virtual:astro-segments/ssr' {
  const data: import('./data.ts').SsrData;
  export default data;
}
