/** Modules the host bundler provides at build time (see `bundle-entry.ts`). */
declare module 'astro-segments:manifest' {
  const manifest: import('@astro-segments/edge').Manifest;
  export default manifest;
}

declare module 'astro-segments:netlify-config' {
  const config: {
    readonly path: readonly `/${string}`[];
    readonly method: readonly ('GET' | 'HEAD')[];
    readonly onError: 'bypass';
  };
  export default config;
}
