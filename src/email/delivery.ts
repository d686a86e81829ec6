/**
 * Starting outbox deliveries from outside a workflow (API handlers, activities, CLIs).
 * Design and reasons: workflows/email-delivery.ts.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { startWorkflow } from '../temporal/calls';
import { workflowIds } from '../temporal/workflow-ids';
import type { EmailRetrySettings } from '../../workflows/email.api';

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
 * committed, with policy `rerun`: a start while that run is still going joins it; a start after
 * it finished runs again and finds nothing to do unless the row is pending (so a requeued row
 * can be delivered again). Suppressed rows are fine to pass: their run ends at once.
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
        startWorkflow(client, taskQueue, 'emailDelivery', {
          workflowId: workflowIds.emailDelivery(emailId),
          args: [{ emailId, retry }],
          policy: 'rerun',
          summary: `Outbox e-mail ${emailId}`,
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
): Promise<void> {
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  await startWorkflow(client, taskQueue, 'emailOutboxSweeper', {
    workflowId: workflowIds.emailOutboxSweeper(taskQueue),
    args: [{}],
    policy: 'rerun',
    summary: 'Starts deliveries for outbox e-mails nobody started',
  });
}
