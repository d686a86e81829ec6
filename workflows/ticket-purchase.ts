/**
 * `ticket-purchase:{signature}` (DESIGN §5): the pending receipt first (it counts against the
 * wallet's cap of submissions verifying at once), the round told if the chain already shows
 * the transaction confirming (so its freeze waits for it), then on-chain verification (first tried once as a local activity) retried until the transaction is at
 * the configured commitment (NotFoundYet is transient) within the verification window, then
 * ONE transaction that decides it: tickets, late, or rejected. The run completes with the
 * business outcome (BusinessStatus = accepted | late | rejected); a resubmitted signature
 * gets the same run's result.
 */
import { proxyActivities } from '@temporalio/workflow';
import { tryLocallyFirst } from './local-first';
import type { Activities } from '../activities';
import type { ReceiptOutcome, TicketPurchaseInput } from './lottery.api';
import { chainVerification } from './activity-options';
import {
  deliverReceiptEmails,
  finish,
  firstLook,
  holdFreezeWhileConfirming,
  openReceipt,
  receiptSteps,
  rejectFor,
} from './receipt-outcome';

export async function ticketPurchase(input: TicketPurchaseInput): Promise<ReceiptOutcome> {
  const { steps, local } = receiptSteps();
  const existing = await openReceipt(
    {
      signature: input.signature,
      kind: 'purchase',
      roundId: input.roundId,
      wallet: input.wallet,
      currency: input.currency,
      requestedTickets: input.ticketCount,
    },
    steps,
  );
  if (existing) return existing;
  const decided = await holdFreezeWhileConfirming(input.roundId, input.signature, steps);
  try {
    const { verifyPurchasePayment } = proxyActivities<Activities>(chainVerification(input.verifyWindowMs));
    let paid;
    try {
      paid = await tryLocallyFirst(local ? () => firstLook.verifyPurchasePayment(input) : null, () =>
        verifyPurchasePayment(input),
      );
    } catch (err) {
      return finish(await rejectFor(input.signature, err, steps));
    }
    return finish(await deliverReceiptEmails(await steps.issuePurchaseTickets(input, paid)));
  } finally {
    await decided();
  }
}
