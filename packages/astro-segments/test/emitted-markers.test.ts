/**
 * The check that fails a build whose output still holds a segment marker: every
 * file but binary types and the build's own dot-folders is read, each in the
 * forms a marker takes in its type.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesWithMarkers, mayHoldMarker } from '../src/build/emitted-markers.ts';

const dir = mkdtempSync(join(tmpdir(), 'emitted-markers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `files` and returns which of them the check reports. */
function reported(files: Record<string, string>): string[] {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return filesWithMarkers(dir, Object.keys(files).filter(mayHoldMarker));
}

const RAW = '<astro-segment data-when="audience=customer">x</astro-segment>';

describe('filesWithMarkers', () => {
  it('finds a marker in a file of any text type, whatever its name', () => {
    const files = {
      'page.html': RAW,
      'feed.xml': `<description>${RAW.replaceAll('<', '&lt;')}</description>`,
      'dump.json': JSON.stringify({ html: RAW.replaceAll('<', '\\u003c') }),
      'dump.ndjson': `${JSON.stringify({ html: RAW })}\n`,
      'data.jsonld': JSON.stringify({ text: RAW.replaceAll('<', '\\u003c') }),
      'llms-full': RAW,
      'notes.txt': RAW,
      '_astro/search.js': `export const html = ${JSON.stringify(RAW)};`,
      'page-marker.html': '<astro-segments-page data-config="{}"></astro-segments-page>',
    };
    expect(reported(files).sort()).toEqual(Object.keys(files).sort());
  });

  it('leaves text about markers, binary types and the build’s own folders alone', () => {
    expect(
      reported({
        'docs/markers.html': '<p>The integration writes &lt;astro-segment&gt; elements.</p>',
        'readme.txt': 'The element is called astro-segment.',
        'image.png': RAW,
        'font.woff2': RAW,
        '.prerender/chunks/page.mjs': RAW,
        'clean.json': '{"html":"<p>hi</p>"}',
      }),
    ).toEqual([]);
    // .well-known is served: it is read.
    expect(reported({ '.well-known/feed.json': JSON.stringify({ html: RAW }) })).toEqual(['.well-known/feed.json']);
  });
});
