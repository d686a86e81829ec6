import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '@temporalio/activity';
import {
  Worker,
  bundleWorkflowCode,
  type ActivityInboundCallsInterceptor,
  type NativeConnection,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { WORKFLOW_TASK_SLOTS, type Config } from '../src/config';
import { PACKAGE_ROOT, PREBUILT_WORKFLOW_BUNDLE, RUNS_COMPILED } from '../src/package-root';
import { activityFailures, failureTypeLabel } from '../src/metrics';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = path.join(PACKAGE_ROOT, 'workflows', 'index.ts');

/** Bundles workflows/ once; workers share the bundle (tests bundle once per run). */
export async function bundleWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return { code };
}

/**
 * The bundle a worker process runs: `configured` (WORKFLOW_BUNDLE_PATH) if set; compiled
 * (dist/), the one `npm run build` wrote, so the worker does not load webpack at start; from
 * the sources (tsx), workflows/ bundled now.
 */
export async function workerWorkflowBundle(configured?: string): Promise<WorkflowBundleOption> {
  if (configured) return { codePath: configured };
  if (!RUNS_COMPILED) return bundleWorkflows();
  if (!fs.existsSync(PREBUILT_WORKFLOW_BUNDLE))
    throw new Error(`${PREBUILT_WORKFLOW_BUNDLE} is missing: run npm run build`);
  return { codePath: PREBUILT_WORKFLOW_BUNDLE };
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

/**
 * Bounded concurrency sized for a 2-core machine; raise on bigger hosts. A purchase runs its
 * steps as local activities inside ONE workflow task, which holds its slot all along: at 40
 * slots, 64 purchases in flight queued for slots with a core still idle. (The benches' ceiling
 * worker runs with the same.)
 */
export const WORKER_CONCURRENCY = {
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskExecutions: WORKFLOW_TASK_SLOTS,
} as const;

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
    ...WORKER_CONCURRENCY,
    // Memory, not concurrency: the SDK's default cache size follows the heap limit.
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    shutdownGraceTime: '10s',
  });
}
