/**
 * `revenue-wallet-claim:{month}:{wallet}:{batch}` (DESIGN §5): one wallet's claim of a month's
 * passes in one request, paid as ONE payout (key `claim:<month>:<wallet>:<batch>`) for every
 * pass it held at the snapshot that nobody claimed before, with a claim row per pass pointing
 * at that payout. Records the claims and the payout row in one transaction, sends the payout
 * exactly once through the payout path, and marks the claims paid. Passes it does not pay come
 * back with their reason; when none is left to pay the run fails with the first refusal's type
 * (a later claim may start a fresh run: ALLOW_DUPLICATE_FAILED_ONLY). Replaces `revenueClaim`
 * (one payout per pass), whose runs still finish as they started.
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
import type { RevenueWalletClaimInput, WalletClaimOutcome } from './revenue.api';
import { databaseStep, payoutSend } from './activity-options';

// The database steps run as local activities (no activity task round trip through the
// server); the payout stays a regular, heartbeating activity.
const { recordRevenueWalletClaim, markRevenueClaimPaid } = proxyLocalActivities<Activities>(databaseStep);
const { sendPayout } = proxyActivities<Activities>(payoutSend);

export async function revenueWalletClaim(input: RevenueWalletClaimInput): Promise<WalletClaimOutcome> {
  upsertSearchAttributes([
    { key: DistributionMonth, value: input.month },
    { key: WalletAddress, value: input.requestedBy },
    { key: BusinessStatus, value: 'recording' },
  ]);
  let recorded;
  try {
    recorded = await recordRevenueWalletClaim(input);
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
    wallet: recorded.recipient,
    currency: recorded.currency,
    perPassAmountBaseUnits: recorded.perPassAmountBaseUnits,
    amountBaseUnits: recorded.amountBaseUnits,
    payoutKey: recorded.key,
    signature: sent.signature,
    passMints: recorded.passMints,
    refused: recorded.refused,
  };
}
