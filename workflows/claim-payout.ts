/**
 * The shape every revenue claim run has: record the claim (a local activity; a refusal fails
 * the run non-retryably with its own type), send its payout exactly once, mark it paid, with
 * the run's BusinessStatus at each step. The claim types differ only in what they record.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, DistributionMonth, WalletAddress } from '../src/temporal/search-attributes';
import { databaseStep, payoutFirstTry, payoutSend } from './activity-options';
import { tryLocallyFirst } from './local-first';

// The database steps run as local activities (no activity task round trip through the
// server, which is what bounds claims per second); the payout's fallback is a regular,
// heartbeating activity with its retry policy.
const { markRevenueClaimPaid } = proxyLocalActivities<Activities>(databaseStep);
const { sendPayout } = proxyActivities<Activities>(payoutSend);
const { sendPayout: sendPayoutLocally } = proxyLocalActivities<Activities>(payoutFirstTry);

/**
 * Issue 17: the payout is first tried once as a local activity, so a claim usually takes one
 * workflow task (record, pay, mark paid) instead of two and no activity task round trip. The
 * exactly-once protocol is the same either way: whatever the local try left (nothing, signed
 * bytes, a send) the regular activity resumes from; a permanent failure is final from either.
 * Runs recorded before go straight to the regular activity.
 */
const payClaimPayout = (key: string) =>
  tryLocallyFirst(patched('claim-payout-local-first') ? () => sendPayoutLocally(key) : null, () =>
    sendPayout(key),
  );

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
  const sent = await payClaimPayout(recorded.key);
  await markRevenueClaimPaid(recorded.key, sent.signature);
  upsertSearchAttributes([{ key: BusinessStatus, value: 'paid' }]);
  return { recorded, signature: sent.signature };
}
