/**
 * Helpers shared by the purchase and burn workflows (ticket-purchase.ts, burn-claim.ts):
 * turning a verification failure into a rejected receipt, and publishing the outcome.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus } from '../src/temporal/search-attributes';
import type { ReceiptOutcome } from './lottery.api';
import { databaseStep } from './activity-options';

const { releasePendingReceipt, rejectReceipt } = proxyActivities<Activities>(databaseStep);

/** Records the receipt rejected with the failure's type and message. */
export async function rejectFor(signature: string, err: unknown): Promise<ReceiptOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === 'NotSignedByWallet') {
    // Says nothing about the transaction, only about who submitted it: release the signature
    // so its real payer can still claim it (the run fails, and the API's reuse policy lets a
    // failed run's id start again), instead of letting anyone burn other people's payments.
    await releasePendingReceipt(signature);
    upsertSearchAttributes([{ key: BusinessStatus, value: 'not-signed-by-wallet' }]);
    throw ApplicationFailure.create({ type: cause.type, message: cause.message, nonRetryable: true });
  }
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    const outcome = await rejectReceipt(signature, cause.type ?? 'Rejected', cause.message);
    const details: unknown = cause.details?.[0];
    return {
      ...outcome,
      details: details && typeof details === 'object' ? (details as Record<string, unknown>) : null,
    };
  }
  // Retries ran out (the window passed): a transaction not found by now never landed.
  return rejectReceipt(
    signature,
    'NotFound',
    `transaction ${signature} was not found at the required commitment within the verification window`,
  );
}

/** The run's result: its business status goes to the search attributes too. */
export function finish(outcome: ReceiptOutcome): ReceiptOutcome {
  upsertSearchAttributes([{ key: BusinessStatus, value: outcome.status }]);
  return outcome;
}
