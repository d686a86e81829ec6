/**
 * The stored-transaction columns that every exactly-once table shares (payouts, chain_memos):
 * signed bytes, signature and last valid block height, stored BEFORE the send with a
 * compare-and-set on the previous signature, then the outcome. One implementation for both.
 */
import { raw, type EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SignedTransaction } from '../chain/signed-transaction';
import type { ChainMemo, Payout } from './entities';

type SignedRow = Payout | ChainMemo;
type SignedSchema = EntitySchema<Payout> | EntitySchema<ChainMemo>;
type Columns = Pick<SignedRow, 'signedTransaction' | 'signature' | 'lastValidBlockHeight'>;

/** The stored signed transaction of `row`, or null when none is stored yet. */
export function storedTransaction(row: Columns): SignedTransaction | null {
  if (
    !row.signedTransaction ||
    !row.signature ||
    row.lastValidBlockHeight === null ||
    row.lastValidBlockHeight === undefined
  ) {
    return null;
  }
  return {
    wire: row.signedTransaction,
    signature: row.signature,
    lastValidBlockHeight: BigInt(row.lastValidBlockHeight),
  };
}

// The two schemas share these columns; MikroORM's per-entity typing cannot see that.
const update = (em: EntityManager, schema: SignedSchema, where: object, data: object) =>
  em.fork().nativeUpdate(schema as EntitySchema<Payout>, where, data);

/**
 * Stores `signed` for row `key` if its stored signature is still `previous` (null for the
 * first) and it is neither confirmed nor failed. True when this one was stored; false when a
 * concurrent sender stored first (the caller then follows the stored transaction).
 */
export async function storeSigned(
  em: EntityManager,
  schema: SignedSchema,
  key: string,
  previous: string | null,
  signed: SignedTransaction,
): Promise<boolean> {
  const updated = await update(
    em,
    schema,
    { key, signature: previous, status: { $in: ['pending', 'signed'] } },
    {
      signedTransaction: signed.wire,
      signature: signed.signature,
      lastValidBlockHeight: signed.lastValidBlockHeight,
      status: 'signed',
      attempts: raw('attempts + 1'),
      lastError: null,
    },
  );
  return updated === 1;
}

/** Records why the chain refused to take the stored transaction (the row stays signed). */
export async function recordSendRejected(
  em: EntityManager,
  schema: SignedSchema,
  key: string,
  reason: string,
): Promise<void> {
  await update(em, schema, { key }, { lastError: reason });
}

/** The stored transaction landed but failed: the row is failed for good. */
export async function recordSendFailed(
  em: EntityManager,
  schema: SignedSchema,
  key: string,
  signature: string,
  reason: string,
): Promise<void> {
  await update(em, schema, { key, signature }, { status: 'failed', lastError: reason });
}
