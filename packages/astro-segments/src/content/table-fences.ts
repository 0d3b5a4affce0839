/**
 * Sätteri reads a `:::` fence that directly follows a table row as one more
 * row of the table (micromark, and so unified, closes the block there), so
 *
 *     :::segment{region="uk"}
 *     | Plan | Price |
 *     | ---- | ----- |
 *     | Pro  | £39   |
 *     :::
 *
 * would never be closed. When the fence is followed by a blank line, the two
 * lines swap places: the table ends at the blank line, the fence closes the
 * block one line later, and every other line keeps its number (errors stay
 * located). A fence with no blank line after it is left alone; the checks then
 * report the block with this fix.
 */
const FENCE = /^[ \t]*:{3,}[ \t]*$/;
const CODE_FENCE = /^[ \t]*(`{3,}|~{3,})/;

export function separateTableFences(content: string): string {
  if (!content.includes('|')) return content;
  const lines = content.split('\n');
  let code: string | undefined;
  let changed = false;
  for (let index = 0; index < lines.length - 1; index++) {
    const opener = CODE_FENCE.exec(lines[index]!)?.[1];
    if (opener && (code === undefined || opener.startsWith(code))) code = code === undefined ? opener : undefined;
    if (code !== undefined || opener) continue;
    if (index > 0 && FENCE.test(lines[index]!) && lines[index - 1]!.includes('|') && lines[index + 1]!.trim() === '') {
      [lines[index], lines[index + 1]] = [lines[index + 1]!, lines[index]!];
      changed = true;
      index++;
    }
  }
  return changed ? lines.join('\n') : content;
}
