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

/**
 * Refusals of the submission, not of the payment (who submitted it, or the currency they
 * named), each with the BusinessStatus it records.
 */
const SUBMISSION_REFUSALS = new Map([
  ['NotSignedByWallet', 'not-signed-by-wallet'],
  ['NotPaidByWallet', 'not-paid-by-wallet'],
  ['PaymentMethodMismatch', 'payment-method-mismatch'],
]);

/** Records the receipt rejected with the failure's type and message. */
export async function rejectFor(signature: string, err: unknown): Promise<ReceiptOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const refusal = cause instanceof ApplicationFailure ? SUBMISSION_REFUSALS.get(cause.type ?? '') : undefined;
  if (cause instanceof ApplicationFailure && refusal !== undefined) {
    // Says nothing against the payment, only about the submission: release the signature so
    // its real payer can still claim it, or the submitter correct the currency (the run fails,
    // and the API's reuse policy lets a failed run's id start again), instead of letting
    // anyone burn other people's payments.
    await releasePendingReceipt(signature);
    upsertSearchAttributes([{ key: BusinessStatus, value: refusal }]);
    throw ApplicationFailure.create({
      type: cause.type ?? undefined,
      message: cause.message,
      nonRetryable: true,
      details: cause.details ?? undefined,
    });
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
