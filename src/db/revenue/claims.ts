/**
 * A claim's writes: the claim rows and their payout row in one transaction, then the claims
 * marked paid with the payout's signature. A wallet's claim batch (every pass it claims in one
 * request) has one payout for all its passes; each pass keeps its own claim row pointing
 * (`payout_key`) at that payout. Refusals are DomainErrors whose code is the claim's failure
 * type (`ClaimFailureType`, src/domain/revenue/vocabulary.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors';
import type { Currency } from '../../domain/money';
import {
  claimPayoutKey,
  claimsOpenAt,
  walletClaimPayoutKey,
  type ClaimFailureType,
  type ClaimsOpenVerdict,
} from '../../domain/revenue/vocabulary';
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

const closedMessage = (
  month: string,
  verdict: Extract<ClaimsOpenVerdict, { open: false }>,
  status: string,
) =>
  verdict.failure === 'ClaimsClosed'
    ? `claims for ${month} are closed`
    : verdict.failure === 'ClaimsNotOpen'
      ? `claims for ${month} are not open (status ${status})`
      : `there is no revenue distribution for ${month}`;

export interface WalletClaimRequest {
  month: string;
  /** The signed-in wallet that asked; it must be each pass's owner at the snapshot. */
  requestedBy: string;
  passMints: string[];
  /** `claimBatchOf(passMints)`: names the batch's payout. */
  batch: string;
}

export interface PassRefusal {
  passMint: string;
  type: ClaimFailureType;
  message: string;
}

export interface RecordedWalletClaim {
  /** The batch's payout key. */
  key: string;
  recipient: string;
  currency: Currency;
  perPassAmountBaseUnits: string;
  /** perPass × the passes recorded under this payout. */
  amountBaseUnits: string;
  /** The passes this payout pays, in mint order. */
  passMints: string[];
  /** The other passes of the request, each with why it is not paid by this batch. */
  refused: PassRefusal[];
}

/**
 * Records a wallet's claim batch: a claim row per pass it held at the snapshot that nobody has
 * claimed yet, all pointing at ONE payout (key `claim:<month>:<wallet>:<batch>`, to the wallet,
 * perPass × those passes), in one transaction under a share lock on the distribution (a
 * concurrent close sees the claims or refuses them). Run again, it finds the rows it wrote
 * (same key) and answers the same. A pass another batch claimed first is AlreadyClaimed; when
 * no pass is left to pay, the first refusal is thrown for the whole batch.
 */
export async function recordWalletClaim(
  em: EntityManager,
  claim: WalletClaimRequest,
): Promise<RecordedWalletClaim> {
  return em.transactional(async (tx) => {
    const d = await distributionOf(tx, claim.month, 'for share');
    const key = walletClaimPayoutKey(claim.month, claim.requestedBy, claim.batch);
    const mints = [...new Set(claim.passMints)].sort();
    const owners = new Map(
      (
        await sql<{ pass_mint: string; owner_wallet: string }>(
          tx,
          `select pass_mint, owner_wallet from revenue_snapshots
            where distribution_id = ? and pass_mint = any(string_to_array(?, ','))`,
          [d.id, mints.join(',')],
        )
      ).map((r) => [r.pass_mint, r.owner_wallet]),
    );
    const refusals: PassRefusal[] = [];
    const eligible: string[] = [];
    for (const passMint of mints) {
      const owner = owners.get(passMint);
      if (!owner) {
        refusals.push({
          passMint,
          type: 'NotInSnapshot',
          message: `pass ${passMint} is not in the ${claim.month} snapshot`,
        });
      } else if (owner !== claim.requestedBy) {
        refusals.push({
          passMint,
          type: 'NotSnapshotOwner',
          message: `pass ${passMint} belonged to another wallet at the ${claim.month} snapshot`,
        });
      } else eligible.push(passMint);
    }
    const verdict = claimsOpenAt(d, Date.now());
    if (verdict.open && d.perPass > 0n && eligible.length > 0) {
      // A pass another batch holds stays its (the unique (distribution, pass) decides the race).
      await sql(
        tx,
        `insert into revenue_claims (distribution_id, pass_mint, wallet_address, amount_base_units, status, payout_key)
         select ?, m, ?, ?::bigint, 'pending', ? from unnest(string_to_array(?, ',')) as m on conflict do nothing`,
        [d.id, claim.requestedBy, d.perPass.toString(), key, eligible.join(',')],
      );
    }
    // Read after the insert: each statement sees what concurrent batches committed meanwhile.
    const claimed = new Map(
      (
        await sql<{ pass_mint: string; payout_key: string; status: string; amount: string }>(
          tx,
          `select pass_mint, payout_key, status, amount_base_units::text as amount from revenue_claims
            where distribution_id = ? and pass_mint = any(string_to_array(?, ','))`,
          [d.id, eligible.join(',')],
        )
      ).map((r) => [r.pass_mint, r]),
    );
    const paid: string[] = [];
    let amount = 0n;
    for (const passMint of eligible) {
      const row = claimed.get(passMint);
      if (row?.payout_key === key) {
        paid.push(passMint);
        amount += BigInt(row.amount);
      } else if (row) {
        refusals.push({
          passMint,
          type: 'AlreadyClaimed',
          message: `pass ${passMint} is already claimed for ${claim.month} (${row.status})`,
        });
      } else if (!verdict.open) {
        refusals.push({
          passMint,
          type: verdict.failure,
          message: closedMessage(claim.month, verdict, d.status),
        });
      } else {
        refusals.push({
          passMint,
          type: 'NothingToClaim',
          message: `the ${claim.month} per-pass amount is zero`,
        });
      }
    }
    const [first] = refusals;
    if (paid.length === 0) {
      throw first ? refused(first.type, first.message) : refused('NothingToClaim', 'no pass to claim');
    }
    await createPayout(tx, {
      key,
      kind: 'claim',
      recipient: claim.requestedBy,
      currency: d.currency,
      amountBaseUnits: amount,
    });
    return {
      key,
      recipient: claim.requestedBy,
      currency: d.currency,
      perPassAmountBaseUnits: d.perPass.toString(),
      amountBaseUnits: amount.toString(),
      passMints: paid,
      refused: refusals.sort((a, b) => (a.passMint < b.passMint ? -1 : 1)),
    };
  });
}

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
    if (!verdict.open) throw refused(verdict.failure, closedMessage(claim.month, verdict, d.status));
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

/**
 * Marks every claim of payout `key` (one pass, or a wallet's batch) paid with its signature;
 * records `revenue.claim_paid` once per pass. One statement (atomic, one round trip: it runs
 * once per holder paid); claims already paid are left as they are and recorded no second time.
 */
export async function markClaimPaid(em: EntityManager, key: string, signature: string): Promise<void> {
  await sql(
    em,
    `with paid as (
       update revenue_claims set status = 'paid', transaction_signature = ?, paid_at = now()
        where payout_key = ? and status <> 'paid'
       returning wallet_address, pass_mint, amount_base_units::text as amount)
     insert into analytics_events (event_type, wallet_address, metadata)
     select 'revenue.claim_paid', wallet_address,
            jsonb_build_object('payoutKey', ?::text, 'passMint', pass_mint, 'amountBaseUnits', amount,
                               'signature', ?::text)
       from paid`,
    [signature, key, key, signature],
  );
}
