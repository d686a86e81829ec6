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
