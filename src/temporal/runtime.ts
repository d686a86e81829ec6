import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * Routes the Temporal SDK's own logs through one level (once per process), optionally to
 * `logFunction`; with `prometheusBindAddress` (`host:port`) the SDK also serves its worker
 * metrics (task slots, schedule-to-start latency, sticky cache...) there at `/metrics`,
 * durations in seconds. Only the first call of a process counts (the runtime is installed once).
 */
export function installTemporalRuntime(
  level: LogLevel = 'WARN',
  logFunction?: ConstructorParameters<typeof DefaultLogger>[1],
  prometheusBindAddress?: string,
): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, logFunction),
    ...(prometheusBindAddress
      ? {
          telemetryOptions: {
            metrics: { prometheus: { bindAddress: prometheusBindAddress, useSecondsForDurations: true } },
          },
        }
      : {}),
  });
}
