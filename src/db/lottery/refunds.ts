/**
 * Paying the lottery's refunds owed (underpaid, overpaid excess, late, round cancelled): which
 * receipts of a round are owed, the payout row of each (key `refund:<signature>`, to the
 * payer recorded on the receipt, the amount owed in the payment's currency) written with the
 * receipt's `refund_payout_key` in one transaction, and where each refund stands
 * (owed → sending → paid). The send itself is the payout path's (activities/payouts.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors';
import type { Currency } from '../../domain/money';
import { createPayout } from '../payouts';
import { sql } from '../sql';

/** The payout key of a receipt's refund. Reconciliation reads refunds by it: keep the format. */
export const refundPayoutKey = (signature: string) => `refund:${signature}`;

/** A refund to pay: who paid (and so is paid back), how much, in which currency. JSON-safe. */
export interface RefundToPay {
  signature: string;
  payoutKey: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
}

interface OwedRow {
  signature: string;
  round_id: string | null;
  wallet_address: string;
  status: string;
  currency: Currency | null;
  refund: string;
}

const OWED_COLUMNS = `signature, round_id, wallet_address, status, currency, refund_owed_base_units::text as refund`;

/** A receipt owed something: decided, with a currency and a positive refund. */
const isOwed = (r: OwedRow): r is OwedRow & { currency: Currency } =>
  r.status !== 'pending' && r.currency !== null && BigInt(r.refund) > 0n;

const toPay = (r: OwedRow & { currency: Currency }): RefundToPay => ({
  signature: r.signature,
  payoutKey: refundPayoutKey(r.signature),
  recipient: r.wallet_address,
  currency: r.currency,
  amountBaseUnits: r.refund,
});

/** RefundNotFound unless `row` is a purchase or burn of `roundId`; NoRefundOwed unless it is owed. */
function owedOrRefuse(row: OwedRow | undefined, roundId: string, signature: string): RefundToPay {
  if (!row || row.round_id !== roundId) {
    throw new DomainError(
      'RefundNotFound',
      `signature: no payment ${signature} was submitted for round ${roundId}`,
    );
  }
  if (!isOwed(row)) {
    throw new DomainError(
      'NoRefundOwed',
      `signature: payment ${signature} is ${row.status} and owed no refund (refund owed ${row.refund})`,
    );
  }
  return toPay(row);
}

/** The refund owed on one receipt of the round (RefundNotFound, NoRefundOwed otherwise). */
export async function refundToPay(
  em: EntityManager,
  roundId: string,
  signature: string,
): Promise<RefundToPay> {
  const [row] = await sql<OwedRow>(
    em,
    `select ${OWED_COLUMNS} from chain_receipts where signature = ? and kind in ('purchase', 'burn')`,
    [signature],
  );
  return owedOrRefuse(row, roundId, signature);
}

/** Every refund owed in the round, oldest first (paid ones included: paying them again is a no-op). */
export async function refundsToPay(em: EntityManager, roundId: string): Promise<RefundToPay[]> {
  const rows = await sql<OwedRow>(
    em,
    `select ${OWED_COLUMNS} from chain_receipts
      where round_id = ? and kind in ('purchase', 'burn') and refund_owed_base_units > 0 and status <> 'pending'
      order by created_at, signature`,
    [roundId],
  );
  return rows.filter(isOwed).map(toPay);
}

/**
 * Writes the refund's payout row (idempotent on its key) and links it from the receipt, in one
 * transaction under the receipt's row lock, so the payout and the receipt agree on who is paid
 * what. Re-checks that it is owed (the receipt is the source of truth, not the caller).
 */
export async function recordRefundPayout(
  em: EntityManager,
  roundId: string,
  signature: string,
): Promise<RefundToPay> {
  return em.transactional(async (tx) => {
    const [row] = await sql<OwedRow>(
      tx,
      `select ${OWED_COLUMNS} from chain_receipts where signature = ? and kind in ('purchase', 'burn') for update`,
      [signature],
    );
    const refund = owedOrRefuse(row, roundId, signature);
    await createPayout(tx, {
      key: refund.payoutKey,
      kind: 'refund',
      recipient: refund.recipient,
      currency: refund.currency,
      amountBaseUnits: BigInt(refund.amountBaseUnits),
    });
    await sql(tx, 'update chain_receipts set refund_payout_key = ?, updated_at = now() where signature = ?', [
      refund.payoutKey,
      signature,
    ]);
    return refund;
  });
}

/** Where a refund stands: owed (no payout yet), sending (signed or being sent), paid, or failed. */
export type RefundState = 'owed' | 'sending' | 'paid' | 'failed';

export interface RefundProgress {
  state: RefundState;
  payoutKey: string | null;
  /** The payout transaction's signature (the one that landed, once paid). */
  payoutSignature: string | null;
}

const OWED: RefundProgress = { state: 'owed', payoutKey: null, payoutSignature: null };

/** The refund progress of each of `signatures` (receipts without a payout are `owed`). */
export async function refundProgress(
  em: EntityManager,
  signatures: readonly string[],
): Promise<Map<string, RefundProgress>> {
  if (signatures.length === 0) return new Map();
  const rows = await sql<{ receipt: string; key: string; status: string; signature: string | null }>(
    em,
    `select r.signature as receipt, p.key, p.status, p.signature from chain_receipts r
       join payouts p on p.key = r.refund_payout_key
      where r.signature = any(string_to_array(?, ','))`,
    // One text parameter (base58 has no comma): an array parameter is expanded into a list.
    [signatures.join(',')],
  );
  const progress = new Map<string, RefundProgress>(signatures.map((s) => [s, OWED]));
  for (const row of rows) {
    const state: RefundState =
      row.status === 'confirmed' ? 'paid' : row.status === 'failed' ? 'failed' : 'sending';
    progress.set(row.receipt, { state, payoutKey: row.key, payoutSignature: row.signature });
  }
  return progress;
}
