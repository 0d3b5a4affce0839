/**
 * Privacy recorders for the runtimes that run a bundle (workerd, Deno, Vercel's
 * edge runtime), where the test cannot spy from outside: bundled first, this
 * replaces `fetch` and `console` with recorders, and `guard` turns any
 * recorded call into a 599 response, which fails the conformance case.
 */
const violations: string[] = [];
const realFetch = globalThis.fetch;

globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
  // Netlify's runtime does context.next() with its own fetch of the origin, marked
  // x-nf-passthrough (the router cannot set that header: Netlify strips x-nf-* from requests).
  if (input instanceof Request && input.headers.has('x-nf-passthrough')) return realFetch(input, init);
  violations.push('fetch');
  return Promise.reject(new TypeError('privacy guard: the router may not call fetch'));
}) as typeof fetch;

for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert'] as const) {
  (console as unknown as Record<string, unknown>)[level] = () => void violations.push(`console.${level}`);
}

export function guard(response: Response): Response {
  if (violations.length === 0) return response;
  return new Response(`privacy guard: ${violations.splice(0).join(', ')}`, { status: 599 });
}
