/**
 * Host name of a Referer header, lowercased, without port; '' when absent or
 * not a URL. The rest of the URL (path, query, user info) is never kept.
 *
 * Optional: only sites with a `referrer` rule ship it (see features.ts).
 */
export function referrerHost(value: string): string {
  try {
    return value && new URL(value).hostname.toLowerCase();
  } catch {
    return '';
  }
}
