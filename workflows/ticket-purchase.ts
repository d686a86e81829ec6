/**
 * `ticket-purchase:{signature}` (DESIGN §5): the pending receipt first (so the round waits
 * for it before freezing), then on-chain verification retried until the transaction is at
 * the configured commitment (NotFoundYet is transient) within the verification window, then
 * ONE transaction that decides it: tickets, late, or rejected. The run completes with the
 * business outcome (BusinessStatus = accepted | late | rejected); a resubmitted signature
 * gets the same run's result.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId, WalletAddress } from '../src/temporal/search-attributes';
import type { ReceiptOutcome, TicketPurchaseInput } from './lottery.api';
import { chainVerification, databaseStep, startDeliveries } from './activity-options';
import { finish, rejectFor } from './receipt-outcome';

const { recordPendingReceipt, issuePurchaseTickets } = proxyActivities<Activities>(databaseStep);
const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

export async function ticketPurchase(input: TicketPurchaseInput): Promise<ReceiptOutcome> {
  upsertSearchAttributes([
    { key: RoundId, value: input.roundId },
    { key: WalletAddress, value: input.wallet },
    { key: BusinessStatus, value: 'pending' },
  ]);
  const { existing } = await recordPendingReceipt({
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
  const { emailIds, ...outcome } = await issuePurchaseTickets(input, paid);
  if (emailIds.length) await startEmailDeliveryWorkflows(emailIds);
  return finish(outcome);
}
