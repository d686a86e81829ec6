/**
 * `burn-claim:{signature}` (DESIGN §5): like a purchase, for one transaction burning
 * stoned-rabbits NFTs: pending receipt, verification (burns of amount 1 authorised by the
 * signing wallet), then ONE transaction marks the mints burned (once ever) and issues
 * ticketsPerBurn tickets per mint.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId, WalletAddress } from '../src/temporal/search-attributes';
import type { BurnClaimInput, ReceiptOutcome } from './lottery.api';
import { chainVerification, databaseStep, startDeliveries } from './activity-options';
import { finish, rejectFor } from './receipt-outcome';

const { recordPendingReceipt, issueBurnTickets } = proxyActivities<Activities>(databaseStep);
const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

export async function burnClaim(input: BurnClaimInput): Promise<ReceiptOutcome> {
  upsertSearchAttributes([
    { key: RoundId, value: input.roundId },
    { key: WalletAddress, value: input.wallet },
    { key: BusinessStatus, value: 'pending' },
  ]);
  const { existing } = await recordPendingReceipt({
    signature: input.signature,
    kind: 'burn',
    roundId: input.roundId,
    wallet: input.wallet,
    currency: null,
    requestedTickets: null,
  });
  if (existing) return finish(existing);

  const { verifyBurnClaim } = proxyActivities<Activities>(chainVerification(input.verifyWindowMs));
  let outcome: ReceiptOutcome;
  try {
    const burned = await verifyBurnClaim(input);
    const { emailIds, ...issued } = await issueBurnTickets(input, burned);
    if (emailIds.length) await startEmailDeliveryWorkflows(emailIds);
    outcome = issued;
  } catch (err) {
    outcome = await rejectFor(input.signature, err);
  }
  return finish(outcome);
}
