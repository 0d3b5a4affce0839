import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AstroConfig, AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import remarkSegments from 'remark-segments';
import { BuildProblem, compileSite, manifestFor, type SiteSettings } from './compile-site.ts';
import { devMiddleware } from './dev/middleware.ts';
import { localsTypes, LOCALS_TYPES_FILE, onDemandMiddleware, ssrData } from './ssr/index.ts';
import { toolbarApp, toolbarSetup } from './toolbar/index.ts';
import { firstDimensionHint, hintLine } from './first-dimension.ts';
import { declareDimensions, dimensionTypes, DIMENSION_TYPES_FILE } from './site-dimensions.ts';
import { detectHost, writeHostOutputs, type HostName } from './hosts/index.ts';
import { useRemarkPlugin } from './markdown.ts';
import { scanContent } from './scan-content.ts';
import type { SegmentsOptions } from './schema.ts';
import { lintSite, type Lint } from './lints/index.ts';
import { writeGpc, writeReport } from './report/index.ts';
import { validateOptions } from './validate-options.ts';
import { virtualConfig } from './virtual-config.ts';
import { writeSite } from './write-site.ts';

export type { SegmentsOptions } from './schema.ts';
export type { Manifest } from '@astro-segments/edge';

/**
 * Personalize an Astro site by audience segment. Pages declare what they vary
 * on; the build renders each page once and slices it into static variant files
 * plus a manifest the edge router reads.
 *
 * Without options (as `astro add` writes it) the site builds as it is, and the
 * build log and the Dev Toolbar say how to declare the first dimension.
 *
 * @example
 * segments({
 *   dimensions: {
 *     audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } },
 *   },
 * })
 */
export default function segments(userOptions?: SegmentsOptions): AstroIntegration {
  // Validate eagerly, so a mistake fails before Astro starts any work.
  const options = validateOptions(userOptions);
  const hint = options.dimensions.length === 0 ? firstDimensionHint() : null;
  let config: AstroConfig;
  const entrypoints = new Map<string, string>();

  return {
    name: 'astro-segments',
    hooks: {
      'astro:config:setup': ({ config: initial, command, updateConfig, addDevToolbarApp, addMiddleware, logger }) => {
        // For segmentsSchema(), which content collections run in this process (astro sync, check, build, dev).
        declareDimensions(options.dimensions);
        const dimensions = Object.fromEntries(options.dimensions.map((d) => [d.name, d.values.map((v) => v.name)]));
        useRemarkPlugin(initial, [remarkSegments, { dimensions }], logger);
        // `virtual:astro-segments/config`: the declared segments, for <SegmentNotice> and layouts.
        updateConfig({ vite: { plugins: [virtualConfig(options)] } });
        if (command === 'dev') {
          addDevToolbarApp(toolbarApp);
          updateConfig({ vite: { plugins: [toolbarSetup(hint)] } });
        }
        // On-demand pages exist only with an adapter: personalize them in Astro middleware.
        if (initial.adapter) {
          const data = () => ({ options, manifest: manifestFor(options, config.base.replace(/\/+$/, ''), {}), host: detectHost(config.adapter?.name), dev: command === 'dev' });
          updateConfig({ vite: { plugins: [ssrData(data)] } });
          addMiddleware(onDemandMiddleware);
        }
      },
      'astro:config:done': ({ config: final, injectTypes }) => {
        config = final;
        // <Segment>, <SegmentPage> and segmentsSchema() typed with the site's own dimensions and values.
        injectTypes({ filename: DIMENSION_TYPES_FILE, content: dimensionTypes(options.dimensions) });
        // `Astro.locals.segments`, likewise.
        if (final.adapter) injectTypes({ filename: LOCALS_TYPES_FILE, content: localsTypes(options) });
      },
      'astro:server:setup': ({ server, logger }) => {
        if (hint) logger.info(hintLine(hint));
        const manifest = manifestFor(options, config.base.replace(/\/+$/, ''), {});
        server.middlewares.use(devMiddleware(options, manifest, logger, { root: fileURLToPath(config.root), base: config.base }));
      },
      'astro:routes:resolved': ({ routes }) => {
        for (const route of routes) entrypoints.set(route.pattern, route.entrypoint);
      },
      'astro:build:start': async () => {
        await guard(fileURLToPath(config.root), () => scanContent(fileURLToPath(config.root), fileURLToPath(config.srcDir), options));
      },
      'astro:build:done': async ({ dir, assets, logger }) => {
        const outDir = fileURLToPath(dir);
        const sources = new Map<string, string>();
        for (const [pattern, files] of assets) {
          const entrypoint = entrypoints.get(pattern);
          if (!entrypoint) continue;
          for (const file of files) sources.set(fileURLToPath(file).slice(outDir.length).replace(/^\/+/, ''), entrypoint);
        }
        const settings: SiteSettings = { base: config.base, site: config.site, trailingSlash: config.trailingSlash };
        const site = await guard(
          fileURLToPath(config.root),
          () => compileSite(outDir, options, settings, (file) => sources.get(file)),
          // Leave nothing half-done that could be deployed: markers in pages, partial variants.
          () => rm(outDir, { recursive: true, force: true }),
        );
        const root = fileURLToPath(config.root);
        const lints = lintSite(site, options);
        if (options.lints.strict && lints.length > 0) {
          await rm(outDir, { recursive: true, force: true });
          throw new AstroError(
            `astro-segments found ${lints.length} problem(s) with how the site personalizes (lints.strict is on):\n${lints.map((lint) => `- ${lintLine(lint, root)}`).join('\n')}`,
            'Fix each one as it says, or turn lints.strict off to see them as warnings.',
          );
        }
        for (const lint of lints) logger.warn(lintLine(lint, root));
        await guard(root, () => writeSite(outDir, options.prefix, site), () => rm(outDir, { recursive: true, force: true }));
        if (hint) {
          // Nothing can be personalized yet (a block or <Segment> would have failed the build): one line on what to do.
          logger.info(hintLine(hint));
        } else {
          // After writeSite: it clears the variant folder, where a published report goes.
          const report = await writeReport(site, options, lints, { root, outDir, publish: options.report.publish });
          for (const line of report.summary) logger.info(line);
        }
        if (options.gpc) await writeGpc(outDir);
        const hosts: readonly HostName[] =
          options.hosts === 'auto' ? [detectHost(config.adapter?.name)].filter((host) => host !== undefined) : options.hosts;
        if (site.pages.length > 0) {
          await writeHostOutputs(hosts, { root: config.root, outDir: dir, manifest: site.manifest, logger, adapter: config.adapter?.name });
        }
      },
    },
  };
}

/** One lint as a log line: where, what, and the fix. */
function lintLine(lint: Lint, root: string): string {
  return `${lint.file.replace(`${root}/`, '')}: ${lint.message} Fix: ${lint.fix}`;
}

/** Turn located content mistakes into AstroErrors, after cleaning up. */
async function guard<T>(root: string, work: () => Promise<T>, cleanup?: () => Promise<void>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof BuildProblem)) throw error;
    await cleanup?.();
    throw new AstroError(`${error.where.replace(root, '')}: ${error.message}`, error.hint);
  }
}
