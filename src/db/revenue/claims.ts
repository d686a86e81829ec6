/**
 * A claim's writes: the claim row and its payout row in one transaction, then the claim
 * marked paid with the payout's signature. Refusals are DomainErrors whose code is the claim's
 * failure type (`ClaimFailureType`, src/domain/revenue/vocabulary.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '../analytics';
import { DomainError } from '../../domain/errors';
import type { Currency } from '../../domain/money';
import { claimPayoutKey, claimsOpenAt, type ClaimFailureType } from '../../domain/revenue/vocabulary';
import { createPayout } from '../payouts';
import { sql } from '../sql';
import { distributionOf } from './distributions';

export interface ClaimRequest {
  month: string;
  passMint: string;
  /** The wallet that asked; it must be the pass's owner at the snapshot. */
  requestedBy: string;
}

export interface RecordedClaim {
  key: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
}

const refused = (code: ClaimFailureType, message: string) => new DomainError<ClaimFailureType>(code, message);

/**
 * Records the claim and its payout (key `claim:<month>:<mint>`, to the SNAPSHOT owner) in
 * one transaction, under a share lock on the distribution so a concurrent close either sees
 * the claim (and counts it as claimed) or happens first (and the claim is refused). An
 * already-recorded claim is returned whatever the status now: it is paid regardless.
 */
export async function recordClaim(em: EntityManager, claim: ClaimRequest): Promise<RecordedClaim> {
  return em.transactional(async (tx) => {
    const d = await distributionOf(tx, claim.month, 'for share');
    const key = claimPayoutKey(claim.month, claim.passMint);
    const [snap] = await sql<{ owner_wallet: string }>(
      tx,
      'select owner_wallet from revenue_snapshots where distribution_id = ? and pass_mint = ?',
      [d.id, claim.passMint],
    );
    if (!snap) throw refused('NotInSnapshot', `pass ${claim.passMint} is not in the ${claim.month} snapshot`);
    const owner = snap.owner_wallet;
    if (owner !== claim.requestedBy) {
      throw refused(
        'NotSnapshotOwner',
        `pass ${claim.passMint} belonged to another wallet at the ${claim.month} snapshot`,
      );
    }
    const recorded = { key, recipient: owner, currency: d.currency, amountBaseUnits: d.perPass.toString() };
    const [existing] = await sql(tx, 'select id from revenue_claims where payout_key = ?', [key]);
    if (existing) return recorded;
    const verdict = claimsOpenAt(d, Date.now());
    if (!verdict.open) {
      throw refused(
        verdict.failure,
        verdict.failure === 'ClaimsClosed'
          ? `claims for ${claim.month} are closed`
          : verdict.failure === 'ClaimsNotOpen'
            ? `claims for ${claim.month} are not open (status ${d.status})`
            : `there is no revenue distribution for ${claim.month}`,
      );
    }
    if (d.perPass <= 0n) throw refused('NothingToClaim', `the ${claim.month} per-pass amount is zero`);
    await sql(
      tx,
      `insert into revenue_claims (distribution_id, pass_mint, wallet_address, amount_base_units, status, payout_key)
       values (?, ?, ?, ?::bigint, 'pending', ?) on conflict do nothing`,
      [d.id, claim.passMint, owner, d.perPass.toString(), key],
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
}

/** Marks the claim paid with the payout's signature; records `revenue.claim_paid` once. */
export async function markClaimPaid(em: EntityManager, key: string, signature: string): Promise<void> {
  await em.transactional(async (tx) => {
    const [row] = await sql<{ wallet_address: string; pass_mint: string; amount: string }>(
      tx,
      `update revenue_claims set status = 'paid', transaction_signature = ?, paid_at = now()
        where payout_key = ? and status <> 'paid' returning wallet_address, pass_mint, amount_base_units::text as amount`,
      [signature, key],
    );
    if (row) {
      recordEvent(tx, {
        type: 'revenue.claim_paid',
        wallet: row.wallet_address,
        metadata: { payoutKey: key, passMint: row.pass_mint, amountBaseUnits: row.amount, signature },
      });
    }
  });
}
