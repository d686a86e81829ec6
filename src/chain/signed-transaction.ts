/**
 * The chain steps every exactly-once send shares (payouts, memos; DESIGN §5): sign
 * instructions over a fresh blockhash, send signed bytes, and read what the chain says about
 * a signature (landed? at our commitment? past its last valid block height?). Returns facts
 * and never writes: the caller persists the signed bytes BEFORE sending and, on retry, finishes
 * if they landed, re-signs if they can never land, else resends the same bytes.
 *
 * Its RPC calls run on every payout, several times: they are bare JSON-RPC (`chain.rpc`) and
 * read only the fields used here, each checked; an answer of another shape is a transient
 * RpcUnavailable, as from a Connection.
 */
import bs58 from 'bs58';
import {
  PublicKey,
  SolanaJSONRPCError,
  type Connection,
  Transaction,
  TransactionInstruction,
  type SignatureStatus,
} from '@solana/web3.js';
import type { ChainDeps } from './deps';
import { rpcCall } from './rpc';

export const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');

/** A signed transaction: the caller persists all three before sending. */
export interface SignedTransaction {
  /** The signed wire bytes, base64. */
  wire: string;
  signature: string;
  lastValidBlockHeight: bigint;
}

/** An SPL Memo instruction carrying `text`, signed by `signer`. */
export const memoInstruction = (signer: PublicKey, text: string): TransactionInstruction =>
  new TransactionInstruction({
    programId: MEMO_PROGRAM_ID,
    keys: [{ pubkey: signer, isSigner: true, isWritable: false }],
    data: Buffer.from(text, 'utf8'),
  });

/** Builds (with the payer's public key) and signs the instructions over a fresh blockhash; nothing is sent. */
export async function signInstructions(
  chain: ChainDeps,
  build: (payer: PublicKey) => TransactionInstruction[],
): Promise<SignedTransaction> {
  const payer = chain.payer();
  const latest = await latestBlockhash(chain);
  const tx = new Transaction({ feePayer: payer.publicKey, ...latest }).add(...build(payer.publicKey));
  payer.signLegacy(tx);
  if (!tx.signature) throw new Error('transaction was not signed');
  return {
    // Every signature is required (a missing one throws); checking ours again in JS (noble's
    // ed25519, the worker's costliest step per payout) adds nothing: the node verifies it.
    wire: tx.serialize({ verifySignatures: false }).toString('base64'),
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
export async function broadcastSigned(chain: ChainDeps, wire: string): Promise<string | null> {
  try {
    await chain.rpc.call('sendTransaction', [
      wire,
      { encoding: 'base64', skipPreflight: false, preflightCommitment: chain.commitment, maxRetries: 0 },
    ]);
    return null;
  } catch (error) {
    // The transport's failures (ChainErrors: the RPC is unreachable) and anything else throw.
    if (!(error instanceof SolanaJSONRPCError)) throw error;
    const message = error.message;
    if (/already been processed|AlreadyProcessed/i.test(message)) return null;
    if (/Blockhash not found|BlockhashNotFound/i.test(message)) return null;
    const logs = logsOf(error.data).slice(-3).join(' | ');
    return `send rejected: ${message.slice(0, 300)}${logs ? ` (${logs.slice(0, 300)})` : ''}`;
  }
}

/** A preflight failure's program logs (`data.logs`), if it has any. */
function logsOf(data: unknown): string[] {
  const logs = (data as { logs?: unknown } | null | undefined)?.logs;
  return Array.isArray(logs) ? logs.filter((l): l is string => typeof l === 'string') : [];
}

/** The newest blockhash at our commitment and the last block height a transaction over it is valid. */
async function latestBlockhash(
  chain: ChainDeps,
): Promise<{ blockhash: string; lastValidBlockHeight: number }> {
  return rpcCall('getLatestBlockhash', async () => {
    const answer = (await chain.rpc.call('getLatestBlockhash', [{ commitment: chain.commitment }])) as {
      value?: { blockhash?: unknown; lastValidBlockHeight?: unknown };
    } | null;
    const blockhash = answer?.value?.blockhash;
    const lastValidBlockHeight = answer?.value?.lastValidBlockHeight;
    if (typeof blockhash !== 'string' || !isHeight(lastValidBlockHeight))
      throw new Error('no blockhash in answer');
    return { blockhash, lastValidBlockHeight };
  });
}

const isHeight = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The chain's status of `signature` (searching history), or null when it does not know it. */
export async function signatureStatus(chain: ChainDeps, signature: string): Promise<SignatureStatus | null> {
  return rpcCall('getSignatureStatuses', async () => {
    const answer = (await chain.rpc.call('getSignatureStatuses', [
      [signature],
      { searchTransactionHistory: true },
    ])) as { value?: unknown } | null;
    if (!Array.isArray(answer?.value)) throw new Error('no statuses in answer');
    const status = answer.value[0] as Partial<Record<keyof SignatureStatus, unknown>> | null | undefined;
    if (status === null || status === undefined) return null;
    const { slot, confirmations, err, confirmationStatus } = status;
    if (!isHeight(slot)) throw new Error('a status without its slot');
    return {
      slot,
      confirmations: typeof confirmations === 'number' ? confirmations : null,
      err: (err ?? null) as SignatureStatus['err'],
      confirmationStatus:
        confirmationStatus === 'processed' ||
        confirmationStatus === 'confirmed' ||
        confirmationStatus === 'finalized'
          ? confirmationStatus
          : undefined,
    };
  });
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
export async function signedExpired(chain: ChainDeps, signed: SignedTransaction): Promise<boolean> {
  const height = await rpcCall('getBlockHeight', async () => {
    const answer = await chain.rpc.call('getBlockHeight', [{ commitment: 'finalized' }]);
    if (!isHeight(answer)) throw new Error('no block height in answer');
    return answer;
  });
  if (BigInt(height) <= signed.lastValidBlockHeight) return false;
  return (await signatureStatus(chain, signed.signature)) === null;
}

/**
 * Waits until the newest confirmed block's time is at or after `at` (block times are whole
 * seconds): a transaction sent from then on lands at or after it, e.g. inside sales that
 * opened at `at`. False when the chain's clock did not get there within `timeoutMs`.
 */
export async function untilBlockTimeReaches(
  connection: Connection,
  at: Date,
  timeoutMs = 30_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const slot = await rpcCall('getSlot', () => connection.getSlot('confirmed'));
    const time = await connection.getBlockTime(slot).catch(() => null);
    if (time !== null && time * 1000 >= at.getTime()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The block time of `slot`, or null when the node does not say. */
export async function blockTimeOf(chain: ChainDeps, slot: number): Promise<Date | null> {
  const seconds = await chain.rpc.call('getBlockTime', [slot]).catch(() => null);
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}
