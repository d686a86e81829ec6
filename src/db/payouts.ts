/**
 * The `payouts` table's units of work for the exactly-once payout path (DESIGN §5). The
 * activity (activities/payouts.ts) runs them around the chain steps of src/chain/payout.ts:
 * a payout row is created under its business key; a signed transaction (bytes, signature,
 * last valid block height) is stored BEFORE it is sent, with a compare-and-set on the
 * previous signature so concurrent senders agree on one; the outcome (confirmed with its
 * chain receipt, failed, or a rejected send's reason) is recorded after.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { chainError } from '../chain/errors';
import type { SignedPayout } from '../chain/payout';
import { assertBaseUnits, formatAmount, type Currency } from '../domain/money';
import { addressProblem } from '../domain/values';
import { recordSendFailed, recordSendRejected, storeSigned } from './signed-rows';
import { sql } from './sql';
import { PayoutSchema, type Payout, type PayoutKind } from './entities';

const MAX_KEY_LENGTH = 120;

export interface NewPayout {
  key: string;
  kind: PayoutKind;
  recipient: string;
  currency: Currency;
  amountBaseUnits: bigint;
}

/**
 * Records a payout, idempotent on `key`: the same key again returns the existing row; the
 * same key with a different recipient, currency, amount or kind is a PayoutKeyConflict.
 * Runs in the caller's EntityManager (and so in its transaction, if any).
 */
export async function createPayout(em: EntityManager, input: NewPayout): Promise<Payout> {
  if (typeof input.key !== 'string' || input.key.length === 0 || input.key.length > MAX_KEY_LENGTH) {
    throw chainError('InvalidPayout', `payout key must be 1..${MAX_KEY_LENGTH} characters`);
  }
  if (addressProblem(input.recipient)) {
    throw chainError(
      'InvalidAddress',
      `recipient: "${String(input.recipient).slice(0, 60)}" is not a base58 Solana address`,
      { field: 'recipient' },
    );
  }
  assertBaseUnits(input.amountBaseUnits, 'payout amount');
  if (input.amountBaseUnits <= 0n)
    throw chainError('InvalidPayout', `payout ${input.key}: amount must be positive`);
  await em
    .createQueryBuilder(PayoutSchema)
    .insert({
      key: input.key,
      kind: input.kind,
      recipient: input.recipient,
      currency: input.currency,
      amountBaseUnits: input.amountBaseUnits,
      status: 'pending',
      attempts: 0,
    })
    .onConflict('key')
    .ignore()
    .execute();
  const row = await em.findOneOrFail(PayoutSchema, { key: input.key }, { disableIdentityMap: true });
  const differs =
    row.recipient !== input.recipient ||
    row.currency !== input.currency ||
    row.amountBaseUnits !== input.amountBaseUnits ||
    row.kind !== input.kind;
  if (differs) {
    throw chainError(
      'PayoutKeyConflict',
      `payout ${input.key} already exists for ${formatAmount(row.amountBaseUnits, row.currency)} ${row.currency} to ${row.recipient} (${row.kind})`,
      { key: input.key },
    );
  }
  return row;
}

/** The payout row as stored now (never from an identity map), or PayoutNotFound. */
export async function loadPayout(em: EntityManager, key: string): Promise<Payout> {
  const row = await em.fork().findOne(PayoutSchema, { key }, { disableIdentityMap: true });
  if (!row) throw chainError('PayoutNotFound', `no payout with key ${key}`, { key });
  return row;
}

export { storedTransaction } from './signed-rows';

/**
 * Stores `signed` for payout `key` if its stored signature is still `previous` (null for
 * the first) and it is neither confirmed nor failed. True when this one was stored; false
 * when a concurrent sender stored first (the caller then follows the stored transaction).
 */
export const storeSignedPayout = (
  em: EntityManager,
  key: string,
  previous: string | null,
  signed: SignedPayout,
): Promise<boolean> => storeSigned(em, PayoutSchema, key, previous, signed);

/** Records why the chain refused to take the stored transaction (the payout stays signed). */
export const recordPayoutSendRejected = (em: EntityManager, key: string, reason: string): Promise<void> =>
  recordSendRejected(em, PayoutSchema, key, reason);

/** The stored transaction landed but failed: the payout is failed for good. */
export const recordPayoutFailed = (
  em: EntityManager,
  key: string,
  signature: string,
  reason: string,
): Promise<void> => recordSendFailed(em, PayoutSchema, key, signature, reason);

/**
 * The stored transaction landed: the payout is confirmed and its chain receipt recorded, in
 * one statement (atomic, one round trip: this runs once per payout); answers the row as stored
 * now (re-read only when the confirming update found the row changed under it).
 */
export async function recordPayoutConfirmed(
  em: EntityManager,
  row: Payout,
  landed: { signature: string; slot: number; blockTime: Date | null },
): Promise<Payout> {
  const [confirmed] = await sql(
    em,
    `with receipt as (
       insert into chain_receipts (signature, kind, wallet_address, currency, amount_base_units,
                                   refund_owed_base_units, slot, block_time, status, reason, created_at, updated_at)
       values (?, 'payout', ?, ?, ?::bigint, 0, ?::bigint, ?, 'accepted', ?, now(), now())
       on conflict (signature) do nothing)
     update payouts set status = 'confirmed', confirmed_slot = ?::bigint, confirmed_at = now(), last_error = null,
                    updated_at = now()
      where key = ? and signature = ? returning *`,
    [
      landed.signature,
      row.recipient,
      row.currency,
      row.amountBaseUnits.toString(),
      String(landed.slot),
      landed.blockTime,
      `payout ${row.key}`,
      String(landed.slot),
      row.key,
      landed.signature,
    ],
  );
  return confirmed ? em.fork().map(PayoutSchema, confirmed) : loadPayout(em, row.key);
}
