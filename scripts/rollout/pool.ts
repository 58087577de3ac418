/**
 * Runs `work` over `items`, at most `limit` at a time. Written here because p-limit's current majors
 * are ESM-only (the kit is CommonJS) and the need is these few lines.
 */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
