/**
 * Revenue Pass activities (DESIGN §5): the distribution's database steps (draft, snapshot of
 * pass owners in chunks, approvals, open with e-mails, close with unclaimed totals, cancel),
 * the optional funding check, and the claim steps (claim row + payout row in one
 * transaction, then marked paid). Every step is idempotent: `on conflict do nothing`,
 * status-guarded updates, and values that a retry recomputes to the same result.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { recordEvent } from '../src/analytics/record-event';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { toActivityFailure } from '../src/chain/errors';
import { createPayout } from '../src/chain/payout';
import { rpcCall } from '../src/chain/rpc';
import { snapshotHolders, snapshotStrategyFor } from '../src/chain/snapshot';
import { verifyPayment } from '../src/chain/verify-payment';
import { DomainError } from '../src/domain/errors';
import { computeDistribution } from '../src/domain/revenue/distribution';
import { enqueueEmail } from '../src/db/email/outbox';
import type { Currency } from '../src/domain/money';
import type {
  DistributionStatus,
  RevenueClaimInput,
  RevenueDistributionInput,
} from '../workflows/revenue.api';
import type { ActivityDeps } from './index';

type Row = Record<string, unknown>;

/** Snapshot rows written per insert statement. */
const SNAPSHOT_INSERT_BATCH = 1_000;

function nonRetryable(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details ? [details] : undefined,
  });
}

export const claimPayoutKey = (month: string, passMint: string) => `claim:${month}:${passMint}`;

export interface SnapshotStart {
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

export interface SnapshotResult {
  passCount: number;
  perPassAmountBaseUnits: string | null;
  dustBaseUnits: string | null;
}

export interface RecordedClaim {
  key: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
}

export function createRevenueActivities(deps: ActivityDeps) {
  const { config, orm } = deps;
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(config, deps.logger));
  const em = () => orm.em.fork() as EntityManager;

  async function sql<T extends Row>(tx: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
    return tx.getConnection().execute<T[]>(query, params, 'all', tx.getTransactionContext());
  }

  async function distribution(tx: EntityManager, month: string, lock = '') {
    const [row] = await sql(
      tx,
      `select id, status, currency, pass_count, per_pass_amount_base_units::text as per_pass,
              distribution_amount_base_units::text as distribution_amount, claim_deadline
         from revenue_distributions where month = ? ${lock}`,
      [month],
    );
    if (!row) throw nonRetryable('DistributionNotFound', `there is no revenue distribution for ${month}`);
    return {
      id: row.id as string,
      status: row.status as DistributionStatus,
      currency: row.currency as Currency,
      passCount: Number(row.pass_count),
      perPass: BigInt(row.per_pass as string),
      distributionAmount: BigInt(row.distribution_amount as string),
      claimDeadline: row.claim_deadline ? new Date(row.claim_deadline as string) : null,
    };
  }

  return {
    /** Writes the draft row (totals computed, per-pass amounts after the snapshot). Idempotent. */
    async createRevenueDistribution(
      input: RevenueDistributionInput,
    ): Promise<{ totalRevenueBaseUnits: string; distributionAmountBaseUnits: string }> {
      let totals;
      try {
        // One pass as a placeholder: the per-pass split is computed over the snapshot.
        totals = computeDistribution({
          sources: input.sources.map((s) => ({ name: s.name, amountBaseUnits: BigInt(s.amountBaseUnits) })),
          shareBps: input.shareBps,
          passCount: 1,
        });
      } catch (error) {
        if (error instanceof DomainError) throw nonRetryable('InvalidDistribution', error.message);
        throw error;
      }
      await em().transactional(async (tx) => {
        const inserted = await sql(
          tx,
          `insert into revenue_distributions (month, currency, total_revenue_base_units, share_bps,
             distribution_amount_base_units, per_pass_amount_base_units, sources, status, created_by)
           values (?, ?, ?::bigint, ?, ?::bigint, 0, ?::jsonb, 'draft', ?)
           on conflict (month) do nothing returning id`,
          [
            input.month,
            input.currency,
            totals.totalRevenue.toString(),
            input.shareBps,
            totals.distributionAmount.toString(),
            JSON.stringify(
              input.sources.map((s) => ({ name: s.name.trim(), amountBaseUnits: s.amountBaseUnits })),
            ),
            input.createdBy,
          ],
        );
        if (inserted.length > 0) {
          recordEvent(tx, {
            type: 'revenue.distribution_created',
            wallet: input.createdBy,
            metadata: {
              month: input.month,
              currency: input.currency,
              totalRevenueBaseUnits: totals.totalRevenue.toString(),
              distributionAmountBaseUnits: totals.distributionAmount.toString(),
            },
          });
        }
      });
      return {
        totalRevenueBaseUnits: totals.totalRevenue.toString(),
        distributionAmountBaseUnits: totals.distributionAmount.toString(),
      };
    },

    /** Fixes the snapshot slot (kept on retry) and counts the listed passes. */
    async startRevenueSnapshot(month: string): Promise<SnapshotStart> {
      const tx = em();
      const d = await distribution(tx, month);
      const slot = await rpcCall('getSlot', () => chainDeps().connection.getSlot('finalized')).catch(
        (e: unknown) => {
          throw toActivityFailure(e);
        },
      );
      await sql(
        tx,
        `update revenue_distributions set snapshot_slot = coalesce(snapshot_slot, ?), status = 'snapshotting',
           updated_at = now() where id = ? and status in ('draft', 'snapshotting')`,
        [slot, d.id],
      );
      const [row] = await sql(
        tx,
        `select snapshot_slot::text as slot, (select count(*)::int from nft_mints where collection = 'revenue-pass') as total
           from revenue_distributions where id = ?`,
        [d.id],
      );
      return { slot: Number(row?.slot ?? slot), total: Number(row?.total ?? 0) };
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
      const tx = em();
      const d = await distribution(tx, month);
      const rows = await sql<{ mint_address: string }>(
        tx,
        `select mint_address from nft_mints where collection = 'revenue-pass' and mint_address > ?
          order by mint_address limit ?`,
        [afterMint ?? '', limit],
      );
      const mints = rows.map((r) => r.mint_address);
      if (mints.length === 0) return { lastMint: null, resolved: 0, holders: 0 };
      const context = Context.current();
      let snapshot;
      try {
        snapshot = await snapshotHolders(chainDeps().connection, mints, {
          atSlot: slot,
          commitment: 'finalized',
          strategy: snapshotStrategyFor(chainDeps().endpoint),
          onProgress: (p) => context.heartbeat({ done: doneBefore + p.done }),
          signal: context.cancellationSignal,
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
      for (let i = 0; i < snapshot.holders.length; i += SNAPSHOT_INSERT_BATCH) {
        const batch = snapshot.holders.slice(i, i + SNAPSHOT_INSERT_BATCH);
        await sql(
          tx,
          `insert into revenue_snapshots (distribution_id, pass_mint, owner_wallet, token_account)
           values ${batch.map(() => '(?, ?, ?, ?)').join(', ')} on conflict do nothing`,
          batch.flatMap((h) => [d.id, h.mint, h.owner, h.tokenAccount]),
        );
      }
      await sql(tx, 'update revenue_distributions set snapshot_done = ?, updated_at = now() where id = ?', [
        doneBefore + mints.length,
        d.id,
      ]);
      return {
        lastMint: mints[mints.length - 1] ?? null,
        resolved: mints.length,
        holders: snapshot.holders.length,
      };
    },

    /** Per-pass amount and dust over the passes held at the snapshot; → awaiting_approval. */
    async finishRevenueSnapshot(month: string): Promise<SnapshotResult> {
      return em().transactional(async (tx) => {
        const d = await distribution(tx, month, 'for update');
        const [count] = await sql(
          tx,
          'select count(*)::int as n from revenue_snapshots where distribution_id = ?',
          [d.id],
        );
        const passCount = Number(count?.n ?? 0);
        if (passCount === 0) return { passCount, perPassAmountBaseUnits: null, dustBaseUnits: null };
        const per = d.distributionAmount / BigInt(passCount);
        const dust = d.distributionAmount - per * BigInt(passCount);
        await sql(
          tx,
          `update revenue_distributions set pass_count = ?, per_pass_amount_base_units = ?::bigint,
             dust_base_units = ?::bigint, status = 'awaiting_approval', updated_at = now()
           where id = ? and status in ('draft', 'snapshotting', 'awaiting_approval')`,
          [passCount, per.toString(), dust.toString(), d.id],
        );
        return { passCount, perPassAmountBaseUnits: per.toString(), dustBaseUnits: dust.toString() };
      });
    },

    /** Adds the admin's approval once (a second one by the same wallet is a no-op). */
    async recordRevenueApproval(month: string, wallet: string, at: string): Promise<void> {
      await sql(
        em(),
        `update revenue_distributions set approvals = approvals || ?::jsonb, updated_at = now()
          where month = ? and not exists (select 1 from jsonb_array_elements(approvals) a where a->>'wallet' = ?)`,
        [JSON.stringify([{ wallet, at }]), month, wallet],
      );
    },

    /**
     * The treasury funding transaction: signed by the treasury wallet, it moved at least the
     * amount to be paid (per-pass × passes) to the payout signer. Writes its signature.
     */
    async verifyRevenueFunding(month: string, signature: string): Promise<{ amountBaseUnits: string }> {
      const tx = em();
      const d = await distribution(tx, month);
      const c = chainDeps();
      if (!c.treasury) throw nonRetryable('TreasuryNotConfigured', 'TREASURY_WALLET is not configured');
      try {
        const paid = await verifyPayment(c.connection, signature, {
          wallet: c.treasury,
          currency: d.currency,
          treasury: c.payer().address,
          usdcMint: c.usdcMint,
          minAmountBaseUnits: d.perPass * BigInt(d.passCount),
          commitment: c.commitment,
        });
        await sql(
          tx,
          'update revenue_distributions set transaction_signature = ?, updated_at = now() where id = ?',
          [signature, d.id],
        );
        return { amountBaseUnits: paid.amountBaseUnits.toString() };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /**
     * Opens claims and, in the same transaction, queues `distributionAvailable` for every
     * snapshot owner with an e-mail on file (one per wallet and month). Returns the new
     * outbox rows to deliver.
     */
    async openRevenueClaims(month: string, claimDeadline: string): Promise<{ emailIds: string[] }> {
      return em().transactional(async (tx) => {
        const d = await distribution(tx, month, 'for update');
        if (d.status !== 'awaiting_approval' && d.status !== 'open') {
          throw nonRetryable(
            'InvalidDistributionState',
            `distribution ${month} is ${d.status}: it cannot open`,
          );
        }
        if (d.status === 'open') return { emailIds: [] };
        await sql(
          tx,
          `update revenue_distributions set status = 'open', claim_deadline = ?, distribution_date = now(),
             updated_at = now() where id = ?`,
          [claimDeadline, d.id],
        );
        const holders = await sql<{ owner_wallet: string; passes: number; user_id: string; email: string }>(
          tx,
          `select s.owner_wallet, count(*)::int as passes, u.id as user_id, u.email
             from revenue_snapshots s join users u on u.wallet_address = s.owner_wallet
            where s.distribution_id = ? and u.email is not null
            group by s.owner_wallet, u.id, u.email order by s.owner_wallet`,
          [d.id],
        );
        const emailIds: string[] = [];
        for (const h of holders) {
          const queued = await enqueueEmail(
            tx,
            {
              dedupeKey: `distribution:${month}:${h.owner_wallet}`,
              to: h.email,
              template: 'distributionAvailable',
              data: {
                month,
                amountBaseUnits: (d.perPass * BigInt(h.passes)).toString(),
                currency: d.currency,
              },
              userId: h.user_id,
              preference: 'emailDistributions',
            },
            config,
          );
          if (queued.created && queued.status === 'pending') emailIds.push(queued.id);
        }
        recordEvent(tx, {
          type: 'revenue.distribution_approved',
          wallet: null,
          metadata: {
            month,
            perPassAmountBaseUnits: d.perPass.toString(),
            passCount: d.passCount,
            claimDeadline,
          },
        });
        return { emailIds };
      });
    },

    /** Closes claims; unclaimed = per-pass × passes with no claim recorded. Idempotent. */
    async closeRevenueDistribution(month: string): Promise<{ unclaimedBaseUnits: string }> {
      return em().transactional(async (tx) => {
        const d = await distribution(tx, month, 'for update');
        if (d.status === 'open') {
          const [claimed] = await sql(
            tx,
            'select count(*)::int as n from revenue_claims where distribution_id = ?',
            [d.id],
          );
          const unclaimed = d.perPass * BigInt(d.passCount - Number(claimed?.n ?? 0));
          await sql(
            tx,
            `update revenue_distributions set status = 'closed', closed_at = now(), unclaimed_base_units = ?::bigint,
               updated_at = now() where id = ?`,
            [unclaimed.toString(), d.id],
          );
        }
        const [row] = await sql(
          tx,
          'select unclaimed_base_units::text as unclaimed from revenue_distributions where id = ?',
          [d.id],
        );
        return { unclaimedBaseUnits: (row?.unclaimed as string | null) ?? '0' };
      });
    },

    /** Cancels a distribution that has not opened; an open one cannot be cancelled. */
    async cancelRevenueDistribution(month: string): Promise<void> {
      await em().transactional(async (tx) => {
        const d = await distribution(tx, month, 'for update');
        if (d.status === 'cancelled') return;
        if (d.status === 'open' || d.status === 'closed') {
          throw nonRetryable(
            'InvalidDistributionState',
            `distribution ${month} is ${d.status}: too late to cancel`,
          );
        }
        await sql(
          tx,
          `update revenue_distributions set status = 'cancelled', updated_at = now() where id = ?`,
          [d.id],
        );
      });
    },

    async setRevenueDistributionStatus(month: string, status: DistributionStatus): Promise<void> {
      await sql(
        em(),
        `update revenue_distributions set status = ?, updated_at = now()
          where month = ? and status not in ('open', 'closed', 'cancelled')`,
        [status, month],
      );
    },

    /**
     * Records the claim and its payout (key `claim:<month>:<mint>`, to the SNAPSHOT owner) in
     * one transaction, under a share lock on the distribution so a concurrent close either
     * sees the claim (and counts it as claimed) or happens first (and the claim is refused).
     * An already-recorded claim is returned whatever the status now: it is paid regardless.
     */
    async recordRevenueClaim(input: RevenueClaimInput): Promise<RecordedClaim> {
      try {
        return await em().transactional(async (tx) => {
          const d = await distribution(tx, input.month, 'for share');
          const key = claimPayoutKey(input.month, input.passMint);
          const [snap] = await sql(
            tx,
            'select owner_wallet from revenue_snapshots where distribution_id = ? and pass_mint = ?',
            [d.id, input.passMint],
          );
          if (!snap) {
            throw nonRetryable(
              'NotInSnapshot',
              `pass ${input.passMint} is not in the ${input.month} snapshot`,
            );
          }
          const owner = snap.owner_wallet as string;
          if (owner !== input.requestedBy) {
            throw nonRetryable(
              'NotSnapshotOwner',
              `pass ${input.passMint} belonged to another wallet at the ${input.month} snapshot`,
            );
          }
          const recorded = {
            key,
            recipient: owner,
            currency: d.currency,
            amountBaseUnits: d.perPass.toString(),
          };
          const [existing] = await sql(tx, 'select id from revenue_claims where payout_key = ?', [key]);
          if (existing) return recorded;
          if (d.status === 'closed' || (d.claimDeadline && d.claimDeadline.getTime() <= Date.now())) {
            throw nonRetryable('ClaimsClosed', `claims for ${input.month} are closed`);
          }
          if (d.status !== 'open') {
            throw nonRetryable(
              'ClaimsNotOpen',
              `claims for ${input.month} are not open (status ${d.status})`,
            );
          }
          if (d.perPass <= 0n)
            throw nonRetryable('NothingToClaim', `the ${input.month} per-pass amount is zero`);
          await sql(
            tx,
            `insert into revenue_claims (distribution_id, pass_mint, wallet_address, amount_base_units, status, payout_key)
             values (?, ?, ?, ?::bigint, 'pending', ?) on conflict do nothing`,
            [d.id, input.passMint, owner, d.perPass.toString(), key],
          );
          await createPayout(tx, {
            key,
            kind: 'claim',
            recipient: owner,
            currency: d.currency,
            amountBaseUnits: d.perPass,
          });
          return recorded;
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Marks the claim paid with the payout's signature; records `revenue.claim_paid` once. */
    async markRevenueClaimPaid(key: string, signature: string): Promise<void> {
      await em().transactional(async (tx) => {
        const updated = await sql(
          tx,
          `update revenue_claims set status = 'paid', transaction_signature = ?, paid_at = now()
            where payout_key = ? and status <> 'paid' returning wallet_address, pass_mint, amount_base_units::text as amount`,
          [signature, key],
        );
        const row = updated[0];
        if (row) {
          recordEvent(tx, {
            type: 'revenue.claim_paid',
            wallet: row.wallet_address as string,
            metadata: { payoutKey: key, passMint: row.pass_mint, amountBaseUnits: row.amount, signature },
          });
        }
      });
    },
  };
}

export type RevenueActivities = ReturnType<typeof createRevenueActivities>;
