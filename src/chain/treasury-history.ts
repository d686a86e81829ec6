/**
 * The treasury's incoming transfers in a time window, from the chain's own history: the
 * signatures naming the treasury wallet or its USDC token account (a USDC payment names only
 * the token account, not the wallet), each fetched and read with `treasuryPayments`, the one
 * way this project reads who paid the treasury how much.
 */
import type { Connection } from '@solana/web3.js';
import { fetchLandedTransaction, toPublicKey } from './landed-transaction';
import type { ChainCommitment } from './rpc';
import { treasuryPayments, type TreasuryPaymentTarget, type TreasuryPayments } from './treasury-payments';

const PAGE = 1000;

export interface TreasuryWindow {
  /** Unix seconds, inclusive at both ends (a round's sales window is [start, end]). */
  fromSeconds: number;
  toSeconds: number;
}

/** How far a history fetch went: complete, or stopped at the cap with transfers older than `reachedSeconds` unread. */
export interface TreasuryHistoryScan {
  maxSignatures: number;
  /** Signatures paged through (both addresses). */
  signaturesScanned: number;
  /** The cap was hit before the window's start: transfers before `reachedSeconds` are not listed. */
  truncated: boolean;
  /** The oldest block time read when truncated (unix seconds), else null. */
  reachedSeconds: number | null;
}

/**
 * Signatures of `address` with a block time in the window, paging newest-first until older than
 * it, or until `maxSignatures` have been paged through (then `truncated`, and how far it got).
 */
async function signaturesInWindow(
  connection: Connection,
  address: string,
  window: TreasuryWindow,
  commitment: ChainCommitment,
  maxSignatures: number,
): Promise<{ found: string[]; scanned: number; truncatedAt: number | null }> {
  const found: string[] = [];
  let before: string | undefined;
  let scanned = 0;
  let oldestBlockTime: number | undefined;
  for (;;) {
    const limit = Math.min(PAGE, maxSignatures - scanned);
    if (limit <= 0) {
      return { found, scanned, truncatedAt: oldestBlockTime ?? window.toSeconds };
    }
    const page = await connection.getSignaturesForAddress(
      toPublicKey(address, 'address'),
      { limit, ...(before ? { before } : {}) },
      commitment,
    );
    scanned += page.length;
    for (const entry of page) {
      if (entry.blockTime !== null && entry.blockTime !== undefined) oldestBlockTime = entry.blockTime;
      if (entry.err !== null || entry.blockTime === null || entry.blockTime === undefined) continue;
      if (entry.blockTime >= window.fromSeconds && entry.blockTime <= window.toSeconds)
        found.push(entry.signature);
    }
    const last = page.at(-1);
    if (page.length < limit || !last || (last.blockTime ?? Infinity) < window.fromSeconds) {
      return { found, scanned, truncatedAt: null };
    }
    before = last.signature;
  }
}

/**
 * Every transaction in the window that moved SOL or USDC into the treasury, with who paid
 * what (transactions that only touch the treasury, e.g. payouts from it, are left out), and
 * how far back it read: at most `maxSignatures` per address, `scan.truncated` when it stopped
 * there before the window's start.
 */
export async function treasuryIncomingTransfers(
  connection: Connection,
  target: TreasuryPaymentTarget,
  window: TreasuryWindow,
  maxSignatures: number,
  commitment: ChainCommitment = 'confirmed',
): Promise<{ transfers: TreasuryPayments[]; scan: TreasuryHistoryScan }> {
  // Loaded here: the API reaches this module only through the admin reconciliation routes, and
  // @solana/spl-token (165 modules, ~5 MB resident) is nothing else the API's requests need.
  const { getAssociatedTokenAddressSync } = await import('./spl-token');
  const usdcAccount = getAssociatedTokenAddressSync(
    toPublicKey(target.usdcMint, 'usdcMint'),
    toPublicKey(target.treasury, 'treasury'),
    true,
  ).toBase58();
  const histories = [
    await signaturesInWindow(connection, target.treasury, window, commitment, maxSignatures),
    await signaturesInWindow(connection, usdcAccount, window, commitment, maxSignatures),
  ];
  const signatures = new Set(histories.flatMap((h) => h.found));
  const stops = histories.flatMap((h) => (h.truncatedAt === null ? [] : [h.truncatedAt]));
  const scan: TreasuryHistoryScan = {
    maxSignatures,
    signaturesScanned: histories.reduce((n, h) => n + h.scanned, 0),
    truncated: stops.length > 0,
    // Listed completely only from the latest point either address's history stopped at.
    reachedSeconds: stops.length > 0 ? Math.max(...stops) : null,
  };
  const incoming: TreasuryPayments[] = [];
  for (const signature of signatures) {
    const payments = treasuryPayments(
      await fetchLandedTransaction(connection, signature, commitment),
      target,
    );
    if (payments.transfers.length > 0) incoming.push(payments);
  }
  return { transfers: incoming.sort((a, b) => a.slot - b.slot), scan };
}

/** Per currency, the base units a transaction paid the treasury (all payers together). */
export function paidPerCurrency(payments: TreasuryPayments): Record<'SOL' | 'USDC', bigint> {
  const sum = (m: ReadonlyMap<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
  return { SOL: sum(payments.totals.SOL), USDC: sum(payments.totals.USDC) };
}

/**
 * What the chain says each signature paid the treasury; a signature the chain does not show,
 * or whose transaction failed, paid nothing.
 */
export async function chainPaidBySignature(
  connection: Connection,
  signatures: readonly string[],
  target: TreasuryPaymentTarget,
  commitment: ChainCommitment = 'confirmed',
): Promise<Map<string, Record<'SOL' | 'USDC', bigint>>> {
  const paid = new Map<string, Record<'SOL' | 'USDC', bigint>>();
  for (const signature of signatures) {
    try {
      const tx = await fetchLandedTransaction(connection, signature, commitment);
      paid.set(signature, paidPerCurrency(treasuryPayments(tx, target)));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'NotFoundYet' && code !== 'TransactionFailed') throw error;
      paid.set(signature, { SOL: 0n, USDC: 0n });
    }
  }
  return paid;
}
