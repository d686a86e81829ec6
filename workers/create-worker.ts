import path from 'node:path';
import {
  Worker,
  bundleWorkflowCode,
  type NativeConnection,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { Config } from '../src/config';
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

export interface WorkerOptions {
  connection: NativeConnection;
  config: Config;
  deps: ActivityDeps;
  workflowBundle: WorkflowBundleOption;
  /** Override the task queue (tests use one per suite). */
  taskQueue?: string;
}

export function createWorker({ connection, config, deps, workflowBundle, taskQueue }: WorkerOptions) {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue ?? config.temporal.taskQueue,
    workflowBundle,
    activities: createActivities(deps),
    // Bounded concurrency sized for a 2-core machine; raise on bigger hosts.
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentWorkflowTaskExecutions: 40,
    shutdownGraceTime: '10s',
  });
}
