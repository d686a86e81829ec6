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
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, DistributionMonth, WalletAddress } from '../src/temporal/search-attributes';
import { databaseStep, payoutFirstTry, payoutSend } from './activity-options';
import { tryLocallyFirst } from './local-first';

// The database steps run as local activities (no activity task round trip through the
// server, which is what bounds claims per second); the payout's fallback is a regular,
// heartbeating activity with its retry policy.
const { markRevenueClaimPaid } = proxyLocalActivities<Activities>(databaseStep);
const { sendPayout, payRevenueClaim } = proxyActivities<Activities>(payoutSend);
const { sendPayout: sendPayoutLocally, payRevenueClaim: payRevenueClaimLocally } =
  proxyLocalActivities<Activities>(payoutFirstTry);

/**
 * Issue 17: the payout is first tried once as a local activity, so a claim usually takes one
 * workflow task (record, pay, mark paid) instead of two and no activity task round trip. The
 * exactly-once protocol is the same either way: whatever the local try left (nothing, signed
 * bytes, a send) the regular activity resumes from; a permanent failure is final from either.
 * `revenueWalletClaim` runs recorded before 'claim-payout-local-first' go straight to the
 * regular activity.
 */
const payClaimPayout = (key: string, localFirst: boolean) =>
  tryLocallyFirst(localFirst ? () => sendPayoutLocally(key) : null, () => sendPayout(key));

const status = (value: string) => upsertSearchAttributes([{ key: BusinessStatus, value }]);

/**
 * How a claim type reports: `stepwise` (revenueClaim, revenueWalletClaim, as their runs were
 * recorded) upserts month, wallet and each status as it goes, with the local first try behind
 * a patch. `final` (revenueWalletClaimV2): a claim usually runs in ONE workflow task, and every
 * upsert in it reaches the server in that task's completion, each an event and a visibility
 * write, though only the last can ever be seen (a patch marker adds one more, for its
 * TemporalChangeVersion). So month, wallet and 'recording' come with the start (the API sets
 * them; a start without them still upserts them), 'paying' is said only when the payout goes
 * on as the regular activity (the run then waits across tasks), and there is no patch: one
 * upsert ('paid') per run instead of four. Its payout and the claims marked paid are one
 * activity (`payRevenueClaim`), first tried locally as above: two local activities per run.
 */
export type ClaimReporting = 'stepwise' | 'final';

/** Runs `record`, then pays its payout `key` once; returns what was recorded and the signature. */
export async function recordAndPayClaim<Recorded extends { key: string }>(
  input: { month: string; requestedBy: string },
  record: () => Promise<Recorded>,
  reporting: ClaimReporting = 'stepwise',
): Promise<{ recorded: Recorded; signature: string }> {
  const final = reporting === 'final';
  if (!final || workflowInfo().typedSearchAttributes.get(BusinessStatus) === undefined) {
    upsertSearchAttributes([
      { key: DistributionMonth, value: input.month },
      { key: WalletAddress, value: input.requestedBy },
      { key: BusinessStatus, value: 'recording' },
    ]);
  }
  let recorded;
  try {
    recorded = await record();
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) {
      status('rejected');
      throw ApplicationFailure.create({
        type: cause.type ?? 'ClaimRejected',
        message: cause.message,
        nonRetryable: true,
      });
    }
    throw err;
  }
  let sent;
  if (final) {
    const key = recorded.key;
    sent = await tryLocallyFirst(
      () => payRevenueClaimLocally(key),
      () => {
        status('paying');
        return payRevenueClaim(key);
      },
    );
  } else {
    status('paying');
    sent = await payClaimPayout(recorded.key, patched('claim-payout-local-first'));
    await markRevenueClaimPaid(recorded.key, sent.signature);
  }
  status('paid');
  return { recorded, signature: sent.signature };
}
