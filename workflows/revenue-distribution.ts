/**
 * `revenue-distribution:{YYYY-MM}` (DESIGN §5): draft with sources → snapshot of Revenue Pass
 * owners at one slot, in chunks (progress in the `status` query and `snapshot_done`) → per-pass
 * amount and dust over the passes held → await `approve` from `approvalsRequired` DISTINCT
 * admins → optionally verify the treasury funding transaction → open claims and e-mail
 * holders → close after the claim window or on `close`, recording the unclaimed total.
 * `cancel` is accepted until the claims open.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SnapshotChunk } from '../activities/revenue';
import { BusinessStatus, DistributionMonth } from '../src/temporal/search-attributes';
import {
  approveUpdate,
  cancelUpdate,
  closeUpdate,
  distributionStatusQuery,
  type DistributionState,
  type DistributionStatus,
  type RevenueDistributionInput,
} from './revenue.api';
import { databaseStep, fundingCheck, snapshotStep, startDeliveries } from './activity-options';

const {
  createRevenueDistribution,
  startRevenueSnapshot,
  finishRevenueSnapshot,
  recordRevenueApproval,
  cancelRevenueDistribution,
  openRevenueClaims,
  closeRevenueDistribution,
} = proxyActivities<Activities>(databaseStep);
const { snapshotPassChunk } = proxyActivities<Activities>(snapshotStep);
const { verifyRevenueFunding } = proxyActivities<Activities>(fundingCheck);
const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

/** Outbox ids handed to one start-deliveries activity. */
const DELIVERY_BATCH = 500;

const reject = (message: string) =>
  ApplicationFailure.create({ type: 'InvalidDistributionState', message, nonRetryable: true });

export async function revenueDistribution(input: RevenueDistributionInput): Promise<DistributionState> {
  const state: DistributionState = {
    month: input.month,
    status: 'draft',
    currency: input.currency,
    totalRevenueBaseUnits: '0',
    distributionAmountBaseUnits: '0',
    perPassAmountBaseUnits: null,
    dustBaseUnits: null,
    passCount: null,
    snapshot: { slot: null, done: 0, total: 0, holders: 0 },
    approvals: [],
    approvalsRequired: input.approvalsRequired,
    fundingSignature: input.fundingSignature,
    claimDeadline: null,
    closeRequested: false,
    unclaimedBaseUnits: null,
    cancelReason: null,
  };
  /** Admins whose approval is accepted (set before its activity runs, so a duplicate is seen at once). */
  const approvers = new Set<string>();
  let cancelling = false;
  let opening = false;
  let fundingError: string | null = null;

  const setStatus = (status: DistributionStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: BusinessStatus, value: status }]);
  };
  const cancelled = () => cancelling || state.status === 'cancelled';

  setHandler(distributionStatusQuery, () => state);

  setHandler(
    approveUpdate,
    async ({ adminWallet, fundingSignature }) => {
      if (fundingSignature) {
        state.fundingSignature = fundingSignature;
        fundingError = null;
      }
      if (!approvers.has(adminWallet)) {
        approvers.add(adminWallet);
        const at = new Date().toISOString();
        await recordRevenueApproval(input.month, adminWallet, at);
        state.approvals.push({ wallet: adminWallet, at });
      }
      return state;
    },
    {
      validator: ({ adminWallet, fundingSignature }) => {
        if (typeof adminWallet !== 'string' || adminWallet.length === 0)
          throw reject('adminWallet is required');
        if (cancelled()) throw reject('the distribution is cancelled');
        if (state.status !== 'awaiting_approval' || opening) {
          throw reject(
            `only a distribution awaiting approval can be approved; ${input.month} is ${state.status}`,
          );
        }
        // A repeat approval counts once; it is accepted only to supply a new funding transaction.
        const resupplyingFunding = fundingError !== null && !!fundingSignature;
        if (approvers.has(adminWallet) && !resupplyingFunding) {
          throw ApplicationFailure.create({
            type: 'DuplicateApproval',
            message: `${adminWallet} has already approved ${input.month}; ${input.approvalsRequired} distinct admins must approve`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      cancelling = true;
      await cancelRevenueDistribution(input.month);
      state.cancelReason = reason ?? 'cancelled by an admin';
      setStatus('cancelled');
      return state;
    },
    {
      validator: (_input) => {
        if (cancelling || state.status === 'cancelled') throw reject('the distribution is already cancelled');
        if (opening || state.status === 'open' || state.status === 'closed') {
          throw reject(
            `claims have opened: ${input.month} can no longer be cancelled (status ${state.status})`,
          );
        }
      },
    },
  );

  setHandler(
    closeUpdate,
    async () => {
      state.closeRequested = true;
      await condition(() => state.status === 'closed');
      return state;
    },
    {
      validator: () => {
        if (state.status !== 'open')
          throw reject(`only open claims can be closed; ${input.month} is ${state.status}`);
      },
    },
  );

  // The story.
  upsertSearchAttributes([
    { key: DistributionMonth, value: input.month },
    { key: BusinessStatus, value: 'draft' },
  ]);
  const totals = await createRevenueDistribution(input);
  state.totalRevenueBaseUnits = totals.totalRevenueBaseUnits;
  state.distributionAmountBaseUnits = totals.distributionAmountBaseUnits;
  if (cancelled()) return finish();

  const start = await startRevenueSnapshot(input.month);
  if (cancelled()) return finish();
  setStatus('snapshotting');
  state.snapshot.slot = start.slot;
  state.snapshot.total = start.total;
  let afterMint: string | null = null;
  for (;;) {
    const chunk: SnapshotChunk = await snapshotPassChunk(
      input.month,
      start.slot,
      afterMint,
      input.snapshotChunkSize,
      state.snapshot.done,
    );
    state.snapshot.done += chunk.resolved;
    state.snapshot.holders += chunk.holders;
    if (cancelled() || chunk.lastMint === null || chunk.resolved < input.snapshotChunkSize) break;
    afterMint = chunk.lastMint;
  }
  if (cancelled()) return finish();
  const split = await finishRevenueSnapshot(input.month);
  if (cancelled()) return finish();
  state.passCount = split.passCount;
  if (split.passCount === 0) {
    // Nothing can be paid: no listed pass was held at the snapshot.
    cancelling = true;
    await cancelRevenueDistribution(input.month);
    state.cancelReason = 'no Revenue Pass was held at the snapshot';
    setStatus('cancelled');
    return finish();
  }
  state.perPassAmountBaseUnits = split.perPassAmountBaseUnits;
  state.dustBaseUnits = split.dustBaseUnits;
  setStatus('awaiting_approval');

  // Approval, then the optional funding check (a failed one waits for a new signature).
  for (;;) {
    await condition(
      () => cancelled() || (state.approvals.length >= input.approvalsRequired && fundingError === null),
    );
    if (cancelled()) return finish();
    if (!state.fundingSignature) break;
    try {
      await verifyRevenueFunding(input.month, state.fundingSignature);
      break;
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : err;
      fundingError = cause instanceof Error ? cause.message : String(cause);
      state.fundingSignature = null;
    }
  }
  if (cancelled()) return finish();

  opening = true;
  const claimDeadline = new Date(Date.now() + input.claimWindowMs).toISOString();
  const { emailIds } = await openRevenueClaims(input.month, claimDeadline);
  state.claimDeadline = claimDeadline;
  setStatus('open');
  for (let i = 0; i < emailIds.length; i += DELIVERY_BATCH) {
    await startEmailDeliveryWorkflows(emailIds.slice(i, i + DELIVERY_BATCH));
  }

  await condition(() => state.closeRequested, Math.max(0, new Date(claimDeadline).getTime() - Date.now()));
  const closed = await closeRevenueDistribution(input.month);
  state.unclaimedBaseUnits = closed.unclaimedBaseUnits;
  setStatus('closed');
  return finish();

  async function finish(): Promise<DistributionState> {
    await condition(allHandlersFinished);
    return state;
  }
}
