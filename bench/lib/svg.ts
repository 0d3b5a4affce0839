/**
 * A minimal line-chart renderer: small panels of series with axes, ticks and
 * a legend, written as one standalone SVG file. No dependencies.
 */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly x: { readonly label: string; readonly log?: boolean };
  readonly y: { readonly label: string; readonly log?: boolean };
  readonly series: readonly Series[];
}

const COLORS = ['#1f6f5c', '#c2410c', '#2563eb', '#7c3aed', '#b91c1c', '#0f766e'];
const W = 420;
const H = 300;
const M = { top: 30, right: 16, bottom: 46, left: 62 };
const LEGEND_ROW = 15;

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
      }
    }
    return out.length >= 2 ? out : [min, max];
  }
  const span = max - min || 1;
  const step0 = 10 ** Math.floor(Math.log10(span / 5));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 6)!;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) => (Math.abs(v) >= 1e6 ? `${v / 1e6}M` : Math.abs(v) >= 1e4 ? `${v / 1e3}k` : Number.isInteger(v) ? String(v) : v.toPrecision(2));

function panel(p: Panel, ox: number, oy: number): string {
  const xs = p.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = p.series.flatMap((s) => s.points.map(([, y]) => y));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!p.y.log) (y0 = Math.min(0, y0)), (y1 = y1 * 1.08 || 1);
  else (y0 = y0 / 1.3), (y1 = y1 * 1.3);
  if (!p.x.log && x0 === x1) (x0 -= 1), (x1 += 1);
  const f = (log: boolean | undefined) => (v: number) => (log ? Math.log10(v) : v);
  const fx = f(p.x.log);
  const fy = f(p.y.log);
  // The legend sits between the title and the plot (two entries per row when they fit), so it never hides a line.
  const pw = W - M.left - M.right;
  const perRow = Math.max(...p.series.map((s) => s.name.length)) * 6 + 24 <= pw / 2 ? 2 : 1;
  const top = M.top + Math.ceil(p.series.length / perRow) * LEGEND_ROW + 6;
  const ph = H - top - M.bottom;
  const sx = (v: number) => ox + M.left + ((fx(v) - fx(x0)) / (fx(x1) - fx(x0) || 1)) * pw;
  const sy = (v: number) => oy + top + ph - ((fy(v) - fy(y0)) / (fy(y1) - fy(y0) || 1)) * ph;
  const out: string[] = [];
  out.push(`<text x="${ox + M.left}" y="${oy + 20}" class="title">${esc(p.title)}</text>`);
  const distinctX = [...new Set(xs)].sort((a, b) => a - b);
  const xTicks = p.x.log || distinctX.length === 1 ? distinctX : niceTicks(x0, x1, false);
  for (const t of niceTicks(y0, y1, !!p.y.log)) {
    out.push(`<line x1="${ox + M.left}" x2="${ox + M.left + pw}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/>`);
    out.push(`<text x="${ox + M.left - 6}" y="${sy(t) + 4}" class="tick" text-anchor="end">${label(t)}</text>`);
  }
  for (const t of xTicks) out.push(`<text x="${sx(t)}" y="${oy + top + ph + 16}" class="tick" text-anchor="middle">${label(t)}</text>`);
  out.push(`<line x1="${ox + M.left}" x2="${ox + M.left + pw}" y1="${oy + top + ph}" y2="${oy + top + ph}" class="axis"/>`);
  out.push(`<line x1="${ox + M.left}" x2="${ox + M.left}" y1="${oy + top}" y2="${oy + top + ph}" class="axis"/>`);
  out.push(`<text x="${ox + M.left + pw / 2}" y="${oy + H - 8}" class="label" text-anchor="middle">${esc(p.x.label)}</text>`);
  out.push(`<text transform="translate(${ox + 14} ${oy + top + ph / 2}) rotate(-90)" class="label" text-anchor="middle">${esc(p.y.label)}</text>`);
  p.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = oy + M.top + Math.floor(i / perRow) * LEGEND_ROW;
    const lx = ox + M.left + (i % perRow) * (pw / 2);
    out.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${lx + 15}" y="${ly + 9}" class="legend">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** Panels in a grid of `columns`, with a caption under the title line. */
export function renderChart(title: string, caption: string, panels: readonly Panel[], columns = 2): string {
  const rows = Math.ceil(panels.length / columns);
  const width = W * Math.min(columns, panels.length);
  const height = 56 + rows * H;
  const body = panels.map((p, i) => panel(p, (i % columns) * W, 56 + Math.floor(i / columns) * H)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title{font-size:13px;font-weight:600;fill:#1d2433}.tick{font-size:10px;fill:#5b6478}.label{font-size:11px;fill:#1d2433}
.legend{font-size:10.5px;fill:#1d2433}.grid{stroke:#e4e7ee;stroke-width:1}.axis{stroke:#5b6478;stroke-width:1}
.head{font-size:15px;font-weight:700;fill:#1d2433}.caption{font-size:11px;fill:#5b6478}
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="12" y="22" class="head">${esc(title)}</text>
<text x="12" y="40" class="caption">${esc(caption)}</text>
${body}
</svg>
`;
}
