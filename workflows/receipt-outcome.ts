/**
 * Steps shared by the purchase and burn workflows (ticket-purchase.ts, burn-claim.ts): opening
 * the receipt, turning a verification failure into a rejected receipt, starting the e-mails of
 * issued tickets, and publishing the outcome.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId, WalletAddress } from '../src/temporal/search-attributes';
import { workflowIds } from '../src/temporal/workflow-ids';
import { receiptConfirmingSignal, receiptDecidedSignal, type ReceiptOutcome } from './lottery.api';
import { chainFirstLook, chainGlance, databaseStep, startDeliveries } from './activity-options';

const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

/** The run's database steps and quick chain looks, as activities or as local activities. */
export type ReceiptSteps = Pick<
  Activities,
  | 'recordPendingReceipt'
  | 'releasePendingReceipt'
  | 'rejectReceipt'
  | 'issuePurchaseTickets'
  | 'issueBurnTickets'
  | 'sightReceipt'
>;

/** The steps from proxies (a proxy has no own keys to spread: each is taken by name). */
function stepsOf(database: Activities, glance: Activities): ReceiptSteps {
  return {
    recordPendingReceipt: database.recordPendingReceipt,
    releasePendingReceipt: database.releasePendingReceipt,
    rejectReceipt: database.rejectReceipt,
    issuePurchaseTickets: database.issuePurchaseTickets,
    issueBurnTickets: database.issueBurnTickets,
    sightReceipt: glance.sightReceipt,
  };
}
const regularSteps = stepsOf(
  proxyActivities<Activities>(databaseStep),
  proxyActivities<Activities>(chainGlance),
);
const localSteps = stepsOf(
  proxyLocalActivities<Activities>(databaseStep),
  proxyLocalActivities<Activities>(chainGlance),
);

/**
 * Issue 17: every activity of a purchase costs a server round trip and a workflow task, so the
 * database steps (short, idempotent, retried in place) and the quick chain look run as local
 * activities. Decided once at the run's start; runs recorded before keep regular activities.
 */
export function receiptSteps(): { steps: ReceiptSteps; local: boolean } {
  const local = patched('receipt-steps-local');
  return { steps: local ? localSteps : regularSteps, local };
}

/** The local first-attempt proxy of a verification activity (one try). */
export const firstLook = proxyLocalActivities<Activities>(chainFirstLook);

type PendingReceipt = Parameters<Activities['recordPendingReceipt']>[0];

/**
 * The run's first steps: its business keys for the Web UI, then the pending receipt. Answers
 * the outcome already recorded for this signature (a re-run), or null to go on verifying.
 */
export async function openReceipt(
  receipt: PendingReceipt,
  { recordPendingReceipt }: ReceiptSteps,
): Promise<ReceiptOutcome | null> {
  upsertSearchAttributes([
    { key: RoundId, value: receipt.roundId },
    { key: WalletAddress, value: receipt.wallet },
    { key: BusinessStatus, value: 'pending' },
  ]);
  const { existing } = await recordPendingReceipt(receipt);
  return existing ? finish(existing) : null;
}

const nothingToTell = async () => {};

/**
 * Issue 15 rule 4: the round's freeze waits (at most its grace period after the close) only
 * for submissions the chain already shows inside the sales window but not yet at the required
 * commitment. If this one is such, tell the round now; the answer is what to call once the
 * receipt is decided (or released), so the round stops waiting for it. Unknown signatures (a
 * bogus one, or a payment not sent yet) tell nothing and hold nothing. Runs recorded before
 * the patch told nothing: the round then polled the count of pending receipts instead.
 */
export async function holdFreezeWhileConfirming(
  roundId: string,
  signature: string,
  { sightReceipt }: ReceiptSteps,
): Promise<() => Promise<void>> {
  if (!patched('freeze-holds-only-seen-receipts')) return nothingToTell;
  let holdsFreeze = false;
  try {
    ({ holdsFreeze } = await sightReceipt(roundId, signature));
  } catch (err) {
    // The RPC did not answer a quick look: verification retries on its own; hold nothing.
    if (isCancellation(err)) throw err;
  }
  if (!holdsFreeze) return nothingToTell;
  const round = getExternalWorkflowHandle(workflowIds.lotteryRound(roundId));
  const tell = async (signal: SignalDefinition<[{ signature: string }]>) => {
    try {
      await round.signal(signal, { signature });
    } catch (err) {
      // The round's run has finished (or never existed): there is no freeze to hold.
      if (isCancellation(err)) throw err;
    }
  };
  await tell(receiptConfirmingSignal);
  return () => tell(receiptDecidedSignal);
}

/** Tickets were issued: start the e-mails the issue transaction queued. */
export async function deliverReceiptEmails({
  emailIds,
  ...outcome
}: ReceiptOutcome & { emailIds: string[] }): Promise<ReceiptOutcome> {
  if (emailIds.length) await startEmailDeliveryWorkflows(emailIds);
  return outcome;
}

/**
 * Refusals of the submission, not of the payment (who submitted it, or the currency they
 * named), each with the BusinessStatus it records.
 */
const SUBMISSION_REFUSALS = new Map([
  ['NotSignedByWallet', 'not-signed-by-wallet'],
  ['NotPaidByWallet', 'not-paid-by-wallet'],
  ['PaymentMethodMismatch', 'payment-method-mismatch'],
]);

/**
 * A verification failure as the run's end. A refusal (the submitter is not the payer, named
 * the wrong currency or amount, sent a burn to the purchase route, or a transaction that paid
 * nothing) says nothing against anyone's payment: the signature is released (the run fails,
 * and the API's reuse policy lets a failed run's id start again) so its payer can still claim
 * it, or the submitter correct the request. Only an outcome that honours the payment for its
 * payer (tickets, or a refund owed) consumes a signature, and those are decided on issue.
 */
export async function rejectFor(
  signature: string,
  err: unknown,
  { releasePendingReceipt, rejectReceipt }: ReceiptSteps,
): Promise<ReceiptOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const named = cause instanceof ApplicationFailure ? SUBMISSION_REFUSALS.get(cause.type ?? '') : undefined;
  const refusal =
    named ??
    (cause instanceof ApplicationFailure && cause.nonRetryable && patched('verification-refusals-release')
      ? 'refused'
      : undefined);
  if (cause instanceof ApplicationFailure && refusal !== undefined) {
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
    // Before the patch: a verification failure was recorded as a rejected receipt.
    const outcome = await rejectReceipt(signature, cause.type ?? 'Rejected', cause.message);
    const details: unknown = cause.details?.[0];
    return {
      ...outcome,
      details: details && typeof details === 'object' ? (details as Record<string, unknown>) : null,
    };
  }
  const notFound = `transaction ${signature} was not found at the required commitment within the verification window`;
  if (patched('not-found-is-not-final')) {
    // Not seen yet says nothing against the payment: it may still land (a durable nonce, a
    // congested cluster), and a stranger who learned the signature early must not burn it.
    // Release it, so a later submission verifies it afresh (tickets, or late and refunded).
    await releasePendingReceipt(signature);
    upsertSearchAttributes([{ key: BusinessStatus, value: 'not-found' }]);
    throw ApplicationFailure.create({
      type: 'TransactionNotFound',
      message: `${notFound}; submit it again once it has landed`,
      nonRetryable: true,
    });
  }
  // Before the patch: a transaction not found by now was taken never to land.
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
