/**
 * File work many at a time: up to `size` calls of `work` run together, batch after
 * batch, so a site of 10,000 pages neither waits on one file at a time nor opens
 * 10,000 files at once. Results come back in the order of `items`.
 */
export async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>, size = 128): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}
