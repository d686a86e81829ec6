/**
 * Memo transactions (SPL Memo program): sign one carrying a text (sent exactly once by the
 * caller's protocol, activities/send-once.ts), and read back what a landed transaction says:
 * its slot, block time, signers and memo texts, as any RPC node reports them. The verifier
 * (src/cli/verify-draw.ts, verify-distribution.ts) read anchors with `readMemo`, and count a
 * signer's memos with `memosOfSigner`, needing nothing from us.
 */
import { PublicKey, type Connection, type Finality } from '@solana/web3.js';
import type { ChainDeps } from './deps';
import { rpcCall } from './rpc';
import {
  memoInstruction,
  MEMO_PROGRAM_ID,
  signInstructions,
  type SignedTransaction,
} from './signed-transaction';

/** Builds and signs a memo transaction from the payer key carrying `text`; nothing is sent. */
export const signMemoTransaction = (chain: ChainDeps, text: string): Promise<SignedTransaction> =>
  signInstructions(chain, (payer) => [memoInstruction(payer, text)]);

export interface LandedMemo {
  signature: string;
  slot: number;
  /** Unix seconds, or null when the node does not say. */
  blockTime: number | null;
  /** Signer addresses (the first is the fee payer). */
  signers: string[];
  /** The texts of the transaction's top-level memo instructions, in order. */
  texts: string[];
  /** The transaction failed on chain: its memo counts for nothing. */
  failed: boolean;
}

/** What the chain shows of memo transaction `signature`, or null when it does not know it. */
export async function readMemo(
  connection: Connection,
  signature: string,
  commitment: Finality = 'finalized',
): Promise<LandedMemo | null> {
  const tx = await rpcCall('getTransaction', () =>
    connection.getTransaction(signature, { commitment, maxSupportedTransactionVersion: 0 }),
  );
  if (!tx) return null;
  const message = tx.transaction.message;
  const keys = message.staticAccountKeys.map((k) => k.toBase58());
  const memoProgram = MEMO_PROGRAM_ID.toBase58();
  const texts = message.compiledInstructions
    .filter((ix) => keys[ix.programIdIndex] === memoProgram)
    .map((ix) => Buffer.from(ix.data).toString('utf8'));
  return {
    signature,
    slot: tx.slot,
    blockTime: tx.blockTime ?? null,
    signers: keys.slice(0, message.header.numRequiredSignatures),
    texts,
    failed: tx.meta?.err != null,
  };
}

/** Signatures read per `getSignaturesForAddress` page (the RPC maximum). */
const SIGNATURE_PAGE = 1000;

/**
 * Every successful finalized transaction of `signer` whose memo field (the node's
 * `"[len] text"` rendering of its memos) `matches`, newest first: how a verifier sees that a
 * signer published one anchor of a kind, not several.
 */
export async function memosOfSigner(
  connection: Connection,
  signer: string,
  matches: (memoField: string) => boolean,
): Promise<string[]> {
  const found: string[] = [];
  const address = new PublicKey(signer);
  for (let before: string | undefined; ;) {
    const page = await rpcCall('getSignaturesForAddress', () =>
      connection.getSignaturesForAddress(address, { before, limit: SIGNATURE_PAGE }, 'finalized'),
    );
    for (const entry of page) {
      if (!entry.err && entry.memo && matches(entry.memo)) found.push(entry.signature);
    }
    if (page.length < SIGNATURE_PAGE) return found;
    before = page[page.length - 1]!.signature;
  }
}
