/**
 * `revenue-distribution:{YYYY-MM}` (DESIGN §5): draft with sources → snapshot of Revenue Pass
 * owners at one slot, in chunks (progress in the `status` query and `snapshot_done`) → per-pass
 * amount and dust over the passes held → await `approve` from `approvalsRequired` DISTINCT
 * admins → optionally verify the treasury funding transaction → publish the distribution memo
 * on chain (figures and allocation digest; anchored runs) → open claims and e-mail
 * holders → close after the claim window or on `close`, recording the unclaimed total.
 * `cancel` is accepted until the claims open.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
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
import { databaseStep, fundingCheck, payoutSend, snapshotStep, startDeliveries } from './activity-options';

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
const { publishDistributionMemo } = proxyActivities<Activities>(payoutSend);

/** Outbox ids handed to one start-deliveries activity. */
const DELIVERY_BATCH = 500;

const reject = (message: string) =>
  ApplicationFailure.create({ type: 'InvalidDistributionState', message, nonRetryable: true });

/** Input quoted in a message, never a megabyte of it. */
const preview = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** An activity's refusal as the update's own failure (its type and message), anything else as it is. */
function refusalOf(err: unknown): unknown {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure)) return err;
  return ApplicationFailure.create({
    type: cause.type ?? undefined,
    message: cause.message,
    nonRetryable: true,
  });
}

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
    memo: null,
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

  /** Where the approval stands, from the current state (for refusals). */
  const approvalProgress = (): string => {
    if (opening || state.status === 'open') return 'its claims are open';
    if (state.status === 'closed') return 'its claims have closed';
    if (approvers.size >= input.approvalsRequired)
      return `it has the ${input.approvalsRequired} distinct admin approval(s) it needs`;
    return `${approvers.size} of ${input.approvalsRequired} distinct admin approval(s) so far`;
  };
  /** Why a new approval cannot count now, or null when it can. */
  const approvalRefusal = (withFundingSignature: boolean): string | null => {
    if (opening || state.status === 'open' || state.status === 'closed')
      return `${input.month} is already approved: ${approvalProgress()}`;
    if (state.status !== 'awaiting_approval')
      return `${input.month} cannot be approved yet: it is ${state.status} (approval follows the pass-holder snapshot)`;
    if (approvers.size < input.approvalsRequired) return null;
    if (fundingError === null) {
      return `${input.month} is already approved by ${approvers.size} admin(s): ${
        state.fundingSignature ? 'its funding transaction is being verified' : 'its claims are opening'
      }`;
    }
    return withFundingSignature
      ? null
      : `${input.month} is approved but its funding check failed (${fundingError}): approve with a new fundingSignature`;
  };

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
        try {
          // Refuses (NotAdminWallet) a wallet outside the worker's ADMIN_WALLETS: the check of
          // runs started without `adminWallets` in their input.
          await recordRevenueApproval(input.month, adminWallet, at);
        } catch (err) {
          approvers.delete(adminWallet);
          throw refusalOf(err);
        }
        state.approvals.push({ wallet: adminWallet, at });
      }
      return state;
    },
    {
      validator: ({ adminWallet, fundingSignature }) => {
        if (typeof adminWallet !== 'string' || adminWallet.length === 0)
          throw reject('adminWallet is required');
        if (input.adminWallets && !input.adminWallets.includes(adminWallet)) {
          throw ApplicationFailure.create({
            type: 'NotAdminWallet',
            message: `adminWallet: ${preview(adminWallet)} is not one of the admin wallets (ADMIN_WALLETS) ${input.month} was created with; only they can approve`,
            nonRetryable: true,
          });
        }
        if (cancelled()) throw reject(`${input.month} is cancelled: it can no longer be approved`);
        // A repeat approval counts once; it is accepted only to supply a new funding transaction.
        const resupplyingFunding = fundingError !== null && !!fundingSignature;
        if (approvers.has(adminWallet) && !resupplyingFunding) {
          throw ApplicationFailure.create({
            type: 'DuplicateApproval',
            message: `${adminWallet} has already approved ${input.month}; ${approvalProgress()}`,
            nonRetryable: true,
          });
        }
        const refusal = approvalRefusal(!!fundingSignature);
        if (refusal) throw reject(refusal);
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
  // What holders are paid is on chain before any claim is (verify-distribution --rpc checks it).
  if (input.anchored && patched('distribution-memo')) {
    const memo = await publishDistributionMemo(input.month);
    state.memo = { signature: memo.signature, slot: memo.slot };
  }
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
