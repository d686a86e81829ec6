/**
 * A value shared by concurrent readers for a short time: one load at a time (single flight),
 * its result reused until the load is `ttlMs` old, a failed load never kept. For hot public
 * reads that may be a moment stale (the current round under a page-load storm); `ttlMs` 0
 * turns it off.
 */
export function microCache<T>(
  ttlMs: number,
  load: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let entry: { startedAt: number; value: Promise<T> } | undefined;
  return () => {
    if (ttlMs <= 0) return load();
    const t = now();
    if (entry && t - entry.startedAt < ttlMs) return entry.value;
    const mine = { startedAt: t, value: load() };
    entry = mine;
    mine.value.catch(() => {
      if (entry === mine) entry = undefined;
    });
    return mine.value;
  };
}
