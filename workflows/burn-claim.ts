/**
 * `burn-claim:{signature}` (DESIGN §5): like a purchase, for one transaction burning
 * stoned-rabbits NFTs: pending receipt, the round told if the transaction is confirming, verification (burns of amount 1 authorised by the
 * signing wallet), then ONE transaction marks the mints burned (once ever) and issues
 * ticketsPerBurn tickets per mint.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BurnClaimInput, ReceiptOutcome } from './lottery.api';
import { chainVerification, databaseStep } from './activity-options';
import {
  deliverReceiptEmails,
  finish,
  holdFreezeWhileConfirming,
  openReceipt,
  rejectFor,
} from './receipt-outcome';

const { issueBurnTickets } = proxyActivities<Activities>(databaseStep);

export async function burnClaim(input: BurnClaimInput): Promise<ReceiptOutcome> {
  const existing = await openReceipt({
    signature: input.signature,
    kind: 'burn',
    roundId: input.roundId,
    wallet: input.wallet,
    currency: null,
    requestedTickets: null,
  });
  if (existing) return existing;
  const decided = await holdFreezeWhileConfirming(input.roundId, input.signature);
  try {
    const { verifyBurnClaim } = proxyActivities<Activities>(chainVerification(input.verifyWindowMs));
    let outcome: ReceiptOutcome;
    try {
      const burned = await verifyBurnClaim(input);
      outcome = await deliverReceiptEmails(await issueBurnTickets(input, burned));
    } catch (err) {
      outcome = await rejectFor(input.signature, err);
    }
    return finish(outcome);
  } finally {
    await decided();
  }
}
