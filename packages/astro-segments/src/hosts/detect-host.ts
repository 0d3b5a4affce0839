/** The hosts the integration writes a router for, in the order options and messages list them. */
export const HOST_NAMES = ['netlify', 'vercel', 'cloudflare'] as const;
export type HostName = (typeof HOST_NAMES)[number];

const ADAPTERS: readonly (readonly [string, HostName])[] = [
  ['@astrojs/netlify', 'netlify'],
  ['@astrojs/vercel', 'vercel'],
  ['@astrojs/cloudflare', 'cloudflare'],
];

/**
 * The host an Astro adapter deploys to, from the adapter's `name`
 * (`config.adapter?.name`). Also matches the older entry names such as
 * `@astrojs/vercel/serverless`. Undefined for no adapter or another one.
 */
export function detectHost(adapterName: string | undefined): HostName | undefined {
  if (!adapterName) return undefined;
  for (const [name, host] of ADAPTERS) if (adapterName === name || adapterName.startsWith(`${name}/`)) return host;
  return undefined;
}
