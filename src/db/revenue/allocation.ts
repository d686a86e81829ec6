/**
 * A month's allocation read from its snapshot (issue 19): every pass in canonical order (mint,
 * byte-wise: `collate "C"`, never the database's locale) with its snapshot owner, the per-pass
 * amount it is owed and its claim status, read in keyset pages; and the allocation digest
 * computed over the same pages (src/domain/revenue/allocation.ts), so 10 000 passes never sit
 * in memory at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors';
import {
  createAllocationDigester,
  distributionMemo,
  type AllocationEntry,
} from '../../domain/revenue/allocation';
import type { ClaimStatus } from '../../domain/revenue/vocabulary';
import { confirmedMemoOf, findMemo, type ConfirmedMemo } from '../memos';
import { sql } from '../sql';
import type { DistributionView } from './reads';

/** Snapshot rows read per page while digesting. */
const DIGEST_PAGE_ROWS = 5_000;

export interface AllocatedPass extends AllocationEntry {
  /** The claim's status, or `unclaimed`. */
  claimStatus: ClaimStatus | 'unclaimed';
  /** The payout transaction of a paid claim (one payout may cover several passes of one wallet). */
  payoutSignature: string | null;
}

/** Up to `limit` passes of the allocation after mint `after` ('' = from the start), canonical order. */
export async function allocationPage(
  em: EntityManager,
  distributionId: string,
  after: string,
  limit: number,
): Promise<AllocatedPass[]> {
  const rows = await sql<{
    pass_mint: string;
    owner_wallet: string;
    amount: string;
    claim_status: AllocatedPass['claimStatus'];
    payout_signature: string | null;
  }>(
    em,
    `select s.pass_mint, s.owner_wallet, d.per_pass_amount_base_units::text as amount,
            coalesce(c.status::text, 'unclaimed') as claim_status,
            case when c.status = 'paid' then c.transaction_signature end as payout_signature
       from revenue_snapshots s
       join revenue_distributions d on d.id = s.distribution_id
       left join revenue_claims c on c.distribution_id = s.distribution_id and c.pass_mint = s.pass_mint
      where s.distribution_id = ? and s.pass_mint collate "C" > ?
      order by s.pass_mint collate "C" limit ?`,
    [distributionId, after, limit],
  );
  return rows.map((r) => ({
    passMint: r.pass_mint,
    owner: r.owner_wallet,
    amountBaseUnits: r.amount,
    claimStatus: r.claim_status,
    payoutSignature: r.payout_signature ?? null,
  }));
}

/** SHA-256 (hex) of the distribution's canonical allocation, as its snapshot and per-pass amount stand. */
export async function allocationDigestOf(em: EntityManager, distributionId: string): Promise<string> {
  const digester = createAllocationDigester();
  let after = '';
  for (;;) {
    const page = await allocationPage(em, distributionId, after, DIGEST_PAGE_ROWS);
    for (const pass of page) digester.add(pass);
    const last = page[page.length - 1];
    if (!last || page.length < DIGEST_PAGE_ROWS) break;
    after = last.passMint;
  }
  return digester.digestHex();
}

/**
 * The distribution memo of an approved month: its exactly-once key (`distribution:<month>`) and
 * text (the v1 format). What the allocation endpoint shows and what the memo primitive
 * publishes at approval, so both say the same bytes. InvalidDistributionState before the
 * snapshot's split (and digest) is recorded.
 */
export function distributionMemoOf(d: DistributionView): { key: string; text: string } {
  if (d.snapshotSlot === null || d.allocationDigest === null) {
    throw new DomainError(
      'InvalidDistributionState',
      `the ${d.month} distribution has no allocation digest yet (status ${d.status})`,
    );
  }
  return {
    key: distributionMemoKey(d.month),
    text: distributionMemo({ ...d, snapshotSlot: d.snapshotSlot, allocationDigest: d.allocationDigest }),
  };
}

const distributionMemoKey = (month: string) => `distribution:${month}`;

/** The month's distribution memo as confirmed on chain, or null (not published yet, or a month from before it). */
export async function publishedDistributionMemo(
  em: EntityManager,
  month: string,
): Promise<ConfirmedMemo | null> {
  return confirmedMemoOf(await findMemo(em, distributionMemoKey(month)));
}
