/** Modules the host bundler provides at build time (see `bundle-entry.ts`). */
declare module 'astro-segments:manifest' {
  const manifest: import('@astro-segments/edge').CompiledManifest;
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

/** The paths `assets.run_worker_first` lists: the personalized pages. */
declare module 'astro-segments:worker-first' {
  const paths: readonly string[];
  export default paths;
}

/** The adapter's own Worker module (@astrojs/cloudflare's `main`), left as an import. */
declare module 'astro-segments:server' {
  const worker: import('@astro-segments/edge/cloudflare').WorkerModule<import('@astro-segments/edge/cloudflare').CloudflareEnv>;
  export default worker;
}
