/**
 * Peak resident set size of this process, sampled while a bench runs. The bench system runs
 * the API and the worker in one process (bench/support/system.ts), so this is their sum.
 */
export interface PeakRss {
  /** Peak so far, in MB. */
  peakMb(): number;
  stop(): number;
}

export function trackPeakRss(everyMs = 100): PeakRss {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  const peakMb = () => Math.max(peak, process.memoryUsage.rss()) / 2 ** 20;
  return {
    peakMb,
    stop() {
      clearInterval(timer);
      return peakMb();
    },
  };
}
