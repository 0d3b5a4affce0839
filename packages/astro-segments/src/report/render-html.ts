import type { Report, ReportPage, ReportValue, ReportVariant } from './build-report.ts';
import { coverageChart, variantsChart } from './charts.ts';
import { describeLabel, escapeHtml, formatBytes, plural } from './format.ts';

export interface RenderOptions {
  /** Link to a file of the build output (a path relative to outDir), from where the report lives. */
  readonly href: (file: string) => string;
  readonly perPageBudget: number;
}

const STYLE = `
:root{--ink:#1d2433;--muted:#5b6478;--line:#dde2ea;--soft:#f5f7fa;--accent:#2f6fde;--accent-soft:#dbe6fb;--del:#fdecec;--ins:#e6f6ea;--warn:#8a5a00;--warn-soft:#fff4dc}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:1120px;margin:0 auto;padding:32px 24px 64px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:40px 0 12px;padding-top:8px;border-top:1px solid var(--line)}h3{font-size:17px;margin:0}
p{margin:6px 0}.muted{color:var(--muted)}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--soft);padding:1px 4px;border-radius:4px}
a{color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:20px 0;padding:0;list-style:none}
.cards li{flex:1 1 140px;border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.cards strong{display:block;font-size:26px;line-height:1.2}
.cards .warn strong{color:var(--warn)}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{font-size:13px;color:var(--muted);font-weight:600}
.lint td:first-child{white-space:nowrap}.lint .rule{font-weight:600;color:var(--warn)}
.page{border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin:18px 0}
.page dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}.page dt{color:var(--muted)}.page dd{margin:0}
.variant{margin:16px 0 0;padding-top:12px;border-top:1px dashed var(--line)}
.variant h4{margin:0 0 4px;font-size:15px}
.diff{table-layout:fixed}.diff td{width:50%}.diff td p{margin:0 0 4px;padding:2px 6px;border-radius:4px}
.diff .before p{background:var(--del)}.diff .after p{background:var(--ins)}.diff p.nothing{background:none;color:var(--muted);font-style:italic}
.notice{margin:6px 0 8px;padding:6px 10px;border-left:3px solid var(--accent);background:var(--soft)}
.chart{max-width:100%;height:auto;font:13px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.chart .label,.chart .head{fill:var(--ink)}.chart .head{font-size:12px}.chart .note{fill:var(--muted);font-size:12px}.chart .dimension{font-weight:600;fill:var(--ink)}
.chart .track{fill:var(--accent-soft)}.chart .bar{fill:var(--accent)}.chart .budget{stroke:var(--warn);stroke-dasharray:4 3}.chart .rule{stroke:var(--line)}
.chart .cell.changes{fill:var(--accent)}.chart .cell.same{fill:#fff;stroke:var(--accent);stroke-dasharray:3 2}.chart .cell.default{fill:#c9ced8}.chart .cell.none{fill:var(--soft);stroke:var(--line)}.chart .mark{fill:var(--accent);font-size:13px;font-weight:700}
@media print{.page{break-inside:avoid}}
`;

const h = escapeHtml;

function link(options: RenderOptions, file: string, text: string): string {
  return `<a href="${h(options.href(file))}">${h(text)}</a>`;
}

function renderChanges(variant: ReportVariant): string {
  const notice = variant.notice.length ? `<p class="notice"><span class="muted">Notice:</span> ${variant.notice.map((line) => h(line)).join(' ')}</p>` : '';
  if (variant.changes.length === 0) {
    return `${notice}<p class="muted">Same text as the standard version${notice ? ', apart from the notice' : '; only markup differs (an attribute, an image or a tag in the head)'}.</p>`;
  }
  const lines = (items: readonly string[]) => (items.length === 0 ? `<p class="nothing">nothing here</p>` : items.map((line) => `<p>${h(line)}</p>`).join(''));
  const rows = variant.changes.map((change) => `<tr><td class="before">${lines(change.removed)}</td><td class="after">${lines(change.added)}</td></tr>`);
  return `${notice}<table class="diff"><thead><tr><th scope="col">Standard version</th><th scope="col">This version</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderPage(report: Report, page: ReportPage, options: RenderOptions): string {
  const variants = page.variants.map(
    (variant) =>
      `<section class="variant"><h4>${h(describeLabel(report, variant.label))}</h4>` +
      `<p class="muted">${link(options, variant.file, variant.file)} · ${formatBytes(variant.bytes)} · serves ${variant.serves.map((key) => `<code>${h(key)}</code>`).join(' ')}</p>` +
      renderChanges(variant) +
      `</section>`,
  );
  const effective = Object.entries(page.effective)
    .map(
      ([dimension, values]) =>
        `${h(dimension)}: ${values.length ? values.map((v) => h(v)).join(', ') : '<span class="muted">no value changes the page</span>'}`,
    )
    .join('<br>');
  return (
    `<article class="page" id="${h(`page-${page.route}`)}"><h3>${h(page.route)}</h3>` +
    `<dl><dt>Purpose</dt><dd>${h(page.purpose)}</dd><dt>KPI</dt><dd>${h(page.kpi)}</dd>` +
    `<dt>Varies on</dt><dd>${page.dimensions.map((d) => h(d)).join(', ')} (${plural(page.combinations, 'combination')}, ${plural(page.blocks, 'personalized block')})</dd>` +
    `<dt>Changed by</dt><dd>${effective}</dd>` +
    `<dt>Versions</dt><dd>${plural(page.variants.length, 'variant file')} + the standard version ${link(options, page.default.file, page.default.file)} (${formatBytes(page.default.bytes)}) for ${h(describeLabel(report, page.default.label))}</dd>` +
    `<dt>Source</dt><dd><code>${h(page.source)}</code></dd></dl>` +
    (variants.length ? variants.join('') : `<p class="muted">Every combination renders like the standard version.</p>`) +
    `</article>`
  );
}

function chosenWhen(value: ReportValue): string {
  const rules = value.rules.map((rule) => h(rule)).join('<br><em>or</em> ');
  if (value.default) return rules ? `${rules}<br><em>or</em> whenever nothing else applies` : 'whenever nothing else applies';
  return rules || '<span class="muted">only when a visitor chooses it</span>';
}

/** The report as one self-contained page: inline CSS and SVG, no script, no external asset. */
export function renderReportHtml(report: Report, options: RenderOptions): string {
  const { summary } = report;
  const cards = [
    [summary.pages, 'personalized pages'],
    [summary.dimensions.length, 'dimensions in use'],
    [summary.files, 'variant files'],
    [formatBytes(summary.bytes), 'added to the build'],
  ]
    .map(([value, text]) => `<li><strong>${h(String(value))}</strong>${h(String(text))}</li>`)
    .concat(`<li class="${summary.warnings ? 'warn' : ''}"><strong>${summary.warnings}</strong>lint warnings</li>`)
    .join('');
  const lints = report.lints.length
    ? `<table class="lint"><thead><tr><th scope="col">Check</th><th scope="col">File</th><th scope="col">What and why</th><th scope="col">Fix</th></tr></thead><tbody>${report.lints
        .map((lint) => `<tr><td class="rule">${h(lint.rule)}</td><td><code>${h(lint.file)}</code></td><td>${h(lint.message)}</td><td>${h(lint.fix)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No warnings.</p>';
  const dimensions = report.dimensions
    .map(
      (dimension) =>
        `<h3>${h(dimension.name)}</h3><table><thead><tr><th scope="col">Value</th><th scope="col">Label</th><th scope="col">Chosen when</th><th scope="col">Changes</th></tr></thead><tbody>${dimension.values
          .map(
            (value) =>
              `<tr><td><code>${h(value.name)}</code>${value.default ? ' <span class="muted">(default)</span>' : ''}${value.relationship ? ' <span class="muted">(relationship)</span>' : ''}</td>` +
              `<td>${h(value.label)}</td><td>${chosenWhen(value)}</td>` +
              `<td>${value.default ? '<span class="muted">the standard version</span>' : value.pages.length ? value.pages.map((route) => `<a href="#${h(`page-${route}`)}">${h(route)}</a>`).join(', ') : '<span class="muted">no page</span>'}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    )
    .join('');
  const charts = report.pages.length
    ? `<h2>At a glance</h2><figure>${variantsChart(report, options.perPageBudget)}<figcaption class="muted">Variant files per page (dark) out of the combinations of its dimensions (light); combinations that render alike share a file or get the standard version.</figcaption></figure>` +
      `<figure>${coverageChart(report)}<figcaption class="muted">Which values of each dimension change which pages.</figcaption></figure>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Personalization report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Personalization report</h1>
<p class="muted">Built ${h(report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}. Every version below is a static file; the router picks one per request and stores nothing about the visitor.</p>
<ul class="cards">${cards}</ul>
${charts}
<h2>Warnings</h2>
${lints}
<h2>Pages</h2>
${report.pages.length ? report.pages.map((page) => renderPage(report, page, options)).join('\n') : '<p>No personalized pages.</p>'}
<h2>Dimensions</h2>
${dimensions}
</main>
</body>
</html>
`;
}
