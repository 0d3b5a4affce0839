/** `text.slice(start, end)` replaced by `replacement`; `start === end` inserts. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

/** `text` with non-overlapping edits applied, given in any order (offsets refer to the original text). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  let output = '';
  let cursor = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    output += text.slice(cursor, edit.start) + edit.replacement;
    cursor = edit.end;
  }
  return output + text.slice(cursor);
}
