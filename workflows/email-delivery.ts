/**
 * Delivery of outbox e-mails (DESIGN §7). Types: ./email.api.ts. Why Temporal rather than a worker loop polling
 * the table: each row's retries, backoff (including a provider's Retry-After, through the
 * activity's `nextRetryDelay`) and final outcome are durable and visible per e-mail in the
 * Web UI (`email-delivery:<rowId>`, BusinessStatus), we reuse the worker fleet and retry
 * machinery every other process already uses, and there is no leader election or lease code
 * of our own. Exactly-once does not rest on Temporal: the row's claim (see src/db/email/sending.ts)
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
import type { Activities } from '../activities';
import { BusinessStatus } from '../src/temporal/search-attributes';
import { databaseStep, emailSend, outboxSweep } from './activity-options';
import type { EmailDeliveryInput, EmailDeliveryResult, EmailOutboxSweeperInput } from './email.api';

// Recording must eventually succeed (the database comes back); it is cheap and idempotent.
const { recordEmailSent, recordEmailFailure } = proxyActivities<Activities>(databaseStep);
const { sweepEmailOutbox } = proxyActivities<Activities>(outboxSweep);

export async function emailDelivery({ emailId, retry }: EmailDeliveryInput): Promise<EmailDeliveryResult> {
  const { sendOutboxEmail } = proxyActivities<Activities>(emailSend(retry));

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

export async function emailOutboxSweeper(input: EmailOutboxSweeperInput = {}): Promise<never> {
  const sweepsPerRun = input.sweepsPerRun ?? 500;
  for (let i = 0; i < sweepsPerRun && !workflowInfo().continueAsNewSuggested; i++) {
    const { nextSweepInMs } = await sweepEmailOutbox();
    await sleep(nextSweepInMs);
  }
  return continueAsNew<typeof emailOutboxSweeper>(input);
}
