/**
 * Cloudflare: a Worker with static assets that runs first only on the
 * personalized routes (`assets.run_worker_first` as a list of patterns); every
 * other request is served from the assets without invoking it.
 * https://developers.cloudflare.com/workers/static-assets/binding/#run_worker_first
 *
 * Written into the site folder (`dist/`, or `dist/client/` under
 * @astrojs/cloudflare) as `_astro-segments/worker.js` + `wrangler.json`, and
 * kept out of the uploaded assets by `.assetsignore`. Deploy with
 * `wrangler deploy --config dist/_astro-segments/wrangler.json`.
 *
 * When @astrojs/cloudflare built a server Worker of its own (on-demand pages),
 * the router runs inside that Worker instead: amend-cloudflare-worker.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { adapterWorkerConfig, amendCloudflareWorker } from './amend-cloudflare-worker.ts';
import { bundleEntry } from './bundle-entry.ts';
import type { HostContext } from './context.ts';
import { cloudflarePatterns, servedForms } from './route-patterns.ts';

export const CLOUDFLARE_FOLDER = '_astro-segments';
/** Used when no workerd is installed: a date the conformance suite ran against. */
export const FALLBACK_COMPATIBILITY_DATE = '2026-07-30';

export async function writeCloudflare(context: HostContext): Promise<URL | undefined> {
  const { root, outDir, manifest } = context;
  const folder = new URL(`./${CLOUDFLARE_FOLDER}/`, outDir);
  await rm(folder, { recursive: true, force: true });
  const patterns = cloudflarePatterns(manifest, servedForms(outDir, manifest));
  if (patterns.length === 0) return undefined;
  const adapterWorker = adapterWorkerConfig(root);
  if (adapterWorker) return amendCloudflareWorker(context, adapterWorker);

  await mkdir(folder, { recursive: true });
  await writeFile(new URL('./worker.js', folder), await bundleEntry('cloudflare', manifest));
  const wrangler = {
    name: workerName(root),
    main: './worker.js',
    compatibility_date: compatibilityDate(root),
    assets: {
      directory: '..',
      binding: 'ASSETS',
      run_worker_first: patterns,
      ...(existsSync(new URL('./404.html', outDir)) && { not_found_handling: '404-page' }),
    },
  };
  await writeFile(new URL('./wrangler.json', folder), `${JSON.stringify(wrangler, null, 2)}\n`);
  await ignoreInAssets(outDir, `/${CLOUDFLARE_FOLDER}/`);
  return folder;
}

/** `.assetsignore` uses .gitignore syntax; add our folder once, keep the site's own lines. */
async function ignoreInAssets(outDir: URL, line: string): Promise<void> {
  const file = new URL('./.assetsignore', outDir);
  const existing = existsSync(file) ? await readFile(file, 'utf8') : '';
  if (existing.split(/\r?\n/).includes(line)) return;
  await appendFile(file, `${existing === '' || existing.endsWith('\n') ? '' : '\n'}${line}\n`);
}

/**
 * Not newer than the workerd that will run it locally (wrangler refuses a
 * later date), nor than today.
 */
export function compatibilityDate(root: URL, today = new Date()): string {
  const installed = workerdDate(root);
  const now = today.toISOString().slice(0, 10);
  const date = installed ?? FALLBACK_COMPATIBILITY_DATE;
  // biome-ignore lint/complexity/useMathMinMax: ISO dates, compared as strings.
  return date < now ? date : now;
}

/** workerd's version is `1.YYYYMMDD.patch`; look for it from the project, then through wrangler or miniflare. */
function workerdDate(root: URL): string | undefined {
  const project = createRequire(new URL('./package.json', root));
  const lookups = [
    () => project.resolve('workerd/package.json'),
    ...['wrangler', 'miniflare'].map((name) => () => createRequire(project.resolve(`${name}/package.json`)).resolve('workerd/package.json')),
  ];
  for (const lookup of lookups) {
    try {
      const version = JSON.parse(readFileSync(lookup(), 'utf8')).version as string;
      const match = /^\d+\.(\d{4})(\d{2})(\d{2})\./.exec(version);
      if (match) return `${match[1]}-${match[2]}-${match[3]}`;
    } catch {
      // Not installed that way.
    }
  }
  return undefined;
}

/** Workers names: lowercase letters, digits and dashes, from the project's package name. */
function workerName(root: URL): string {
  try {
    const name = String(JSON.parse(readFileSync(new URL('./package.json', root), 'utf8')).name ?? '');
    const clean = name
      .replace(/^@[^/]*\//, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
    if (clean) return clean;
  } catch {
    // No package.json: use the default.
  }
  return 'astro-site';
}
