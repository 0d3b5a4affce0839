/**
 * Host outputs: the router bundled for each host plus the host's own
 * configuration, written from `astro:build:done` after the manifest.
 */
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { HostContext } from './context.ts';
import type { HostName } from './detect-host.ts';
import { missingVariants } from './variant-files.ts';
import { writeCacheHeaders } from './cache-headers.ts';
import { writeCloudflare } from './write-cloudflare.ts';
import { writeNetlify } from './write-netlify.ts';
import { writeVercel } from './write-vercel.ts';

export type { HostContext } from './context.ts';
export { detectHost, type HostName } from './detect-host.ts';
export { refuseVercelIsr, type OnDemandRoute } from './url-caches.ts';

const WRITERS: Readonly<Record<HostName, (context: HostContext) => Promise<URL | undefined>>> = {
  netlify: writeNetlify,
  vercel: writeVercel,
  cloudflare: writeCloudflare,
};

const WHAT: Readonly<Record<HostName, string>> = {
  netlify: 'Netlify edge function',
  vercel: 'Vercel routing middleware',
  cloudflare: 'Cloudflare Worker',
};

const HOW: Readonly<Record<HostName, (where: string) => string>> = {
  netlify: () => '',
  vercel: () => '',
  cloudflare: (where) =>
    where.endsWith('.json')
      ? ` (the router runs inside @astrojs/cloudflare's Worker: deploy both with \`wrangler deploy\`)`
      : ` (deploy with \`wrangler deploy --config ${where}/wrangler.json\`)`,
};

export async function writeHostOutputs(hosts: readonly HostName[], context: HostContext): Promise<void> {
  const { logger, outDir, manifest, root } = context;
  for (const missing of missingVariants(outDir, manifest)) {
    logger.warn(
      `${missing.route}: the variant "${missing.key}" names ${fileURLToPath(missing.file)}, which is not in the build output, so that combination gets the default page. ` +
        'Rebuild the site; if it persists, report it as an astro-segments bug.',
    );
  }
  if (hosts.includes('netlify') || hosts.includes('cloudflare')) await writeCacheHeaders(context, hosts);
  for (const host of new Set(hosts)) {
    const written = await WRITERS[host](context);
    const where = written && (relative(fileURLToPath(root), fileURLToPath(written)) || '.');
    logger.info(where ? `${WHAT[host]}: ${where}${HOW[host](where)}` : `${WHAT[host]}: not needed, no personalized pages.`);
  }
}
