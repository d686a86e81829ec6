/**
 * Readiness probes, one per dependency. Each resolves to a status without throwing, with a
 * time limit, so /readyz answers quickly even when a dependency hangs.
 */
export interface ProbeResult {
  ok: boolean;
  detail?: string;
  [key: string]: unknown;
}

export type Probe = () => Promise<ProbeResult>;

export async function runProbes(probes: Record<string, Probe>, timeoutMs = 2_000) {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ProbeResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
          timeoutMs,
        );
      });
      try {
        const result = await Promise.race([
          probe().catch((err: unknown) => ({ ok: false, detail: errorText(err) })),
          timeout,
        ]);
        return [name, result] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { ok: entries.every(([, r]) => r.ok), checks };
}

/** An error's message without anything secret-looking (URLs with credentials). */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\/\/[^@/\s]+@/g, '//***@').slice(0, 300);
}

/** A task queue's pollers, as DescribeTaskQueue lists them per task queue type. */
type PollersByType = Record<'workflow' | 'activity', { identity: string; lastAccessTime: string | null }[]>;

/**
 * Every worker polling a task queue, one entry per identity (`worker-<index>@<host>:<pid>`)
 * with when it last polled each type, sorted by identity; and how many poll each type.
 */
export function workerPollers(pollers: PollersByType) {
  const byIdentity = new Map<string, { workflow: string | null; activity: string | null }>();
  for (const kind of ['workflow', 'activity'] as const) {
    for (const { identity, lastAccessTime } of pollers[kind]) {
      const entry = byIdentity.get(identity) ?? { workflow: null, activity: null };
      entry[kind] = lastAccessTime;
      byIdentity.set(identity, entry);
    }
  }
  return {
    pollers: { workflow: pollers.workflow.length, activity: pollers.activity.length },
    workers: [...byIdentity]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([identity, lastAccess]) => ({ identity, lastAccess })),
  };
}
