/** Print aligned tables to the terminal and render the same rows as Markdown. */

export type Row = readonly string[];

export interface Table {
  readonly title: string;
  readonly head: Row;
  readonly rows: readonly Row[];
  /** Column indexes to right-align (numbers). */
  readonly right?: readonly number[];
  readonly note?: string;
}

export function printTable(t: Table): void {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (r: Row) =>
    r
      .map((c, i) => (t.right?.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${t.title}`);
  console.log(line(t.head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of t.rows) console.log(line(r));
  if (t.note) console.log(t.note);
}

export function markdownTable(t: Table): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  const align = t.head.map((_, i) => (t.right?.includes(i) ? '---:' : '---'));
  return [
    `**${t.title}**`,
    '',
    `| ${t.head.map(esc).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    ...(t.note ? ['', t.note] : []),
  ].join('\n');
}
