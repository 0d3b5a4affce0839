/**
 * Finds the markers that `remark-segments` and the `<Segment>` / `<SegmentPage>`
 * components leave in rendered HTML:
 *
 *   <astro-segment data-when="audience=customer">…</astro-segment>
 *   <astro-segment data-otherwise="">…</astro-segment>
 *   <astro-segments-page data-config="{…json…}"></astro-segments-page>
 *
 * Astro serializes them itself, so the scanner only has to understand quoted
 * attributes (which may contain raw `<` and `>`) and HTML character references.
 */

const ATTRIBUTES = String.raw`((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?`;
const TOKEN = new RegExp(String.raw`<astro-segment${ATTRIBUTES}>|</astro-segment\s*>|<astro-segments-page${ATTRIBUTES}>\s*</astro-segments-page\s*>`, 'g');
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

export interface Block {
  /** Offset of `<astro-segment`. */
  readonly start: number;
  /** Offset just after `</astro-segment>`. */
  readonly end: number;
  readonly innerStart: number;
  readonly innerEnd: number;
  /** Serialized condition, or null for an otherwise block. */
  readonly when: string | null;
  /**
   * `data-optional`: the block is dropped, not refused, on a page that does not
   * vary on its dimensions (for layout-wide pieces such as the segment notice).
   */
  readonly optional: boolean;
}

export interface PageMarker {
  readonly start: number;
  readonly end: number;
  /** The decoded `data-config` attribute (JSON text). */
  readonly config: string;
}

export interface Markers {
  readonly blocks: readonly Block[];
  readonly pages: readonly PageMarker[];
}

export class MarkerError extends Error {
  override name = 'MarkerError';
}

export function hasMarkers(html: string): boolean {
  return html.includes('<astro-segment');
}

export function findMarkers(html: string): Markers {
  const blocks: Block[] = [];
  const pages: PageMarker[] = [];
  let open: { start: number; innerStart: number; when: string | null; optional: boolean } | undefined;
  for (const match of html.matchAll(TOKEN)) {
    const [token] = match;
    const start = match.index;
    if (token.startsWith('<astro-segments-page')) {
      pages.push({ start, end: start + token.length, config: readAttributes(match[2] ?? '')['data-config'] ?? '' });
    } else if (token.startsWith('</')) {
      if (!open) throw new MarkerError(`a closing </astro-segment> at offset ${start} has no opening tag`);
      blocks.push({ ...open, end: start + token.length, innerEnd: start });
      open = undefined;
    } else {
      if (open) {
        throw new MarkerError('segment blocks cannot be nested. Combine the conditions on one block instead, e.g. audience="customer" region="eu"');
      }
      const attributes = readAttributes(match[1] ?? '');
      const otherwise = 'data-otherwise' in attributes;
      const when = attributes['data-when'];
      if (!otherwise && when === undefined) throw new MarkerError('an <astro-segment> has neither data-when nor data-otherwise');
      open = { start, innerStart: start + token.length, when: otherwise ? null : (when ?? null), optional: 'data-optional' in attributes };
    }
  }
  if (open) throw new MarkerError('a segment block is never closed: an <astro-segment> has no </astro-segment>');
  return { blocks, pages };
}

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = Object.create(null);
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the character references Astro, hast and MDX use in attribute values. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));/gi, (whole, hex: string, decimal: string, name: string) => {
    if (hex || decimal) {
      const code = Number.parseInt(hex ?? decimal, hex ? 16 : 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
