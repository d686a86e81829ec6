/**
 * Every write of a month's distribution, as units of work: the draft, the snapshot (slot,
 * chunks of owners, per-pass split), approvals, the funding signature, opening claims with
 * their e-mails, closing with the unclaimed total, cancelling. Each is idempotent (`on
 * conflict do nothing`, status-guarded updates, values a retry recomputes to the same result),
 * so an activity may run it again after a crash. Refusals are DomainErrors whose code is the
 * failure type (DistributionNotFound, InvalidDistributionState, FundingAlreadyUsed).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '../analytics';
import type { RenderContext } from '../../domain/email/templates';
import { DomainError } from '../../domain/errors';
import type { Currency } from '../../domain/money';
import type { DistributionFailureType, DistributionStatus } from '../../domain/revenue/vocabulary';
import { enqueueEmail } from '../email/outbox';
import { sql } from '../sql';
import { allocationDigestOf } from './allocation';

/** Snapshot rows written per insert statement. */
const SNAPSHOT_INSERT_BATCH = 1_000;

const refused = (code: DistributionFailureType, message: string) =>
  new DomainError<DistributionFailureType>(code, message);

export interface DistributionRow {
  id: string;
  status: DistributionStatus;
  currency: Currency;
  passCount: number;
  perPass: bigint;
  distributionAmount: bigint;
  claimDeadline: Date | null;
}

/** The month's distribution row (optionally locked: `for update`, `for share`), or DistributionNotFound. */
export async function distributionOf(
  tx: EntityManager,
  month: string,
  lock: '' | 'for update' | 'for share' = '',
): Promise<DistributionRow> {
  const [row] = await sql<{
    id: string;
    status: DistributionStatus;
    currency: Currency;
    pass_count: number;
    per_pass: string;
    distribution_amount: string;
    claim_deadline: string | Date | null;
  }>(
    tx,
    `select id, status, currency, pass_count, per_pass_amount_base_units::text as per_pass,
            distribution_amount_base_units::text as distribution_amount, claim_deadline
       from revenue_distributions where month = ? ${lock}`,
    [month],
  );
  if (!row) throw refused('DistributionNotFound', `there is no revenue distribution for ${month}`);
  return {
    id: row.id,
    status: row.status,
    currency: row.currency,
    passCount: Number(row.pass_count),
    perPass: BigInt(row.per_pass),
    distributionAmount: BigInt(row.distribution_amount),
    claimDeadline: row.claim_deadline ? new Date(row.claim_deadline) : null,
  };
}

/** The constraint that lets one treasury funding transaction fund one month only. */
const FUNDING_UNIQUE = 'revenue_distributions_funding_signature_unique';

const violates = (error: unknown, constraint: string): boolean =>
  (error as { constraint?: unknown } | null)?.constraint === constraint;

/** The month whose distribution names `signature` as its funding transaction, if any. */
export async function monthFundedBy(em: EntityManager, signature: string): Promise<string | null> {
  const [row] = await sql<{ month: string }>(
    em,
    'select month from revenue_distributions where transaction_signature = ?',
    [signature],
  );
  return row?.month ?? null;
}

/** FundingAlreadyUsed naming the month `signature` already funds. */
async function fundingAlreadyUsed(em: EntityManager, signature: string): Promise<DomainError> {
  const month = await monthFundedBy(em, signature);
  return new DomainError<DistributionFailureType>(
    'FundingAlreadyUsed',
    `fundingSignature: ${signature} already funds ${month ?? 'another month'}; one funding transaction funds one month`,
    { month },
  );
}

export interface DraftDistribution {
  month: string;
  currency: Currency;
  sources: { name: string; amountBaseUnits: string }[];
  shareBps: number;
  totalRevenueBaseUnits: string;
  distributionAmountBaseUnits: string;
  createdBy: string | null;
  /** The treasury funding transaction named at creation (verified before claims open). */
  fundingSignature: string | null;
}

/**
 * Writes the draft row (per-pass amounts come after the snapshot) and its event, once per
 * month. A funding signature another month already names is refused (FundingAlreadyUsed, by
 * the unique constraint, so two creates at once cannot both take it) and nothing is written.
 */
export async function recordDraftDistribution(em: EntityManager, draft: DraftDistribution): Promise<void> {
  await em
    .transactional(async (tx) => {
      const inserted = await sql(
        tx,
        `insert into revenue_distributions (month, currency, total_revenue_base_units, share_bps,
         distribution_amount_base_units, per_pass_amount_base_units, sources, status, created_by, transaction_signature)
       values (?, ?, ?::bigint, ?, ?::bigint, 0, ?::jsonb, 'draft', ?, ?)
       on conflict (month) do nothing returning id`,
        [
          draft.month,
          draft.currency,
          draft.totalRevenueBaseUnits,
          draft.shareBps,
          draft.distributionAmountBaseUnits,
          JSON.stringify(
            draft.sources.map((s) => ({ name: s.name.trim(), amountBaseUnits: s.amountBaseUnits })),
          ),
          draft.createdBy,
          draft.fundingSignature,
        ],
      );
      if (inserted.length > 0) {
        recordEvent(tx, {
          type: 'revenue.distribution_created',
          wallet: draft.createdBy,
          metadata: {
            month: draft.month,
            currency: draft.currency,
            totalRevenueBaseUnits: draft.totalRevenueBaseUnits,
            distributionAmountBaseUnits: draft.distributionAmountBaseUnits,
          },
        });
      }
    })
    .catch(async (error: unknown) => {
      if (draft.fundingSignature && violates(error, FUNDING_UNIQUE)) {
        throw await fundingAlreadyUsed(em, draft.fundingSignature);
      }
      throw error;
    });
}

/**
 * Fixes the snapshot slot (the first one recorded is kept on retry), marks the month
 * `snapshotting` and counts the listed Revenue Pass mints.
 */
export async function startSnapshot(
  em: EntityManager,
  month: string,
  slot: number,
): Promise<{ slot: number; total: number }> {
  const d = await distributionOf(em, month);
  await sql(
    em,
    `update revenue_distributions set snapshot_slot = coalesce(snapshot_slot, ?), status = 'snapshotting',
       updated_at = now() where id = ? and status in ('draft', 'snapshotting')`,
    [slot, d.id],
  );
  const [row] = await sql<{ slot: string | null; total: number }>(
    em,
    `select snapshot_slot::text as slot, (select count(*)::int from nft_mints where collection = 'revenue-pass') as total
       from revenue_distributions where id = ?`,
    [d.id],
  );
  return { slot: Number(row?.slot ?? slot), total: Number(row?.total ?? 0) };
}

/** Up to `limit` listed Revenue Pass mints after `afterMint`, in mint order, for the month's snapshot. */
export async function passMintsToSnapshot(
  em: EntityManager,
  month: string,
  afterMint: string | null,
  limit: number,
): Promise<{ distributionId: string; mints: string[] }> {
  const d = await distributionOf(em, month);
  const rows = await sql<{ mint_address: string }>(
    em,
    `select mint_address from nft_mints where collection = 'revenue-pass' and mint_address > ?
      order by mint_address limit ?`,
    [afterMint ?? '', limit],
  );
  return { distributionId: d.id, mints: rows.map((r) => r.mint_address) };
}

/** Writes one chunk's owners (a re-run rewrites nothing) and the progress count. */
export async function recordSnapshotChunk(
  em: EntityManager,
  distributionId: string,
  holders: readonly { mint: string; owner: string; tokenAccount: string }[],
  snapshotDone: number,
): Promise<void> {
  for (let i = 0; i < holders.length; i += SNAPSHOT_INSERT_BATCH) {
    const batch = holders.slice(i, i + SNAPSHOT_INSERT_BATCH);
    await sql(
      em,
      `insert into revenue_snapshots (distribution_id, pass_mint, owner_wallet, token_account)
       values ${batch.map(() => '(?, ?, ?, ?)').join(', ')} on conflict do nothing`,
      batch.flatMap((h) => [distributionId, h.mint, h.owner, h.tokenAccount]),
    );
  }
  await sql(em, 'update revenue_distributions set snapshot_done = ?, updated_at = now() where id = ?', [
    snapshotDone,
    distributionId,
  ]);
}

export interface SnapshotSplit {
  passCount: number;
  perPassAmountBaseUnits: string | null;
  dustBaseUnits: string | null;
}

/** Per-pass amount and dust over the passes held at the snapshot; → awaiting_approval. */
export async function finishSnapshot(em: EntityManager, month: string): Promise<SnapshotSplit> {
  return em.transactional(async (tx) => {
    const d = await distributionOf(tx, month, 'for update');
    const [count] = await sql<{ n: number }>(
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
    await recordAllocationDigest(tx, d.id);
    return { passCount, perPassAmountBaseUnits: per.toString(), dustBaseUnits: dust.toString() };
  });
}

/**
 * Fixes the allocation digest (SHA-256 of the canonical pass → owner → amount list) from the
 * snapshot rows and per-pass amount, inside the split's transaction; the first one recorded is
 * kept (the snapshot and split do not change once awaiting approval).
 */
async function recordAllocationDigest(tx: EntityManager, distributionId: string): Promise<void> {
  const digest = await allocationDigestOf(tx, distributionId);
  await sql(
    tx,
    `update revenue_distributions set allocation_digest = coalesce(allocation_digest, ?) where id = ?`,
    [digest, distributionId],
  );
}

/** Adds the admin's approval once (a second one by the same wallet is a no-op). */
export async function recordApproval(
  em: EntityManager,
  month: string,
  wallet: string,
  at: string,
): Promise<void> {
  await sql(
    em,
    `update revenue_distributions set approvals = approvals || ?::jsonb, updated_at = now()
      where month = ? and not exists (select 1 from jsonb_array_elements(approvals) a where a->>'wallet' = ?)`,
    [JSON.stringify([{ wallet, at }]), month, wallet],
  );
}

/**
 * Records the verified treasury funding transaction of the distribution; one that funds
 * another month is refused (FundingAlreadyUsed).
 */
export async function recordFunding(
  em: EntityManager,
  distributionId: string,
  signature: string,
): Promise<void> {
  await sql(
    em,
    'update revenue_distributions set transaction_signature = ?, updated_at = now() where id = ?',
    [signature, distributionId],
  ).catch(async (error: unknown) => {
    if (violates(error, FUNDING_UNIQUE)) throw await fundingAlreadyUsed(em, signature);
    throw error;
  });
}

/**
 * Opens claims and, in the same transaction, queues `distributionAvailable` for every
 * snapshot owner with an e-mail on file (one per wallet and month). Returns the new outbox
 * rows to deliver (none when the month was already open).
 */
export async function openClaims(
  em: EntityManager,
  month: string,
  claimDeadline: string,
  context: RenderContext,
): Promise<{ emailIds: string[] }> {
  return em.transactional(async (tx) => {
    const d = await distributionOf(tx, month, 'for update');
    if (d.status !== 'awaiting_approval' && d.status !== 'open') {
      throw refused('InvalidDistributionState', `distribution ${month} is ${d.status}: it cannot open`);
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
          data: { month, amountBaseUnits: (d.perPass * BigInt(h.passes)).toString(), currency: d.currency },
          userId: h.user_id,
          preference: 'emailDistributions',
        },
        context,
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
}

/** Closes claims; unclaimed = per-pass × passes with no claim recorded. Idempotent. */
export async function closeDistribution(
  em: EntityManager,
  month: string,
): Promise<{ unclaimedBaseUnits: string }> {
  return em.transactional(async (tx) => {
    const d = await distributionOf(tx, month, 'for update');
    if (d.status === 'open') {
      const [claimed] = await sql<{ n: number }>(
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
    const [row] = await sql<{ unclaimed: string | null }>(
      tx,
      'select unclaimed_base_units::text as unclaimed from revenue_distributions where id = ?',
      [d.id],
    );
    return { unclaimedBaseUnits: row?.unclaimed ?? '0' };
  });
}

/** Cancels a distribution that has not opened; an open or closed one cannot be cancelled. */
export async function cancelDistribution(em: EntityManager, month: string): Promise<void> {
  await em.transactional(async (tx) => {
    const d = await distributionOf(tx, month, 'for update');
    if (d.status === 'cancelled') return;
    if (d.status === 'open' || d.status === 'closed') {
      throw refused('InvalidDistributionState', `distribution ${month} is ${d.status}: too late to cancel`);
    }
    await sql(tx, `update revenue_distributions set status = 'cancelled', updated_at = now() where id = ?`, [
      d.id,
    ]);
  });
}
