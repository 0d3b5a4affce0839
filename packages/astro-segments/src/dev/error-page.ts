import { escapeHtml } from '../escape-html.ts';

/** What `astro dev` shows instead of a page whose personalization is broken. */
export function devErrorPage(path: string, message: string, hint: string | undefined): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>astro-segments: ${escapeHtml(path)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:3rem auto;padding:0 1rem;color:#1d2433}pre{white-space:pre-wrap;background:#fdf2f2;border-left:4px solid #c0392b;padding:1rem}</style></head>
<body><h1>astro-segments cannot personalize ${escapeHtml(path)}</h1><pre>${escapeHtml(message)}</pre>${hint ? `<p><strong>Fix:</strong> ${escapeHtml(hint)}</p>` : ''}
<p>The build (<code>astro build</code>) fails on the same mistake.</p></body></html>`;
}
