/**
 * Starting outbox deliveries from outside a workflow (API handlers, activities, CLIs).
 * Design and reasons: workflows/email-delivery.ts.
 */
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../config';
import { workflowIds } from '../temporal/workflow-ids';
import type { emailDelivery, emailOutboxSweeper, EmailRetrySettings } from '../../workflows/email-delivery';

type EmailSettings = Pick<Config, 'email' | 'temporal'>;

/** Retry settings a delivery run gets, from config (EMAIL_RETRY_*, EMAIL_MAX_ATTEMPTS, EMAIL_SEND_TIMEOUT). */
export function emailRetrySettings(config: Pick<Config, 'email'>): EmailRetrySettings {
  return { ...config.email.retry, sendTimeoutMs: config.email.sendTimeoutMs };
}

/** Next attempt's delay as the retry policy computes it (attempt is 1-based), for `next_attempt_at`. */
export function emailBackoffMs(
  retry: Pick<EmailRetrySettings, 'initialIntervalMs' | 'maximumIntervalMs'>,
  attempt: number,
): number {
  return Math.min(retry.initialIntervalMs * 2 ** Math.max(0, attempt - 1), retry.maximumIntervalMs);
}

export interface StartDeliveriesOptions {
  /** Defaults to config.temporal.taskQueue. */
  taskQueue?: string;
}

const START_CONCURRENCY = 16;

/**
 * Starts `email-delivery:<id>` for each row id, after the transaction that enqueued them has
 * committed. A start while that run is still going is a no-op (USE_EXISTING); a start after it
 * finished runs again and finds nothing to do unless the row is pending (ALLOW_DUPLICATE, so a
 * requeued row can be delivered again). Suppressed rows are fine to pass: their run ends at once.
 *
 * Throws if some could not be started (Temporal unreachable). The rows are safe in the outbox
 * either way: the sweeper starts them within EMAIL_SWEEP_GRACE + EMAIL_SWEEP_INTERVAL, so a
 * caller in a request path may log the error and carry on.
 */
export async function startEmailDeliveries(
  client: Client,
  config: EmailSettings,
  emailIds: readonly string[],
  options: StartDeliveriesOptions = {},
): Promise<void> {
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const retry = emailRetrySettings(config);
  const ids = [...new Set(emailIds)];
  const failures: unknown[] = [];
  for (let i = 0; i < ids.length; i += START_CONCURRENCY) {
    const results = await Promise.allSettled(
      ids.slice(i, i + START_CONCURRENCY).map((emailId) =>
        client.workflow.start<typeof emailDelivery>('emailDelivery', {
          workflowId: workflowIds.emailDelivery(emailId),
          taskQueue,
          args: [{ emailId, retry }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          staticSummary: `Outbox e-mail ${emailId}`,
        }),
      ),
    );
    for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
  }
  if (failures.length) {
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    throw new Error(
      `could not start ${failures.length} of ${ids.length} e-mail deliveries (the sweeper will): ${first}`,
    );
  }
}

/**
 * Starts the outbox sweeper for the task queue unless it is running (idempotent: call it at
 * every worker start). Its pace comes from the worker's config on every sweep.
 */
export async function ensureEmailSweeper(
  client: Client,
  config: EmailSettings,
  options: StartDeliveriesOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof emailOutboxSweeper>> {
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  return client.workflow.start<typeof emailOutboxSweeper>('emailOutboxSweeper', {
    workflowId: workflowIds.emailOutboxSweeper(taskQueue),
    taskQueue,
    args: [{}],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: 'Starts deliveries for outbox e-mails nobody started',
  });
}
