/**
 * Read models of the Revenue Pass for the API: distributions with claim counts, a wallet's
 * claims and claimable passes, snapshot pages, claim status per pass, and the pass list
 * import (the one write here: admin-side, all or nothing). Raw SQL on purpose: projections,
 * and bigints stay exact as text.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '../../domain/money';
import type { ClaimStatus, DistributionStatus } from '../../domain/revenue/vocabulary';
import { sql as run } from '../sql';

/** A timestamp column as the driver returns it. */
type Timestamp = Date | string | null;
const iso = (v: Timestamp): string | null => (v ? new Date(v).toISOString() : null);

export interface DistributionView {
  id: string;
  month: string;
  currency: Currency;
  status: DistributionStatus;
  totalRevenueBaseUnits: string;
  shareBps: number;
  distributionAmountBaseUnits: string;
  perPassAmountBaseUnits: string;
  dustBaseUnits: string;
  passCount: number;
  sources: { name: string; amountBaseUnits: string }[];
  approvals: { wallet: string; at: string }[];
  snapshotSlot: number | null;
  snapshotDone: number;
  distributionDate: string | null;
  claimDeadline: string | null;
  closedAt: string | null;
  transactionSignature: string | null;
  unclaimedBaseUnits: string | null;
  /** SHA-256 (hex) of the canonical allocation, once the snapshot's split is recorded. */
  allocationDigest: string | null;
  createdBy: string | null;
  createdAt: string;
  claimedCount: number;
  paidCount: number;
  claimedBaseUnits: string;
}

const DISTRIBUTION_COLUMNS = `d.id, d.month, d.currency, d.status, d.total_revenue_base_units::text as total,
  d.share_bps, d.distribution_amount_base_units::text as distribution, d.per_pass_amount_base_units::text as per_pass,
  d.dust_base_units::text as dust, d.pass_count, d.sources, d.approvals, d.snapshot_slot::text as snapshot_slot,
  d.snapshot_done, d.distribution_date, d.claim_deadline, d.closed_at, d.transaction_signature,
  d.unclaimed_base_units::text as unclaimed, d.allocation_digest, d.created_by, d.created_at,
  (select count(*)::int from revenue_claims c where c.distribution_id = d.id) as claimed_count,
  (select count(*)::int from revenue_claims c where c.distribution_id = d.id and c.status = 'paid') as paid_count,
  (select coalesce(sum(c.amount_base_units), 0)::text from revenue_claims c
     where c.distribution_id = d.id and c.status = 'paid') as claimed_amount`;

interface DistributionRow {
  id: string;
  month: string;
  currency: Currency;
  status: DistributionStatus;
  total: string;
  share_bps: number;
  distribution: string;
  per_pass: string;
  dust: string;
  pass_count: number;
  sources: DistributionView['sources'];
  approvals: DistributionView['approvals'];
  snapshot_slot: string | null;
  snapshot_done: number;
  distribution_date: Timestamp;
  claim_deadline: Timestamp;
  closed_at: Timestamp;
  transaction_signature: string | null;
  unclaimed: string | null;
  allocation_digest: string | null;
  created_by: string | null;
  created_at: Date | string;
  claimed_count: number;
  paid_count: number;
  claimed_amount: string;
}

function toView(r: DistributionRow): DistributionView {
  return {
    id: r.id,
    month: r.month,
    currency: r.currency,
    status: r.status,
    totalRevenueBaseUnits: r.total,
    shareBps: Number(r.share_bps),
    distributionAmountBaseUnits: r.distribution,
    perPassAmountBaseUnits: r.per_pass,
    dustBaseUnits: r.dust,
    passCount: Number(r.pass_count),
    sources: r.sources,
    approvals: r.approvals,
    snapshotSlot: r.snapshot_slot === null ? null : Number(r.snapshot_slot),
    snapshotDone: Number(r.snapshot_done),
    distributionDate: iso(r.distribution_date),
    claimDeadline: iso(r.claim_deadline),
    closedAt: iso(r.closed_at),
    transactionSignature: r.transaction_signature ?? null,
    unclaimedBaseUnits: r.unclaimed ?? null,
    allocationDigest: r.allocation_digest ?? null,
    createdBy: r.created_by ?? null,
    createdAt: new Date(r.created_at).toISOString(),
    claimedCount: Number(r.claimed_count),
    paidCount: Number(r.paid_count),
    claimedBaseUnits: r.claimed_amount,
  };
}

/** Distributions, newest month first; `statuses` limits which (the public sees open and closed). */
export async function listDistributions(
  em: EntityManager,
  statuses?: readonly DistributionStatus[],
): Promise<DistributionView[]> {
  const rows = await run<DistributionRow>(
    em,
    `select ${DISTRIBUTION_COLUMNS} from revenue_distributions d
      ${statuses ? `where d.status in (${statuses.map(() => '?').join(', ')})` : ''} order by d.month desc`,
    statuses ?? [],
  );
  return rows.map(toView);
}

export async function findDistribution(em: EntityManager, month: string): Promise<DistributionView | null> {
  const [row] = await run<DistributionRow>(
    em,
    `select ${DISTRIBUTION_COLUMNS} from revenue_distributions d where d.month = ?`,
    [month],
  );
  return row ? toView(row) : null;
}

export interface ClaimView {
  month: string;
  currency: Currency;
  passMint: string;
  walletAddress: string;
  amountBaseUnits: string;
  status: ClaimStatus;
  payoutKey: string;
  transactionSignature: string | null;
  claimedAt: string;
  paidAt: string | null;
}

interface ClaimRow {
  month: string;
  currency: Currency;
  pass_mint: string;
  wallet_address: string;
  amount: string;
  status: ClaimStatus;
  payout_key: string;
  transaction_signature: string | null;
  claimed_at: Date | string;
  paid_at: Timestamp;
}

const claimView = (r: ClaimRow): ClaimView => ({
  month: r.month,
  currency: r.currency,
  passMint: r.pass_mint,
  walletAddress: r.wallet_address,
  amountBaseUnits: r.amount,
  status: r.status,
  payoutKey: r.payout_key,
  transactionSignature: r.transaction_signature ?? null,
  claimedAt: new Date(r.claimed_at).toISOString(),
  paidAt: iso(r.paid_at),
});

const CLAIM_COLUMNS = `d.month, d.currency, c.pass_mint, c.wallet_address, c.amount_base_units::text as amount, c.status,
  c.payout_key, c.transaction_signature, c.claimed_at, c.paid_at`;

export async function claimsOfWallet(em: EntityManager, wallet: string): Promise<ClaimView[]> {
  const rows = await run<ClaimRow>(
    em,
    `select ${CLAIM_COLUMNS} from revenue_claims c join revenue_distributions d on d.id = c.distribution_id
      where c.wallet_address = ? order by d.month desc, c.pass_mint`,
    [wallet],
  );
  return rows.map(claimView);
}

/** Every claim (for the CSV export), optionally of one month. */
export async function allClaims(em: EntityManager, month?: string): Promise<ClaimView[]> {
  const rows = await run<ClaimRow>(
    em,
    `select ${CLAIM_COLUMNS} from revenue_claims c join revenue_distributions d on d.id = c.distribution_id
      ${month ? 'where d.month = ?' : ''} order by d.month, c.pass_mint`,
    month ? [month] : [],
  );
  return rows.map(claimView);
}

/** The wallet's passes at the month's snapshot with their claim status (null = not claimed). */
export async function snapshotPassesOf(
  em: EntityManager,
  distributionId: string,
  wallet: string,
): Promise<{ passMint: string; claimStatus: ClaimStatus | null }[]> {
  const rows = await run<{ pass_mint: string; status: ClaimStatus | null }>(
    em,
    `select s.pass_mint, c.status from revenue_snapshots s
       left join revenue_claims c on c.distribution_id = s.distribution_id and c.pass_mint = s.pass_mint
      where s.distribution_id = ? and s.owner_wallet = ? order by s.pass_mint`,
    [distributionId, wallet],
  );
  return rows.map((r) => ({ passMint: r.pass_mint, claimStatus: r.status ?? null }));
}

/** Snapshot owners of the given mints (those not in the snapshot are absent). */
export async function snapshotOwners(
  em: EntityManager,
  distributionId: string,
  mints: string[],
): Promise<Map<string, string>> {
  if (mints.length === 0) return new Map();
  const rows = await run<{ pass_mint: string; owner_wallet: string }>(
    em,
    `select pass_mint, owner_wallet from revenue_snapshots where distribution_id = ? and pass_mint in (${mints
      .map(() => '?')
      .join(', ')})`,
    [distributionId, ...mints],
  );
  return new Map(rows.map((r) => [r.pass_mint, r.owner_wallet]));
}

export interface PassClaimStatus {
  passMint: string;
  ownerWallet: string;
  tokenAccount: string | null;
  /** The claim's status, or `unclaimed`. */
  claimStatus: ClaimStatus | 'unclaimed';
  amountBaseUnits: string | null;
  transactionSignature: string | null;
  claimedAt: string | null;
  paidAt: string | null;
}

/** Claim status per snapshot pass (paginated, mint order). */
const PASS_CLAIM_SELECT = `select s.pass_mint, s.owner_wallet, s.token_account, coalesce(c.status::text, 'unclaimed') as claim_status,
            c.amount_base_units::text as amount, c.transaction_signature, c.claimed_at, c.paid_at
       from revenue_snapshots s
       left join revenue_claims c on c.distribution_id = s.distribution_id and c.pass_mint = s.pass_mint`;

interface PassClaimRow {
  pass_mint: string;
  owner_wallet: string;
  token_account: string | null;
  claim_status: PassClaimStatus['claimStatus'];
  amount: string | null;
  transaction_signature: string | null;
  claimed_at: Timestamp;
  paid_at: Timestamp;
}

const toPassClaimStatus = (r: PassClaimRow): PassClaimStatus => ({
  passMint: r.pass_mint,
  ownerWallet: r.owner_wallet,
  tokenAccount: r.token_account ?? null,
  claimStatus: r.claim_status,
  amountBaseUnits: r.amount ?? null,
  transactionSignature: r.transaction_signature ?? null,
  claimedAt: iso(r.claimed_at),
  paidAt: iso(r.paid_at),
});

export async function passClaimStatuses(
  em: EntityManager,
  distributionId: string,
  page: number,
  pageSize: number,
): Promise<{ passes: PassClaimStatus[]; total: number }> {
  const rows = await run<PassClaimRow>(
    em,
    `${PASS_CLAIM_SELECT} where s.distribution_id = ? order by s.pass_mint limit ? offset ?`,
    [distributionId, pageSize, (page - 1) * pageSize],
  );
  const [count] = await run<{ n: number }>(
    em,
    'select count(*)::int as n from revenue_snapshots where distribution_id = ?',
    [distributionId],
  );
  return { passes: rows.map(toPassClaimStatus), total: Number(count?.n ?? 0) };
}

/** Up to `limit` snapshot passes after mint `after` in mint order (keyset pages for exports). */
export async function passClaimStatusesAfter(
  em: EntityManager,
  distributionId: string,
  after: string,
  limit: number,
): Promise<PassClaimStatus[]> {
  const rows = await run<PassClaimRow>(
    em,
    `${PASS_CLAIM_SELECT} where s.distribution_id = ? and s.pass_mint > ? order by s.pass_mint limit ?`,
    [distributionId, after, limit],
  );
  return rows.map(toPassClaimStatus);
}

/**
 * Lists mints as Revenue Passes. All or nothing: if any mint is listed in another collection,
 * nothing is written and those mints are returned.
 */
export async function importPassMints(
  em: EntityManager,
  mints: string[],
): Promise<{ added: number; alreadyListed: number; otherCollection: string[] }> {
  return em.transactional(async (tx) => {
    const batches: string[][] = [];
    for (let i = 0; i < mints.length; i += 1_000) batches.push(mints.slice(i, i + 1_000));
    const otherCollection: string[] = [];
    for (const batch of batches) {
      const rows = await run<{ mint_address: string }>(
        tx,
        `select mint_address from nft_mints where collection <> 'revenue-pass'
          and mint_address in (${batch.map(() => '?').join(', ')})`,
        batch,
      );
      otherCollection.push(...rows.map((r) => r.mint_address));
    }
    if (otherCollection.length > 0) return { added: 0, alreadyListed: 0, otherCollection };
    let added = 0;
    for (const batch of batches) {
      const inserted = await run(
        tx,
        `insert into nft_mints (mint_address, collection) values ${batch.map(() => `(?, 'revenue-pass')`).join(', ')}
         on conflict (mint_address) do nothing returning mint_address`,
        batch,
      );
      added += inserted.length;
    }
    return { added, alreadyListed: mints.length - added, otherCollection };
  });
}
