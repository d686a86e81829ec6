import path from 'node:path';
import type { Context } from '@temporalio/activity';
import {
  Worker,
  bundleWorkflowCode,
  type ActivityInboundCallsInterceptor,
  type NativeConnection,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { Config } from '../src/config';
import { activityFailures, failureTypeLabel } from '../src/metrics';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/** Bundles workflows/ once; workers share the bundle (tests bundle once per run). */
export async function bundleWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return { code };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** Counts each failed activity attempt by activity and failure type (activity_failures_total). */
function countActivityFailures(context: Context): { inbound: ActivityInboundCallsInterceptor } {
  return {
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          activityFailures.inc({ activity: context.info.activityType, type: failureTypeLabel(error) });
          throw error;
        }
      },
    },
  };
}

export interface WorkerOptions {
  connection: NativeConnection;
  config: Config;
  deps: ActivityDeps;
  workflowBundle: WorkflowBundleOption;
  /** Override the task queue (tests use one per suite). */
  taskQueue?: string;
  /** How the server names this worker's pollers (default: the SDK's `<pid>@<host>`). */
  identity?: string;
}

export function createWorker({
  connection,
  config,
  deps,
  workflowBundle,
  taskQueue,
  identity,
}: WorkerOptions) {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue ?? config.temporal.taskQueue,
    workflowBundle,
    ...(identity ? { identity } : {}),
    activities: createActivities(deps),
    interceptors: { activity: [countActivityFailures] },
    // Bounded concurrency sized for a 2-core machine; raise on bigger hosts.
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentWorkflowTaskExecutions: 40,
    shutdownGraceTime: '10s',
  });
}
