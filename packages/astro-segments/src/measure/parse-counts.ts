/** Aggregate counts for one variant and group: no visitor appears anywhere, only totals. */
export interface CountRow {
  /** Whatever names the variant in your analytics, e.g. `audience=customer` or `/pricing customer`. */
  readonly variant: string;
  /** `control`: eligible visitors held out (they saw the default); `treatment`: those who saw the variant. */
  readonly group: 'control' | 'treatment';
  readonly visitors: number;
  readonly conversions: number;
}

export class CountsError extends Error {
  override name = 'CountsError';
}

const COLUMNS = ['variant', 'group', 'visitors', 'conversions'] as const;

/** Split one CSV line; fields may be double-quoted (with `""` for a quote). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      out.push(field.trim());
      field = '';
    } else field += char;
  }
  if (quoted) throw new CountsError('a quoted field is never closed');
  out.push(field.trim());
  return out;
}

/**
 * Read counts from CSV text with the header `variant,group,visitors,conversions`
 * (any column order; other columns are ignored; blank lines are skipped).
 * Throws a CountsError naming the line and the fix.
 */
export function parseCounts(text: string): CountRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new CountsError(`the file is empty. Give it the header ${COLUMNS.join(',')} and one line per variant and group`);
  const header = fields(lines[headerIndex]!).map((name) => name.toLowerCase());
  const missing = COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new CountsError(`line ${headerIndex + 1}: the header lacks ${missing.join(', ')}. The first line must name the columns: ${COLUMNS.join(',')}`);
  }
  const at = Object.fromEntries(COLUMNS.map((column) => [column, header.indexOf(column)])) as Record<(typeof COLUMNS)[number], number>;
  const rows: CountRow[] = [];
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const where = `line ${index + 1}`;
    let cells: string[];
    try {
      cells = fields(line);
    } catch (error) {
      throw new CountsError(`${where}: ${(error as Error).message}`);
    }
    const variant = cells[at.variant] ?? '';
    if (variant === '') throw new CountsError(`${where}: the variant is empty. Name the variant, e.g. audience=customer`);
    const group = (cells[at.group] ?? '').toLowerCase();
    if (group !== 'control' && group !== 'treatment') {
      throw new CountsError(`${where}: group is "${cells[at.group] ?? ''}". Use control (held out, saw the default) or treatment (saw the variant)`);
    }
    const count = (column: 'visitors' | 'conversions') => {
      const raw = cells[at[column]] ?? '';
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw new CountsError(`${where}: ${column} is "${raw}". Write a whole number of ${column}, without separators`);
      }
      return Number(raw);
    };
    const visitors = count('visitors');
    const conversions = count('conversions');
    if (conversions > visitors) {
      throw new CountsError(`${where}: ${conversions} conversions from ${visitors} visitors. Count converting visitors, at most one conversion each`);
    }
    rows.push({ variant, group, visitors, conversions });
  }
  if (rows.length === 0) throw new CountsError('the file has a header but no counts. Add one line per variant and group');
  return rows;
}
