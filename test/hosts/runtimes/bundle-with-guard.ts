/**
 * Wrap a generated host file (unchanged) with the privacy guard: the guard is
 * evaluated first, the generated module's export is called as the host would
 * call it, and its response passes through `guard`.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const GUARD = fileURLToPath(new URL('./privacy-guard.ts', import.meta.url));

const WRAPPERS = {
  cloudflare: (file: string) => `import { guard } from ${JSON.stringify(GUARD)};
import worker from ${JSON.stringify(file)};
export default { fetch: async (request, env, ctx) => guard(await worker.fetch(request, env, ctx)) };`,
  netlify: (file: string) => `import { guard } from ${JSON.stringify(GUARD)};
import handler from ${JSON.stringify(file)};
export { config } from ${JSON.stringify(file)};
export default async (request, context) => guard(await handler(request, context));`,
  // Vercel's edge runtime evaluates a script and dispatches fetch events to it.
  vercel: (file: string) => `import { guard } from ${JSON.stringify(GUARD)};
import middleware from ${JSON.stringify(file)};
addEventListener('fetch', (event) => event.respondWith(Promise.resolve().then(() => middleware(event.request)).then(guard)));`,
} as const;

export async function bundleWithGuard(kind: keyof typeof WRAPPERS, generated: string, outfile: string): Promise<void> {
  await build({
    stdin: { contents: WRAPPERS[kind](generated), resolveDir: process.cwd(), loader: 'js', sourcefile: `guarded-${kind}.js` },
    bundle: true,
    format: kind === 'vercel' ? 'iife' : 'esm',
    platform: 'neutral',
    target: 'es2022',
    outfile,
    logLevel: 'silent',
  });
}
