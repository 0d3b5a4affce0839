import type { Report } from './build-report.ts';

export { escapeHtml } from '../escape-html.ts';

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

/** Label of a value: its declared label, or its name. */
export function labelOf(report: Report, dimension: string, value: string): string {
  return report.dimensions.find((d) => d.name === dimension)?.values.find((v) => v.name === value)?.label ?? value;
}

/** `audience=customer+partner;region=eu` → `audience: Customers or Partners · region: eu`. */
export function describeLabel(report: Report, label: string): string {
  return label
    .split(';')
    .filter(Boolean)
    .map((part) => {
      const [dimension = '', values = ''] = part.split('=');
      return `${dimension}: ${values
        .split('+')
        .map((value) => labelOf(report, dimension, value))
        .join(' or ')}`;
    })
    .join(' · ');
}
