/**
 * `revenue-claim:{month}:{passMint}` (DESIGN §5): records the claim and its payout row (key
 * `claim:<month>:<mint>`, recipient = the pass's owner at the SNAPSHOT) in one transaction,
 * sends the payout exactly once through the payout path, and marks the claim paid. A refused
 * claim (not open, closed, not the snapshot owner...) fails the run with that failure type,
 * so a later claim of the same pass can start a fresh run (ALLOW_DUPLICATE_FAILED_ONLY);
 * a paid claim completes and every later start joins its result.
 *
 * No longer started: claims are paid once per wallet batch (`revenueWalletClaim`); kept
 * registered so runs started before finish (and their histories replay).
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ClaimOutcome, RevenueClaimInput } from './revenue.api';
import { databaseStep } from './activity-options';
import { recordAndPayClaim } from './claim-payout';

const { recordRevenueClaim } = proxyLocalActivities<Activities>(databaseStep);

export async function revenueClaim(input: RevenueClaimInput): Promise<ClaimOutcome> {
  const { recorded, signature } = await recordAndPayClaim(input, () => recordRevenueClaim(input));
  return {
    month: input.month,
    passMint: input.passMint,
    wallet: recorded.recipient,
    currency: recorded.currency,
    amountBaseUnits: recorded.amountBaseUnits,
    payoutKey: recorded.key,
    signature,
  };
}
