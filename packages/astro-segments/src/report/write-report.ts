import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { CompiledSite } from '../compile-site.ts';
import type { Lint } from '../lints/lint.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { buildReport } from './build-report.ts';
import { formatBytes, plural } from './format.ts';
import { renderReportHtml } from './render-html.ts';

/** Where the report goes, outside the deployed site: `<root>/.astro-segments/`. */
export const REPORT_DIR = '.astro-segments';

export interface ReportLocation {
  /** The project root (Astro's `root`). */
  readonly root: string;
  /** The build output directory. */
  readonly outDir: string;
  /** Also copy the HTML report to `<outDir>/<prefix>/report.html`. */
  readonly publish: boolean;
}

/** A relative URL from `fromDir` to a file of the build output. */
function hrefFrom(fromDir: string, outDir: string) {
  return (file: string) =>
    relative(fromDir, join(outDir, file))
      .split(sep)
      .map((part) => encodeURIComponent(part))
      .join('/');
}

/**
 * Write `report.html` and `report.json` to `<root>/.astro-segments/` (and, with
 * `publish`, the HTML to `<outDir>/<prefix>/report.html`, its links rebased).
 * Returns the paths and the summary lines for the terminal.
 */
export async function writeReport(
  site: CompiledSite,
  options: ResolvedOptions,
  lints: Lint[],
  where: ReportLocation,
): Promise<{ htmlPath: string; jsonPath: string; summary: string[] }> {
  const report = buildReport(site, options, lints, { root: where.root });
  const dir = join(where.root, REPORT_DIR);
  await mkdir(dir, { recursive: true });
  // Keep the report out of version control too: it is rebuilt on every build.
  await writeFile(join(dir, '.gitignore'), '*\n');
  const htmlPath = join(dir, 'report.html');
  const jsonPath = join(dir, 'report.json');
  const perPageBudget = options.budget.perPage;
  await writeFile(htmlPath, renderReportHtml(report, { href: hrefFrom(dir, where.outDir), perPageBudget }));
  // For tools, so not indented: a quarter fewer bytes, and two thirds of the time on a large site.
  await writeFile(jsonPath, `${JSON.stringify(report)}\n`);
  const published = join(where.outDir, options.prefix, 'report.html');
  if (where.publish) {
    await mkdir(dirname(published), { recursive: true });
    await writeFile(published, renderReportHtml(report, { href: hrefFrom(dirname(published), where.outDir), perPageBudget }));
  }

  const { summary } = report;
  const lines =
    summary.pages === 0
      ? ['No personalized pages.']
      : [
          `${plural(summary.pages, 'personalized page')}, varying on ${summary.dimensions.join(', ')}.`,
          `${plural(summary.files, 'variant file')} (${formatBytes(summary.bytes)}) in /${options.prefix}/ serve ${summary.variants} of ${plural(summary.combinations, 'combination')}; the others get the standard version.`,
        ];
  lines.push(summary.warnings === 0 ? 'No lint warnings.' : `${plural(summary.warnings, 'lint warning')}.`);
  lines.push(
    `Report: ${relative(where.root, htmlPath).split(sep).join('/')}${where.publish ? `, published at /${options.prefix}/report.html` : ' (not deployed)'}.`,
  );
  return { htmlPath, jsonPath, summary: lines };
}
