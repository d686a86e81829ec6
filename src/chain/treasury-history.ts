/**
 * The treasury's incoming transfers in a time window, from the chain's own history: the
 * signatures naming the treasury wallet or its USDC token account (a USDC payment names only
 * the token account, not the wallet), each fetched and read with `treasuryPayments`, the one
 * way this project reads who paid the treasury how much.
 */
import { getAssociatedTokenAddressSync } from './spl-token';
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

/** Signatures of `address` with a block time in the window, paging newest-first until older than it. */
async function signaturesInWindow(
  connection: Connection,
  address: string,
  window: TreasuryWindow,
  commitment: ChainCommitment,
): Promise<string[]> {
  const found: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await connection.getSignaturesForAddress(
      toPublicKey(address, 'address'),
      { limit: PAGE, ...(before ? { before } : {}) },
      commitment,
    );
    for (const entry of page) {
      if (entry.err !== null || entry.blockTime === null || entry.blockTime === undefined) continue;
      if (entry.blockTime >= window.fromSeconds && entry.blockTime <= window.toSeconds)
        found.push(entry.signature);
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last || (last.blockTime ?? Infinity) < window.fromSeconds) return found;
    before = last.signature;
  }
}

/**
 * Every transaction in the window that moved SOL or USDC into the treasury, with who paid
 * what (transactions that only touch the treasury, e.g. payouts from it, are left out).
 */
export async function treasuryIncomingTransfers(
  connection: Connection,
  target: TreasuryPaymentTarget,
  window: TreasuryWindow,
  commitment: ChainCommitment = 'confirmed',
): Promise<TreasuryPayments[]> {
  const usdcAccount = getAssociatedTokenAddressSync(
    toPublicKey(target.usdcMint, 'usdcMint'),
    toPublicKey(target.treasury, 'treasury'),
    true,
  ).toBase58();
  const signatures = new Set([
    ...(await signaturesInWindow(connection, target.treasury, window, commitment)),
    ...(await signaturesInWindow(connection, usdcAccount, window, commitment)),
  ]);
  const incoming: TreasuryPayments[] = [];
  for (const signature of signatures) {
    const payments = treasuryPayments(
      await fetchLandedTransaction(connection, signature, commitment),
      target,
    );
    if (payments.transfers.length > 0) incoming.push(payments);
  }
  return incoming.sort((a, b) => a.slot - b.slot);
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
