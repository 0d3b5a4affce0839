// For this repo's `tsc` only: Astro's language tools type .astro imports in real
// projects; plain tsc needs a shim to see them as components.
declare module '*.astro' {
  const Component: (props: Record<string, unknown>) => unknown;
  export default Component;
}
