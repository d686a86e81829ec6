/**
 * Revenue Pass activities (DESIGN §5), each one unit of work of src/db/revenue (or a chain
 * read between two of them) with its errors mapped: the distribution's steps (draft,
 * snapshot of pass owners in chunks, approvals, funding check, open with e-mails, close with
 * unclaimed totals, cancel) and the claim's (a wallet's claim rows + their one payout row in one
 * transaction, then marked paid). Every step is idempotent, so Temporal may retry it at any point.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { isChainError, toActivityFailure } from '../src/chain/errors';
import { rpcCall } from '../src/chain/rpc';
import { snapshotHolders, snapshotStrategyFor } from '../src/chain/snapshot';
import { verifyPayment } from '../src/chain/verify-payment';
import {
  markClaimPaid,
  recordClaim,
  recordWalletClaim,
  type RecordedClaim,
  type RecordedWalletClaim,
} from '../src/db/revenue/claims';
import {
  cancelDistribution,
  closeDistribution,
  distributionOf,
  finishSnapshot,
  openClaims,
  passMintsToSnapshot,
  recordApproval,
  recordDraftDistribution,
  recordFunding,
  recordSnapshotChunk,
  startSnapshot,
  type SnapshotSplit,
} from '../src/db/revenue/distributions';
import { isDomainError } from '../src/domain/errors';
import { computeDistribution } from '../src/domain/revenue/distribution';
import { CLAIM_FAILURE_TYPES, DISTRIBUTION_FAILURE_TYPES } from '../src/domain/revenue/vocabulary';
import { revenueSnapshotPasses } from '../src/metrics';
import type {
  RevenueClaimInput,
  RevenueDistributionInput,
  RevenueWalletClaimInput,
} from '../workflows/revenue.api';
import type { ActivityDeps } from './index';

interface SnapshotStart {
  slot: number;
  /** Listed Revenue Pass mints at the start. */
  total: number;
}

export interface SnapshotChunk {
  /** The last mint of this chunk (the next chunk starts after it), null when nothing was left. */
  lastMint: string | null;
  resolved: number;
  holders: number;
}

const REFUSALS = new Set<string>([...CLAIM_FAILURE_TYPES, ...DISTRIBUTION_FAILURE_TYPES]);

/**
 * The failure an activity throws: a chain error keeps its code and transience; a refusal of
 * src/db/revenue (its code is the failure type) is permanent; anything else is retried.
 */
function activityFailure(error: unknown): unknown {
  if (isChainError(error)) return toActivityFailure(error);
  if (isDomainError(error) && REFUSALS.has(error.code)) {
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
  }
  return error;
}
const rethrow = (error: unknown): never => {
  throw activityFailure(error);
};

export function createRevenueActivities(deps: ActivityDeps) {
  const { config, orm } = deps;
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(config, deps.logger));
  const em = () => orm.em.fork() as EntityManager;

  return {
    /** Writes the draft row (totals computed, per-pass amounts after the snapshot). Idempotent. */
    async createRevenueDistribution(
      input: RevenueDistributionInput,
    ): Promise<{ totalRevenueBaseUnits: string; distributionAmountBaseUnits: string }> {
      try {
        // One pass as a placeholder: the per-pass split is computed over the snapshot.
        const totals = computeDistribution({
          sources: input.sources.map((s) => ({ name: s.name, amountBaseUnits: BigInt(s.amountBaseUnits) })),
          shareBps: input.shareBps,
          passCount: 1,
        });
        const result = {
          totalRevenueBaseUnits: totals.totalRevenue.toString(),
          distributionAmountBaseUnits: totals.distributionAmount.toString(),
        };
        await recordDraftDistribution(em(), { ...input, ...result });
        return result;
      } catch (error) {
        if (isDomainError(error) && !isChainError(error)) {
          throw ApplicationFailure.create({
            type: REFUSALS.has(error.code) ? error.code : 'InvalidDistribution',
            message: error.message,
            nonRetryable: true,
          });
        }
        throw error;
      }
    },

    /** Fixes the snapshot slot (kept on retry) and counts the listed passes. */
    async startRevenueSnapshot(month: string): Promise<SnapshotStart> {
      const slot = await rpcCall('getSlot', () => chainDeps().connection.getSlot('finalized')).catch(rethrow);
      return startSnapshot(em(), month, slot).catch(rethrow);
    },

    /**
     * Resolves the owners of up to `limit` listed passes after `afterMint` (in mint order) at
     * the snapshot slot and writes them; heartbeats progress. Re-running a chunk rewrites nothing.
     */
    async snapshotPassChunk(
      month: string,
      slot: number,
      afterMint: string | null,
      limit: number,
      doneBefore: number,
    ): Promise<SnapshotChunk> {
      const { distributionId, mints } = await passMintsToSnapshot(em(), month, afterMint, limit).catch(
        rethrow,
      );
      if (mints.length === 0) return { lastMint: null, resolved: 0, holders: 0 };
      const context = Context.current();
      const snapshot = await snapshotHolders(chainDeps().connection, mints, {
        atSlot: slot,
        commitment: 'finalized',
        strategy: snapshotStrategyFor(chainDeps().endpoint),
        onProgress: (p) => context.heartbeat({ done: doneBefore + p.done }),
        signal: context.cancellationSignal,
      }).catch(rethrow);
      await recordSnapshotChunk(em(), distributionId, snapshot.holders, doneBefore + mints.length);
      revenueSnapshotPasses.inc(mints.length);
      return {
        lastMint: mints[mints.length - 1] ?? null,
        resolved: mints.length,
        holders: snapshot.holders.length,
      };
    },

    /** Per-pass amount and dust over the passes held at the snapshot; → awaiting_approval. */
    async finishRevenueSnapshot(month: string): Promise<SnapshotSplit> {
      return finishSnapshot(em(), month).catch(rethrow);
    },

    /**
     * Adds the admin's approval once (a second one by the same wallet is a no-op); a wallet
     * outside ADMIN_WALLETS never counts (NotAdminWallet), whoever sent the update.
     */
    async recordRevenueApproval(month: string, wallet: string, at: string): Promise<void> {
      if (!config.auth.adminWallets.includes(wallet)) {
        throw ApplicationFailure.create({
          type: 'NotAdminWallet',
          message: `adminWallet: ${JSON.stringify(wallet.slice(0, 60))} is not in ADMIN_WALLETS; only an admin can approve ${month}`,
          nonRetryable: true,
        });
      }
      await recordApproval(em(), month, wallet, at);
    },

    /**
     * The treasury funding transaction: signed by the treasury wallet, it moved at least the
     * amount to be paid (per-pass × passes) to the payout signer. Writes its signature.
     */
    async verifyRevenueFunding(month: string, signature: string): Promise<{ amountBaseUnits: string }> {
      const d = await distributionOf(em(), month).catch(rethrow);
      const c = chainDeps();
      if (!c.treasury) {
        throw ApplicationFailure.create({
          type: 'TreasuryNotConfigured',
          message: 'TREASURY_WALLET is not configured',
          nonRetryable: true,
        });
      }
      const paid = await verifyPayment(c.connection, signature, {
        wallet: c.treasury,
        currency: d.currency,
        treasury: c.payer().address,
        usdcMint: c.usdcMint,
        minAmountBaseUnits: d.perPass * BigInt(d.passCount),
        commitment: c.commitment,
      }).catch(rethrow);
      await recordFunding(em(), d.id, signature).catch(rethrow);
      return { amountBaseUnits: paid.amountBaseUnits.toString() };
    },

    /** Opens claims and queues `distributionAvailable` e-mails; returns the outbox rows to deliver. */
    async openRevenueClaims(month: string, claimDeadline: string): Promise<{ emailIds: string[] }> {
      return openClaims(em(), month, claimDeadline, config).catch(rethrow);
    },

    /** Closes claims; unclaimed = per-pass × passes with no claim recorded. Idempotent. */
    async closeRevenueDistribution(month: string): Promise<{ unclaimedBaseUnits: string }> {
      return closeDistribution(em(), month).catch(rethrow);
    },

    /** Cancels a distribution that has not opened; an open one cannot be cancelled. */
    async cancelRevenueDistribution(month: string): Promise<void> {
      await cancelDistribution(em(), month).catch(rethrow);
    },

    /** Records the claim and its payout row (to the SNAPSHOT owner) in one transaction. */
    async recordRevenueClaim(input: RevenueClaimInput): Promise<RecordedClaim> {
      return recordClaim(em(), input).catch(rethrow);
    },

    /**
     * Records a wallet's claim batch: a claim row per claimable pass, all pointing at one
     * payout row (perPass × those passes, to the wallet), in one transaction.
     */
    async recordRevenueWalletClaim(input: RevenueWalletClaimInput): Promise<RecordedWalletClaim> {
      return recordWalletClaim(em(), input).catch(rethrow);
    },

    /** Marks the claims of payout `key` paid with its signature; records `revenue.claim_paid` per pass. */
    async markRevenueClaimPaid(key: string, signature: string): Promise<void> {
      await markClaimPaid(em(), key, signature);
    },
  };
}
