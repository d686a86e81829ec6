/**
 * The draw's public beacon (DESIGN §5): the blockhash of the first FINALIZED block at or
 * after a given slot, or at or after a given time. Nobody knows it before that block is
 * produced, and once finalized it cannot change, so anyone can re-derive it later.
 *
 * Slots can be skipped (no block): "first block at or after" looks them up with getBlocks.
 * If the chain has not finalized that far yet the answer is a transient BeaconNotReady.
 */
import type { Connection } from '@solana/web3.js';
import { firstSlotAtOrAfter } from '../domain/lottery/anchors';
import { chainError } from './errors';
import { rpcCall } from './rpc';

export interface Beacon {
  slot: number;
  blockhash: string;
  /** Unix seconds, or null when the RPC does not know it. */
  blockTime: number | null;
}

/** How far past a slot we look for the next produced block in one call. */
const BLOCK_SEARCH_WINDOW = 200;

/** First finalized block at or after `slot`, or null if none is finalized yet. */
async function firstFinalizedBlockFrom(
  connection: Connection,
  slot: number,
  finalized: number,
): Promise<number | null> {
  for (let start = slot; start <= finalized; start += BLOCK_SEARCH_WINDOW) {
    const end = Math.min(start + BLOCK_SEARCH_WINDOW - 1, finalized);
    const blocks = await rpcCall('getBlocks', () => connection.getBlocks(start, end, 'finalized'));
    const first = firstSlotAtOrAfter(blocks, slot);
    if (first !== null) return first;
  }
  return null;
}

/** The beacon of the first finalized block at or after `slot`. */
export async function beaconAtSlot(connection: Connection, slot: number): Promise<Beacon> {
  if (!Number.isSafeInteger(slot) || slot < 0)
    throw new RangeError(`slot must be a non-negative integer, got ${slot}`);
  const finalized = await rpcCall('getSlot', () => connection.getSlot('finalized'));
  const blockSlot = finalized >= slot ? await firstFinalizedBlockFrom(connection, slot, finalized) : null;
  if (blockSlot === null) {
    throw chainError(
      'BeaconNotReady',
      `no finalized block at or after slot ${slot} yet (finalized slot: ${finalized})`,
      {
        slot,
        finalizedSlot: finalized,
      },
    );
  }
  const block = await rpcCall('getBlock', () =>
    connection.getBlock(blockSlot, {
      commitment: 'finalized',
      transactionDetails: 'none',
      rewards: false,
      maxSupportedTransactionVersion: 0,
    }),
  );
  if (!block) {
    throw chainError('BeaconNotReady', `block ${blockSlot} is not available yet`, { slot: blockSlot });
  }
  return { slot: blockSlot, blockhash: block.blockhash, blockTime: block.blockTime ?? null };
}

/**
 * The beacon of the first finalized block whose block time is at or after `time`: a
 * galloping search back from the finalized tip, then a binary search, over block times.
 */
export async function beaconAtTime(connection: Connection, time: Date): Promise<Beacon> {
  const target = Math.ceil(time.getTime() / 1000);
  const finalized = await rpcCall('getSlot', () => connection.getSlot('finalized'));
  // Block time of the first finalized block at or after `slot` (and that block's slot).
  const timeFrom = async (slot: number): Promise<{ slot: number; time: number } | null> => {
    const blockSlot = await firstFinalizedBlockFrom(connection, slot, finalized);
    if (blockSlot === null) return null;
    const blockTime = await rpcCall('getBlockTime', () => connection.getBlockTime(blockSlot));
    if (blockTime === null) {
      throw chainError('BeaconNotReady', `block ${blockSlot} has no block time yet`, { slot: blockSlot });
    }
    return { slot: blockSlot, time: blockTime };
  };

  // The finalized slot itself is a produced block (the root).
  const last = await timeFrom(finalized);
  if (!last) {
    throw chainError('BeaconNotReady', `no finalized block at slot ${finalized} yet`, {
      finalizedSlot: finalized,
    });
  }
  if (last.time < target) {
    throw chainError(
      'BeaconNotReady',
      `no finalized block at or after ${time.toISOString()} yet (finalized slot ${finalized} is from ${new Date(last.time * 1000).toISOString()})`,
      { finalizedSlot: finalized },
    );
  }

  // Invariant: the first block from `hi` is at/after the target; the first from `lo` is before it.
  let hi = finalized;
  let lo: number | null = null;
  for (let step = 1; ; step *= 2) {
    const probe = Math.max(0, hi - step);
    const found = await timeFrom(probe);
    if (found && found.time >= target) {
      hi = probe;
      if (probe === 0) break; // the very first block is already late enough
      continue;
    }
    lo = probe;
    break;
  }
  if (lo !== null) {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const found = await timeFrom(mid);
      if (found && found.time >= target) hi = mid;
      else lo = mid;
    }
  }
  const first = await firstFinalizedBlockFrom(connection, hi, finalized);
  return beaconAtSlot(connection, first ?? hi);
}
