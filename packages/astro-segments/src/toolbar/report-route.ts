/**
 * `astro dev` serves the last build report at `/_astro-segments/report.html`, so the
 * toolbar can link to it. The report lives outside the site, in
 * `<root>/.astro-segments/report.html` (see `../report/write-report.ts`), and
 * only `astro build` writes it; before the first build this route says so.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

/** The report directory under the project root (`REPORT_DIR` of the report module). */
const REPORT_FILE = join('.astro-segments', 'report.html');

export async function serveReport(res: ServerResponse, root: string): Promise<void> {
  const file = join(root, REPORT_FILE);
  let html: string;
  try {
    const [content, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const note = `<p style="font:14px system-ui,sans-serif;margin:0;padding:.5rem 1rem;background:#fff8e1;border-bottom:1px solid #e0c36a">astro dev is showing <code>.astro-segments/report.html</code> from the build of ${info.mtime.toISOString()}. Run <code>astro build</code> to refresh it; links to built files work when you open that file directly.</p>`;
    html = /<body[^>]*>/i.test(content) ? content.replace(/<body[^>]*>/i, (tag) => tag + note) : note + content;
  } catch {
    html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>astro-segments: no build report yet</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2433}</style></head>
<body><h1>No build report yet</h1><p><code>astro build</code> writes the report of every personalized page, its variants and the lint warnings to <code>.astro-segments/report.html</code> in your project, outside the deployed site. Run a build, then reload this page.</p></body></html>`;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
