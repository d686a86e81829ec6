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
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, DistributionMonth, WalletAddress } from '../src/temporal/search-attributes';
import type { ClaimOutcome, RevenueClaimInput } from './revenue.api';
import { databaseStep, payoutSend } from './activity-options';

// The database steps run as local activities: in the worker that runs the workflow, with no
// activity task round trip through the server, which is what bounds claims per second (the
// payout itself stays a regular, heartbeating activity).
const { recordRevenueClaim, markRevenueClaimPaid } = proxyLocalActivities<Activities>(databaseStep);
const { sendPayout } = proxyActivities<Activities>(payoutSend);

export async function revenueClaim(input: RevenueClaimInput): Promise<ClaimOutcome> {
  upsertSearchAttributes([
    { key: DistributionMonth, value: input.month },
    { key: WalletAddress, value: input.requestedBy },
    { key: BusinessStatus, value: 'recording' },
  ]);
  let recorded;
  try {
    recorded = await recordRevenueClaim(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) {
      upsertSearchAttributes([{ key: BusinessStatus, value: 'rejected' }]);
      throw ApplicationFailure.create({
        type: cause.type ?? 'ClaimRejected',
        message: cause.message,
        nonRetryable: true,
      });
    }
    throw err;
  }
  upsertSearchAttributes([{ key: BusinessStatus, value: 'paying' }]);
  const sent = await sendPayout(recorded.key);
  await markRevenueClaimPaid(recorded.key, sent.signature);
  upsertSearchAttributes([{ key: BusinessStatus, value: 'paid' }]);
  return {
    month: input.month,
    passMint: input.passMint,
    wallet: recorded.recipient,
    currency: recorded.currency,
    amountBaseUnits: recorded.amountBaseUnits,
    payoutKey: recorded.key,
    signature: sent.signature,
  };
}
