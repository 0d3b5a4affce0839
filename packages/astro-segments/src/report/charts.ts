import type { Report } from './build-report.ts';
import { escapeHtml, plural } from './format.ts';

const FONT = 13;
/** Rough width of text in the report's sans-serif at 13px; SVG cannot measure without a script. */
const textWidth = (text: string, size = FONT) => Math.ceil(text.length * size * 0.58);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function frame(id: string, title: string, description: string, width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>${body}</svg>`
  );
}

/** Horizontal bars: variant files per page, over a track of the combinations it could have. */
export function variantsChart(report: Report, perPageBudget: number): string {
  const pages = report.pages;
  if (pages.length === 0) return '';
  const labelWidth = Math.min(260, Math.max(...pages.map((page) => textWidth(clip(page.route, 40)))) + 16);
  const barWidth = 360;
  const noteWidth = 220;
  const row = 30;
  const top = 8;
  const max = Math.max(1, ...pages.map((page) => Math.max(page.combinations - 1, page.variants.length)));
  const scale = (n: number) => (n / max) * barWidth;
  const rows = pages.map((page, index) => {
    const y = top + index * row;
    const files = page.variants.length;
    const note = `${plural(files, 'variant')} of ${plural(page.combinations, 'combination')}`;
    return (
      `<g><title>${escapeHtml(`${page.route}: ${note}; ${page.combinations - 1 - files} combinations render like another version or the default`)}</title>` +
      `<text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end" class="label">${escapeHtml(clip(page.route, 40))}</text>` +
      `<rect x="${labelWidth}" y="${y + 6}" width="${Math.max(2, scale(page.combinations - 1))}" height="18" rx="3" class="track"/>` +
      `<rect x="${labelWidth}" y="${y + 6}" width="${scale(files)}" height="18" rx="3" class="bar"/>` +
      `<text x="${labelWidth + barWidth + 10}" y="${y + 19}" class="note">${escapeHtml(note)}</text></g>`
    );
  });
  const budgetX = labelWidth + scale(Math.min(perPageBudget, max));
  const budget =
    perPageBudget <= max
      ? `<line x1="${budgetX}" x2="${budgetX}" y1="${top}" y2="${top + pages.length * row}" class="budget"/><text x="${budgetX}" y="${top + pages.length * row + 14}" text-anchor="middle" class="note">budget ${perPageBudget}</text>`
      : '';
  const height = top + pages.length * row + (budget ? 22 : 8);
  const description = pages.map((page) => `${page.route}: ${page.variants.length} of ${page.combinations} combinations`).join('; ');
  return frame('variants-chart', 'Variant files per page', description, labelWidth + barWidth + noteWidth, height, rows.join('') + budget);
}

type Cell = 'changes' | 'default' | 'same' | 'none';

const CELL_TEXT: Readonly<Record<Cell, string>> = {
  changes: 'has content of its own',
  default: 'the standard version (default)',
  same: 'renders like the default',
  none: 'the page does not vary on this dimension',
};

/** A grid: pages down, every declared value across (grouped by dimension): which values change which pages. */
export function coverageChart(report: Report): string {
  const pages = report.pages;
  const columns = report.dimensions.flatMap((dimension) => dimension.values.map((value) => ({ dimension, value })));
  if (pages.length === 0 || columns.length === 0) return '';
  const cell = 26;
  const gap = 10;
  const labelWidth = Math.min(260, Math.max(...pages.map((page) => textWidth(clip(page.route, 40)))) + 16);
  const header = Math.min(170, Math.max(...columns.map(({ value }) => textWidth(clip(value.label, 26), 12))) * 0.72 + 20);
  const dimensionRow = 22;
  const top = dimensionRow + header;
  const xs: number[] = [];
  let x = labelWidth;
  const groups: string[] = [];
  for (const dimension of report.dimensions) {
    const start = x;
    for (let i = 0; i < dimension.values.length; i++) {
      xs.push(x);
      x += cell;
    }
    groups.push(
      `<text x="${start}" y="15" class="dimension">${escapeHtml(dimension.name)}</text><line x1="${start}" x2="${x - 4}" y1="20" y2="20" class="rule"/>`,
    );
    // Leave room for the dimension's name when it is wider than its columns.
    x = Math.max(x, start + textWidth(dimension.name, 15) + 6) + gap;
  }
  const heads = columns.map(({ value }, index) => {
    const cx = xs[index]! + cell / 2;
    return `<text transform="translate(${cx + 4} ${top - 6}) rotate(-45)" class="head">${escapeHtml(clip(value.label, 26))}${value.default ? ' (default)' : ''}</text>`;
  });
  const rows = pages.map((page, row) => {
    const y = top + row * cell;
    const cells = columns.map(({ dimension, value }, index) => {
      const state: Cell = !page.dimensions.includes(dimension.name)
        ? 'none'
        : value.default
          ? 'default'
          : page.effective[dimension.name]?.includes(value.name)
            ? 'changes'
            : 'same';
      const tip = `${page.route}, ${dimension.name}=${value.name}: ${CELL_TEXT[state]}`;
      const mark = state === 'same' ? `<text x="${xs[index]! + cell / 2 - 2}" y="${y + cell / 2 + 3}" text-anchor="middle" class="mark">=</text>` : '';
      return `<g><title>${escapeHtml(tip)}</title><rect x="${xs[index]!}" y="${y}" width="${cell - 4}" height="${cell - 4}" rx="4" class="cell ${state}"/>${mark}</g>`;
    });
    return `<text x="${labelWidth - 8}" y="${y + cell / 2 + 3}" text-anchor="end" class="label">${escapeHtml(clip(page.route, 40))}</text>${cells.join('')}`;
  });
  const legendY = top + pages.length * cell + 12;
  const legend = (['changes', 'same', 'default', 'none'] as const)
    .map((state, index) => {
      const ly = legendY + index * 20;
      return `<rect x="${labelWidth}" y="${ly}" width="14" height="14" rx="3" class="cell ${state}"/><text x="${labelWidth + 20}" y="${ly + 11}" class="note">${escapeHtml(CELL_TEXT[state])}</text>`;
    })
    .join('');
  const lastHead = xs.at(-1)! + cell / 2 + 4 + ((header - 20) / 0.72) * 0.71;
  const width = Math.ceil(Math.max(x, lastHead, labelWidth + 20 + textWidth(CELL_TEXT.none, 12))) + 20;
  const description = pages
    .map(
      (page) =>
        `${page.route}: ${
          Object.entries(page.effective)
            .map(([d, values]) => `${d} ${values.join(', ') || 'none'}`)
            .join('; ') || 'no dimensions'
        }`,
    )
    .join('. ');
  return frame(
    'coverage-chart',
    'Which values change which pages',
    description,
    width,
    legendY + 4 * 20 + 4,
    groups.join('') + heads.join('') + rows.join('') + legend,
  );
}
