import { fileURLToPath } from 'node:url';
import type { AstroConfig, AstroIntegration, IntegrationResolvedRoute } from 'astro';
import { compileSite, manifestFor, type CompiledSite, type SiteSettings } from './compile-site.ts';
import { lintLine, reportErrors, segmentsError } from './errors.ts';
import { devMiddleware } from './dev/middleware.ts';
import { localsTypes, LOCALS_TYPES_FILE, onDemandMiddleware, ssrData } from './ssr/index.ts';
import { toolbarApp, toolbarSetup } from './toolbar/index.ts';
import { firstDimensionHint, hintLine } from './first-dimension.ts';
import { declareDimensions, dimensionTypes, DIMENSION_TYPES_FILE } from './site-dimensions.ts';
import { detectHost, refuseVercelIsr, writeHostOutputs, type HostName, type OnDemandRoute } from './hosts/index.ts';
import { addRemarkPlugin, personalizeProcessor, type ContentSettings } from './content/markdown-processor.ts';
import { forgetProject } from './content/documents.ts';
import { keepFailures } from './content/kept-failures.ts';
import { throwIfFailed } from './content/failures.ts';
import { personalizedContent } from './content/vite-plugin.ts';
import { scanContent } from './content/scan-content.ts';
import { checkDeclaredSliced, checkNoMarkers } from './build/output-checks.ts';
import { mayHoldMarker } from './build/emitted-markers.ts';
import { outputFiles } from './build/output-files.ts';
import { onDemandRoute, routeSources } from './build/route-sources.ts';
import { guardBuild, orClean, releaseBuild } from './build/failed-build.ts';
import { recordPageFiles } from './components/page-files.ts';
import type { SegmentsOptions } from './schema.ts';
import { lintSite, type Lint } from './lints/index.ts';
import { writeGpc, writeReport } from './report/index.ts';
import { validateOptions } from './validate-options.ts';
import { virtualConfig } from './virtual-config.ts';
import { writeSite } from './write-site.ts';

export type { SegmentsOptions } from './schema.ts';
export type { Manifest } from '@astro-segments/edge';

const GUARD_MIDDLEWARE = fileURLToPath(new URL('./build/guard-middleware.ts', import.meta.url));

/**
 * Personalize an Astro site by audience segment. Pages declare what they vary
 * on; the build renders each page once and slices it into static variant files
 * plus a manifest the edge router reads.
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
  let content: ContentSettings;
  let routes: readonly IntegrationResolvedRoute[] = [];
  /** Files that declare `segments` in their front matter (from the scan before the build). */
  let declared: string[] = [];
  let site: CompiledSite | undefined;
  let lints: Lint[] = [];
  // The project's on-demand pages: caches that keep pages by URL are refused for them (hosts/url-caches.ts).
  let onDemand: OnDemandRoute[] = [];

  return {
    name: 'astro-segments',
    // Mistakes leave the hooks as located messages with their fix (see errors.ts).
    hooks: reportErrors({
      'astro:config:setup': ({ config: initial, command, updateConfig, addDevToolbarApp, addMiddleware }) => {
        // For segmentsSchema(), which content collections run in this process (astro sync, check, build, dev).
        declareDimensions(options.dimensions);
        content = { root: fileURLToPath(initial.root).replace(/\/+$/, ''), options, command };
        forgetProject(content.root);
        keepFailures(
          fileURLToPath(new URL('./astro-segments/failures.json', initial.cacheDir)),
          content.root,
          fileURLToPath(new URL('./pages/', initial.srcDir)),
        );
        // A site on unified() gets the remark plugin now, in the order integrations add theirs.
        addRemarkPlugin(initial.markdown.processor, content);
        // `virtual:astro-segments/config`: the declared segments, for <SegmentNotice> and layouts.
        updateConfig({ vite: { plugins: [virtualConfig(options), ...personalizedContent(content.root, command)] } });
        if (command === 'dev') {
          addDevToolbarApp(toolbarApp);
          updateConfig({ vite: { plugins: [toolbarSetup(hint)] } });
        }
        if (command === 'build') addMiddleware({ order: 'pre', entrypoint: GUARD_MIDDLEWARE });
        // On-demand pages exist only with an adapter: personalize them in Astro middleware.
        if (initial.adapter) {
          const data = () => ({
            options,
            manifest: manifestFor(options, config.base.replace(/\/+$/, ''), {}),
            host: detectHost(config.adapter?.name),
            dev: command === 'dev',
            base: config.base,
          });
          updateConfig({ vite: { plugins: [ssrData(data)] } });
          addMiddleware(onDemandMiddleware);
        }
      },
      'astro:config:done': async ({ config: final, injectTypes }) => {
        config = final;
        // Before Astro syncs the content collections, whose schema would report a mistake in an
        // entry's declaration without its line: the scan checks each declaration at its key.
        if (content.command === 'build') declared = await scanContent(content.root, fileURLToPath(final.srcDir), options);
        // Every integration has added its Markdown plugins by now.
        personalizeProcessor(final.markdown.processor, content);
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
      'astro:routes:resolved': ({ routes: resolved }) => {
        routes = resolved;
        onDemand = resolved.filter((route) => !route.isPrerendered && route.origin === 'project' && route.type !== 'redirect').map(onDemandRoute);
      },
      'astro:build:start': async () => {
        const root = content.root;
        // Astro's glob loader logs a render error and goes on with an empty entry: not here.
        throwIfFailed(root);
        guardBuild([fileURLToPath(config.outDir)]);
        recordPageFiles(new Map(routes.filter((route) => route.origin === 'project').map((route) => [route.pattern, route.entrypoint])));
      },
      // Every page is written, and no integration's astro:build:done (search indexing, sitemaps,
      // the adapter's copy) has run yet: slice here, so they all see only public pages.
      'astro:build:generated': async ({ dir }) => {
        const outDir = fileURLToPath(dir);
        await orClean(async () => {
          throwIfFailed(content.root);
          const settings: SiteSettings = { base: config.base, site: config.site, trailingSlash: config.trailingSlash };
          // One listing of the output for the slicer (its pages) and the marker check (its feeds, JSON, text).
          const listing = outputFiles(outDir, mayHoldMarker);
          site = await compileSite(outDir, options, settings, routeSources(routes, config), listing);
          lints = lintSite(site, options);
          if (options.lints.strict && lints.length > 0) {
            throw segmentsError(
              `astro-segments found ${lints.length} problem(s) with how the site personalizes (lints.strict is on):\n${lints.map((lint) => `- ${lintLine(lint, content.root)}`).join('\n')}`,
              'Fix each one as it says, or turn lints.strict off to see them as warnings.',
              { name: 'SegmentsLintError' },
            );
          }
          await writeSite(outDir, options.prefix, site);
          checkDeclaredSliced(declared, site, routes);
          checkNoMarkers(outDir, options.prefix, site, listing);
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        const root = content.root;
        await orClean(async () => {
          if (detectHost(config.adapter?.name) === 'vercel') await refuseVercelIsr(config.root, dir, onDemand);
          const compiled =
            site ?? (await compileSite(outDir, options, { base: config.base, site: config.site, trailingSlash: config.trailingSlash }, () => undefined));
          for (const lint of lints) logger.warn(lintLine(lint, root));
          // Without `site` the build cannot know the public origin, so variant files link to it by path only.
          if (!config.site && compiled.pages.length > 0) {
            logger.warn(
              `The variant files of ${compiled.pages.length} personalized page(s) link to their public page with a relative canonical URL (${compiled.pages[0]!.route}), because site is not set in astro.config. Set site: 'https://your-domain.example' in astro.config so they carry absolute canonical links, as search engines recommend.`,
            );
          }
          if (hint) {
            // Nothing can be personalized yet (a block or <Segment> would have failed the build): one line on what to do.
            logger.info(hintLine(hint));
          } else {
            // After writeSite: it clears the variant folder, where a published report goes.
            const report = await writeReport(compiled, options, lints, { root, outDir, publish: options.report.publish });
            for (const line of report.summary) logger.info(line);
          }
          if (options.gpc) await writeGpc(outDir);
          const hosts: readonly HostName[] = options.hosts === 'auto' ? [detectHost(config.adapter?.name)].filter((host) => host !== undefined) : options.hosts;
          if (compiled.pages.length > 0) {
            await writeHostOutputs(hosts, { root: config.root, outDir: dir, manifest: compiled.manifest, logger, adapter: config.adapter?.name });
            const apart = hosts.filter((host) => host !== detectHost(config.adapter?.name));
            if (apart.length > 0 && onDemand.length > 0) logger.warn(onDemandApart(apart, onDemand, config.adapter?.name));
          }
        });
        releaseBuild();
        recordPageFiles(undefined);
      },
    }),
  };
}

/**
 * A host output of ours deploys the built files and the router, never a server: the site's
 * on-demand pages run only on its adapter's own host, and would be missing from these.
 */
function onDemandApart(hosts: readonly HostName[], routes: readonly OnDemandRoute[], adapter: string | undefined): string {
  const names = hosts.map((host) => host[0]!.toUpperCase() + host.slice(1)).join(', ');
  return (
    `The ${names} output${hosts.length > 1 ? 's hold' : ' holds'} the prerendered pages only: ${routes.length} on-demand route${routes.length > 1 ? 's' : ''} (${routes
      .slice(0, 3)
      .map((route) => route.pattern)
      .join(', ')}) ${routes.length > 1 ? 'run' : 'runs'} on ${adapter ?? 'the adapter'}'s server and would be missing there. ` +
    `Deploy a site with on-demand pages to its adapter's host (@astrojs/netlify, @astrojs/vercel or @astrojs/cloudflare write the router into their own output), or list only that host in the hosts option.`
  );
}
