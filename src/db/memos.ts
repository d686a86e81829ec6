/**
 * The `chain_memos` table's units of work: a memo is recorded under its business key with its
 * exact text (the same key again with the same text is the same memo; a different text is a
 * MemoKeyConflict, so one key can never publish two texts), then sent exactly once by
 * activities/anchors.ts through the shared protocol (stored-transaction columns: signed-rows.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { chainError } from '../chain/errors';
import { ChainMemoSchema, type ChainMemo } from './entities';

const MAX_KEY_LENGTH = 120;
/** The SPL Memo program takes more, but a transaction is 1232 bytes: anchors stay well under. */
export const MAX_MEMO_BYTES = 500;

/** Records memo `key` with `text`, idempotent on key; a different text under the same key fails. */
export async function createMemo(em: EntityManager, key: string, text: string): Promise<ChainMemo> {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw chainError('InvalidMemo', `memo key must be 1..${MAX_KEY_LENGTH} characters`);
  }
  const bytes = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0;
  if (bytes === 0 || bytes > MAX_MEMO_BYTES) {
    throw chainError('InvalidMemo', `memo ${key}: text must be 1..${MAX_MEMO_BYTES} bytes of UTF-8`, { key });
  }
  await em
    .createQueryBuilder(ChainMemoSchema)
    .insert({ key, text, status: 'pending', attempts: 0 })
    .onConflict('key')
    .ignore()
    .execute();
  const row = await loadMemo(em, key);
  if (row.text !== text) {
    throw chainError('MemoKeyConflict', `memo ${key} already exists with a different text`, { key });
  }
  return row;
}

/** The memo row as stored now (never from an identity map), or InvalidMemo when there is none. */
export async function loadMemo(em: EntityManager, key: string): Promise<ChainMemo> {
  const row = await findMemo(em, key);
  if (!row) throw chainError('InvalidMemo', `no memo with key ${key}`, { key });
  return row;
}

/** The memo row, or null. */
export const findMemo = (em: EntityManager, key: string): Promise<ChainMemo | null> =>
  em.fork().findOne(ChainMemoSchema, { key }, { disableIdentityMap: true });

/** A memo as published: where on chain, and its exact text. */
export interface ConfirmedMemo {
  signature: string;
  slot: number;
  text: string;
}

/** The memo as it landed, or null while it is not confirmed (or there is no row). */
export const confirmedMemoOf = (row: ChainMemo | null): ConfirmedMemo | null =>
  row?.status === 'confirmed' && row.signature && row.confirmedSlot != null
    ? { signature: row.signature, slot: Number(row.confirmedSlot), text: row.text }
    : null;

/** The stored transaction landed: the memo is confirmed at that slot. */
export async function recordMemoConfirmed(
  em: EntityManager,
  row: ChainMemo,
  landed: { signature: string; slot: number; blockTime: Date | null },
): Promise<ChainMemo> {
  await em.fork().nativeUpdate(
    ChainMemoSchema,
    { key: row.key, signature: landed.signature },
    {
      status: 'confirmed',
      confirmedSlot: BigInt(landed.slot),
      confirmedBlockTime: landed.blockTime,
      lastError: null,
    },
  );
  return loadMemo(em, row.key);
}
