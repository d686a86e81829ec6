/**
 * `ticket-purchase:{signature}` (DESIGN §5): the pending receipt first (so the round waits
 * for it before freezing), then on-chain verification retried until the transaction is at
 * the configured commitment (NotFoundYet is transient) within the verification window, then
 * ONE transaction that decides it: tickets, late, or rejected. The run completes with the
 * business outcome (BusinessStatus = accepted | late | rejected); a resubmitted signature
 * gets the same run's result.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId, WalletAddress } from '../src/temporal/search-attributes';
import type { ReceiptOutcome, TicketPurchaseInput } from './lottery.api';
import { databaseStep, startDeliveries } from './activity-options';

const db = proxyActivities<Activities>(databaseStep);
const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

/** On-chain lookups retried until found or the verification window ends. */
export const chainVerification = (verifyWindowMs: number) =>
  ({
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: verifyWindowMs,
    retry: { initialInterval: '300ms', backoffCoefficient: 1.5, maximumInterval: '5s' },
  }) as const;

export async function ticketPurchase(input: TicketPurchaseInput): Promise<ReceiptOutcome> {
  upsertSearchAttributes([
    { key: RoundId, value: input.roundId },
    { key: WalletAddress, value: input.wallet },
    { key: BusinessStatus, value: 'pending' },
  ]);
  const { existing } = await db.recordPendingReceipt({
    signature: input.signature,
    kind: 'purchase',
    roundId: input.roundId,
    wallet: input.wallet,
    currency: input.currency,
    requestedTickets: input.ticketCount,
  });
  if (existing) return finish(existing);

  const { verifyPurchasePayment } = proxyActivities<Activities>(chainVerification(input.verifyWindowMs));
  let paid;
  try {
    paid = await verifyPurchasePayment(input);
  } catch (err) {
    return finish(await rejectFor(input.signature, err));
  }
  const issued = await db.issuePurchaseTickets(input, paid);
  const { emailIds, ...outcome } = issued;
  if (emailIds.length) await startEmailDeliveryWorkflows(emailIds);
  return finish(outcome);
}

/**
 * Refusals of the submission, not of the payment (who submitted it, or the currency they named),
 * each with the BusinessStatus it records.
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
    await db.releasePendingReceipt(signature);
    upsertSearchAttributes([{ key: BusinessStatus, value: refusal }]);
    throw ApplicationFailure.create({
      type: cause.type ?? undefined,
      message: cause.message,
      nonRetryable: true,
      details: cause.details ?? undefined,
    });
  }
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    const outcome = await db.rejectReceipt(signature, cause.type ?? 'Rejected', cause.message);
    const details = cause.details?.[0];
    return {
      ...outcome,
      details: details && typeof details === 'object' ? (details as Record<string, unknown>) : null,
    };
  }
  // Retries ran out (the window passed): a transaction not found by now never landed.
  return db.rejectReceipt(
    signature,
    'NotFound',
    `transaction ${signature} was not found at the required commitment within the verification window`,
  );
}

export function finish(outcome: ReceiptOutcome): ReceiptOutcome {
  upsertSearchAttributes([{ key: BusinessStatus, value: outcome.status }]);
  return outcome;
}
