/**
 * The chain steps of the exactly-once payout path (DESIGN §5): build and sign a payout
 * transfer (with a memo naming the payout key), send signed bytes, and read what the chain
 * says about a signature (landed? at our commitment? past its last valid block height?).
 * Returns facts and never writes: the payout rows are src/db/payouts.ts's, and the activity
 * (activities/payouts.ts) runs the protocol — persist the signed transaction BEFORE sending;
 * on retry, finish if it landed, re-sign if it can never land, else resend the same bytes.
 * The signer's secret never leaves PayerKey; signed bytes go back to the caller to persist.
 */
import bs58 from 'bs58';
import {
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  type SignatureStatus,
} from '@solana/web3.js';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from './spl-token';
import { decimalsOf, type Currency } from '../domain/money';
import type { ChainDeps } from './deps';
import { isChainError } from './errors';
import { toPublicKey } from './landed-transaction';
import { rpcCall } from './rpc';

const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');

/** What a payout transfer moves, and the key its memo names. */
export interface PayoutTransfer {
  key: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: bigint;
}

/** A signed payout transaction: the caller persists all three before sending. */
export interface SignedPayout {
  /** The signed wire bytes, base64. */
  wire: string;
  signature: string;
  lastValidBlockHeight: bigint;
}

/** The transfer, ATA creation for USDC, and the memo naming the payout key. */
function payoutInstructions(
  chain: ChainDeps,
  payer: PublicKey,
  transfer: PayoutTransfer,
): TransactionInstruction[] {
  const recipient = toPublicKey(transfer.recipient, 'recipient');
  const memo = new TransactionInstruction({
    programId: MEMO_PROGRAM_ID,
    keys: [{ pubkey: payer, isSigner: true, isWritable: false }],
    data: Buffer.from(`payout:${transfer.key}`, 'utf8'),
  });
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
export async function signPayoutTransaction(
  chain: ChainDeps,
  transfer: PayoutTransfer,
): Promise<SignedPayout> {
  const payer = chain.payer();
  const latest = await rpcCall('getLatestBlockhash', () =>
    chain.connection.getLatestBlockhash(chain.commitment),
  );
  const tx = new Transaction({ feePayer: payer.publicKey, ...latest }).add(
    ...payoutInstructions(chain, payer.publicKey, transfer),
  );
  payer.signLegacy(tx);
  if (!tx.signature) throw new Error('payout transaction was not signed');
  return {
    wire: tx.serialize().toString('base64'),
    signature: bs58.encode(tx.signature),
    lastValidBlockHeight: BigInt(latest.lastValidBlockHeight),
  };
}

/**
 * Sends signed bytes once. Answers null when they were taken, had already been processed
 * (they landed), or their blockhash is unknown (left to the caller's height check); else the
 * reason the node refused them at preflight (e.g. the payer is short of funds), which
 * funding the payer can fix. An unreachable RPC throws (transient).
 */
export async function broadcastPayout(chain: ChainDeps, wire: string): Promise<string | null> {
  try {
    await chain.connection.sendRawTransaction(Buffer.from(wire, 'base64'), {
      skipPreflight: false,
      preflightCommitment: chain.commitment,
      maxRetries: 0,
    });
    return null;
  } catch (error) {
    if (isChainError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/already been processed|AlreadyProcessed/i.test(message)) return null;
    if (/Blockhash not found|BlockhashNotFound/i.test(message)) return null;
    const logs = error instanceof SendTransactionError ? (error.logs ?? []).slice(-3).join(' | ') : '';
    return `send rejected: ${message.slice(0, 300)}${logs ? ` (${logs.slice(0, 300)})` : ''}`;
  }
}

/** The chain's status of `signature` (searching history), or null when it does not know it. */
export async function payoutStatus(chain: ChainDeps, signature: string): Promise<SignatureStatus | null> {
  const { value } = await rpcCall('getSignatureStatuses', () =>
    chain.connection.getSignatureStatuses([signature], { searchTransactionHistory: true }),
  );
  return value[0] ?? null;
}

/** Only an outcome at our commitment is final: a processed-only one may still be dropped. */
export const reachedCommitment = (status: SignatureStatus, commitment: ChainDeps['commitment']): boolean =>
  commitment === 'finalized'
    ? status.confirmationStatus === 'finalized'
    : status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized';

/**
 * True only when the signed transaction can never land: the finalized chain is past its
 * last valid block height and, asked after that, the chain still does not know the signature.
 */
export async function payoutExpired(chain: ChainDeps, signed: SignedPayout): Promise<boolean> {
  const height = await rpcCall('getBlockHeight', () => chain.connection.getBlockHeight('finalized'));
  if (BigInt(height) <= signed.lastValidBlockHeight) return false;
  return (await payoutStatus(chain, signed.signature)) === null;
}

/** The block time of `slot`, or null when the node does not say. */
export async function blockTimeOf(chain: ChainDeps, slot: number): Promise<Date | null> {
  const seconds = await chain.connection.getBlockTime(slot).catch(() => null);
  return seconds === null ? null : new Date(seconds * 1000);
}
