import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** Routes the Temporal SDK's own logs through one level (once per process), optionally to `logFunction`. */
export function installTemporalRuntime(
  level: LogLevel = 'WARN',
  logFunction?: ConstructorParameters<typeof DefaultLogger>[1],
): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level, logFunction) });
}
