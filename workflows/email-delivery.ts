/**
 * Delivery of outbox e-mails (DESIGN §7). Why Temporal rather than a worker loop polling
 * the table: each row's retries, backoff (including a provider's Retry-After, through the
 * activity's `nextRetryDelay`) and final outcome are durable and visible per e-mail in the
 * Web UI (`email-delivery:<rowId>`, BusinessStatus), we reuse the worker fleet and retry
 * machinery every other process already uses, and there is no leader election or lease code
 * of our own. Exactly-once does not rest on Temporal: the row's claim (see src/email/sender.ts)
 * guards it, so an extra run for the same row is harmless.
 *
 * - `emailDelivery` — one run per row: `sendOutboxEmail` (claim → provider) with the retry
 *   policy from config; then `recordEmailSent` as a separate activity, so a database hiccup
 *   after the provider accepted is retried on its own and never re-sends. A refusal, an
 *   unknown outcome that cannot be safely resent, or exhausted attempts end in
 *   `recordEmailFailure`. The run completes normally in every case (the outcome is the
 *   business result, not a workflow failure) with BusinessStatus = the row's final status.
 * - `emailOutboxSweeper` — a long-running loop (continue-as-new) that starts deliveries for
 *   rows nobody started: enqueued while Temporal was unreachable, or left `sending` by a run
 *   that was terminated. A loop rather than a Schedule because the interval then comes from
 *   the worker's config on every sweep (no schedule to update on deploy) and tests can run
 *   it at a 200 ms pace.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  continueAsNew,
  isCancellation,
  proxyActivities,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EmailActivities } from '../activities/email';
import { BusinessStatus } from '../src/temporal/search-attributes';
import { databaseStep } from './activity-options';

/** Retry settings of the send activity, from config (`emailRetrySettings`). */
export interface EmailRetrySettings {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  /** The provider call's own timeout; the activity gets this plus a margin. */
  sendTimeoutMs: number;
}

export interface EmailDeliveryInput {
  emailId: string;
  retry: EmailRetrySettings;
}

export type EmailDeliveryStatus = 'sent' | 'failed' | 'suppressed' | 'missing';

export interface EmailDeliveryResult {
  emailId: string;
  status: EmailDeliveryStatus;
  providerMessageId?: string | null;
  /** Why it failed. */
  reason?: string;
}

// Recording must eventually succeed (the database comes back); it is cheap and idempotent.
const { recordEmailSent, recordEmailFailure } = proxyActivities<EmailActivities>(databaseStep);

const { sweepEmailOutbox } = proxyActivities<EmailActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export async function emailDelivery({ emailId, retry }: EmailDeliveryInput): Promise<EmailDeliveryResult> {
  const { sendOutboxEmail } = proxyActivities<EmailActivities>({
    startToCloseTimeout: retry.sendTimeoutMs + 30_000,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: retry.maximumAttempts,
    },
  });

  let sent;
  try {
    sent = await sendOutboxEmail(emailId);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const reason = failureReason(err, retry.maximumAttempts);
    await recordEmailFailure(emailId, reason);
    return finish({ emailId, status: 'failed', reason });
  }
  if (sent.kind === 'not-claimable') return finish({ emailId, status: sent.status });
  await recordEmailSent(emailId, sent.providerMessageId);
  return finish({ emailId, status: 'sent', providerMessageId: sent.providerMessageId });
}

function finish(result: EmailDeliveryResult): EmailDeliveryResult {
  upsertSearchAttributes([{ key: BusinessStatus, value: result.status }]);
  return result;
}

/** A refusal's own message; for exhausted retries, the last error and how many attempts. */
function failureReason(err: unknown, maximumAttempts: number): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return cause.message;
  if (cause instanceof TimeoutFailure) return `gave up after ${maximumAttempts} attempts: the send timed out`;
  const last = cause instanceof Error ? cause.message : String(cause);
  return `gave up after ${maximumAttempts} attempts: ${last}`;
}

export interface EmailOutboxSweeperInput {
  /** Sweeps per run before continue-as-new keeps the history short. */
  sweepsPerRun?: number;
}

export async function emailOutboxSweeper(input: EmailOutboxSweeperInput = {}): Promise<never> {
  const sweepsPerRun = input.sweepsPerRun ?? 500;
  for (let i = 0; i < sweepsPerRun && !workflowInfo().continueAsNewSuggested; i++) {
    const { nextSweepInMs } = await sweepEmailOutbox();
    await sleep(nextSweepInMs);
  }
  return continueAsNew<typeof emailOutboxSweeper>(input);
}
