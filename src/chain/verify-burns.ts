/**
 * Burn verification (DESIGN §5): SPL Token `burn` / `burnChecked` instructions of amount 1,
 * top-level or invoked by another program (e.g. inside a Metaplex burn), whose authority is
 * the wallet that signed the transaction and whose token account that wallet owned before.
 * Owner and mint are read from `preTokenBalances` and cross-checked with the instruction.
 *
 * Facts only: collection membership and "never burned for tickets before" are database
 * questions, answered (and recorded) when tickets are issued: `markMintsBurned` in
 * src/db/lottery/tickets.ts.
 */
import type { Connection } from '@solana/web3.js';
import { chainError, type ChainError } from './errors';
import {
  assertSignedBy,
  fetchLandedTransaction,
  isTokenProgram,
  rawAmount,
  readU64,
  tokenBalancesOf,
  toPublicKey,
  type FlatInstruction,
} from './landed-transaction';
import type { ChainCommitment } from './rpc';

const BURN = 8;
const BURN_CHECKED = 15;

export interface VerifiedBurn {
  mint: string;
  tokenAccount: string;
  /** Owner of the token account before the burn (= the wallet). */
  owner: string;
  kind: 'burn' | 'burnChecked';
  /** True when another program invoked the burn. */
  inner: boolean;
}

export interface VerifiedBurns {
  signature: string;
  wallet: string;
  burns: VerifiedBurn[];
  /** The burned mints, deduplicated, in instruction order. */
  mints: string[];
  slot: number;
  blockTime: number | null;
}

interface BurnInstruction {
  kind: 'burn' | 'burnChecked';
  amount: bigint;
  tokenAccount: string;
  mint: string;
  authority: string;
  inner: boolean;
}

function decodeBurn(ix: FlatInstruction): BurnInstruction | null {
  if (!isTokenProgram(ix.programId)) return null;
  const op = ix.data[0];
  if (op !== BURN && op !== BURN_CHECKED) return null;
  const amount = readU64(ix.data, 1);
  if (amount === null || ix.accounts.length < 3) return null;
  const [tokenAccount, mint, authority] = ix.accounts as [string, string, string];
  return {
    kind: op === BURN ? 'burn' : 'burnChecked',
    amount,
    tokenAccount,
    mint,
    authority,
    inner: ix.inner,
  };
}

export interface VerifyBurnsOptions {
  /** Default `confirmed`. */
  commitment?: ChainCommitment;
}

/**
 * The NFTs `wallet` burned in transaction `signature`. Burns by another authority or of an
 * amount other than 1 do not count; if none counts, the first reason is thrown (permanent):
 * WrongBurnAuthority, BurnAmountNotOne, or NoBurn.
 */
export async function verifyBurns(
  connection: Connection,
  signature: string,
  wallet: string,
  options: VerifyBurnsOptions = {},
): Promise<VerifiedBurns> {
  toPublicKey(wallet, 'wallet');
  const tx = await fetchLandedTransaction(connection, signature, options.commitment ?? 'confirmed');
  assertSignedBy(tx, wallet);

  const burns: VerifiedBurn[] = [];
  const rejections: ChainError[] = [];
  for (const ix of tx.instructions) {
    const burn = decodeBurn(ix);
    if (!burn) continue;
    const where = `${burn.inner ? 'inner ' : ''}${burn.kind} of mint ${burn.mint} in ${signature}`;
    if (burn.authority !== wallet) {
      rejections.push(
        chainError('WrongBurnAuthority', `${where} was authorised by ${burn.authority}, not by ${wallet}`, {
          signature,
          mint: burn.mint,
          authority: burn.authority,
          wallet,
        }),
      );
      continue;
    }
    if (burn.amount !== 1n) {
      rejections.push(
        chainError('BurnAmountNotOne', `${where} burned ${burn.amount} tokens; an NFT burn is exactly 1`, {
          signature,
          mint: burn.mint,
          amount: burn.amount.toString(),
        }),
      );
      continue;
    }
    const before = tokenBalancesOf(tx, burn.tokenAccount).pre;
    if (!before || before.mint !== burn.mint || before.owner !== wallet || rawAmount(before) < 1n) {
      rejections.push(
        chainError(
          'WrongBurnAuthority',
          `${where}: token account ${burn.tokenAccount} held ${before ? `${before.uiTokenAmount.amount} of mint ${before.mint} owned by ${before.owner ?? 'unknown'}` : 'no known balance'} before, not the NFT of ${wallet}`,
          { signature, mint: burn.mint, tokenAccount: burn.tokenAccount, wallet },
        ),
      );
      continue;
    }
    burns.push({
      mint: burn.mint,
      tokenAccount: burn.tokenAccount,
      owner: wallet,
      kind: burn.kind,
      inner: burn.inner,
    });
  }

  if (burns.length === 0) {
    throw (
      rejections[0] ??
      chainError('NoBurn', `transaction ${signature} contains no SPL Token burn`, { signature })
    );
  }
  return {
    signature,
    wallet,
    burns,
    mints: [...new Set(burns.map((b) => b.mint))],
    slot: tx.slot,
    blockTime: tx.blockTime,
  };
}
