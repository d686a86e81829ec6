/**
 * `burn-claim:{signature}` (DESIGN §5): like a purchase, for one transaction burning
 * stoned-rabbits NFTs: pending receipt, the round told if the transaction is confirming, verification (burns of amount 1 authorised by the
 * signing wallet), then ONE transaction marks the mints burned (once ever) and issues
 * ticketsPerBurn tickets per mint.
 */
import { proxyActivities } from '@temporalio/workflow';
import { tryLocallyFirst } from './local-first';
import type { Activities } from '../activities';
import type { BurnClaimInput, ReceiptOutcome } from './lottery.api';
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

export async function burnClaim(input: BurnClaimInput): Promise<ReceiptOutcome> {
  const { steps, local } = receiptSteps();
  const existing = await openReceipt(
    {
      signature: input.signature,
      kind: 'burn',
      roundId: input.roundId,
      wallet: input.wallet,
      currency: null,
      requestedTickets: null,
    },
    steps,
  );
  if (existing) return existing;
  const decided = await holdFreezeWhileConfirming(input.roundId, input.signature, steps);
  try {
    const { verifyBurnClaim } = proxyActivities<Activities>(chainVerification(input.verifyWindowMs));
    let outcome: ReceiptOutcome;
    try {
      const burned = await tryLocallyFirst(local ? () => firstLook.verifyBurnClaim(input) : null, () =>
        verifyBurnClaim(input),
      );
      outcome = await deliverReceiptEmails(await steps.issueBurnTickets(input, burned));
    } catch (err) {
      outcome = await rejectFor(input.signature, err, steps);
    }
    return finish(outcome);
  } finally {
    await decided();
  }
}
