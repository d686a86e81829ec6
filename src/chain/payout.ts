/**
 * The chain steps of the exactly-once payout path (DESIGN §5): build and sign a payout
 * transfer (with a memo naming the payout key), send signed bytes, and read what the chain
 * says about a signature (landed? at our commitment? past its last valid block height?).
 * Returns facts and never writes: the payout rows are src/db/payouts.ts's, and the activity
 * (activities/payouts.ts) runs the protocol — persist the signed transaction BEFORE sending;
 * on retry, finish if it landed, re-sign if it can never land, else resend the same bytes.
 * The signer's secret never leaves PayerKey; signed bytes go back to the caller to persist.
 */
import { type PublicKey, SystemProgram, type TransactionInstruction } from '@solana/web3.js';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from './spl-token';
import { decimalsOf, type Currency } from '../domain/money';
import type { ChainDeps } from './deps';
import { toPublicKey } from './landed-transaction';
import {
  broadcastSigned,
  memoInstruction,
  signInstructions,
  type SignedTransaction,
} from './signed-transaction';

/** What a payout transfer moves, and the key its memo names. */
export interface PayoutTransfer {
  key: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: bigint;
}

/** A signed payout transaction: the caller persists all three before sending. */
export type SignedPayout = SignedTransaction;

/** The transfer, ATA creation for USDC, and the memo naming the payout key. */
function payoutInstructions(
  chain: ChainDeps,
  payer: PublicKey,
  transfer: PayoutTransfer,
): TransactionInstruction[] {
  const recipient = toPublicKey(transfer.recipient, 'recipient');
  const memo = memoInstruction(payer, `payout:${transfer.key}`);
  if (transfer.currency === 'SOL') {
    return [
      SystemProgram.transfer({ fromPubkey: payer, toPubkey: recipient, lamports: transfer.amountBaseUnits }),
      memo,
    ];
  }
  const mint = toPublicKey(chain.usdcMint, 'usdcMint');
  const source = getAssociatedTokenAddressSync(mint, payer, true);
  const destination = getAssociatedTokenAddressSync(mint, recipient, true);
  return [
    createAssociatedTokenAccountIdempotentInstruction(payer, destination, recipient, mint),
    createTransferCheckedInstruction(
      source,
      mint,
      destination,
      payer,
      transfer.amountBaseUnits,
      decimalsOf('USDC'),
    ),
    memo,
  ];
}

/** Builds and signs the transfer over a fresh blockhash; nothing is sent. */
export const signPayoutTransaction = (chain: ChainDeps, transfer: PayoutTransfer): Promise<SignedPayout> =>
  signInstructions(chain, (payer) => payoutInstructions(chain, payer, transfer));

/** Sends signed payout bytes once (see broadcastSigned). */
export const broadcastPayout = broadcastSigned;
