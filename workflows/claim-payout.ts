/**
 * The shape every revenue claim run has: record the claim (a local activity; a refusal fails
 * the run non-retryably with its own type), send its payout exactly once, mark it paid, with
 * the run's BusinessStatus at each step. The claim types differ only in what they record.
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
import { databaseStep, payoutSend } from './activity-options';

// The database steps run as local activities (no activity task round trip through the
// server, which is what bounds claims per second); the payout stays a regular, heartbeating activity.
const { markRevenueClaimPaid } = proxyLocalActivities<Activities>(databaseStep);
const { sendPayout } = proxyActivities<Activities>(payoutSend);

/** Runs `record`, then pays its payout `key` once; returns what was recorded and the signature. */
export async function recordAndPayClaim<Recorded extends { key: string }>(
  input: { month: string; requestedBy: string },
  record: () => Promise<Recorded>,
): Promise<{ recorded: Recorded; signature: string }> {
  upsertSearchAttributes([
    { key: DistributionMonth, value: input.month },
    { key: WalletAddress, value: input.requestedBy },
    { key: BusinessStatus, value: 'recording' },
  ]);
  let recorded;
  try {
    recorded = await record();
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
  return { recorded, signature: sent.signature };
}
