/**
 * A landed transaction as verification needs it, from `getTransaction` (version-0 aware): the
 * full account key list (static keys, then the writable and read-only addresses loaded from
 * lookup tables, the order instruction indexes refer to), its signers, and every instruction
 * flattened (top-level and inner, i.e. invoked by another program), so every verifier walks
 * `instructions` once and sees CPIs exactly like top-level instructions.
 */
import bs58 from 'bs58';
import {
  PublicKey,
  type Connection,
  type ConfirmedTransactionMeta,
  type TokenBalance,
} from '@solana/web3.js';
import { chainError } from './errors';
import type { ChainCommitment } from './rpc';
import { rpcCall } from './rpc';

export const SYSTEM_PROGRAM = '11111111111111111111111111111111';
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';

/** SPL Token or Token-2022: the programs whose instructions move token balances. */
export const isTokenProgram = (programId: string): boolean =>
  programId === TOKEN_PROGRAM || programId === TOKEN_2022_PROGRAM;

export interface FlatInstruction {
  programId: string;
  accounts: string[];
  data: Uint8Array;
  /** Index of the top-level instruction this one is, or was invoked from. */
  outerIndex: number;
  /** True when invoked by another program (a CPI), false for a top-level instruction. */
  inner: boolean;
}

export interface LandedTransaction {
  signature: string;
  slot: number;
  /** Unix seconds, or null when the RPC does not know it. */
  blockTime: number | null;
  version: 'legacy' | 0;
  /** All keys in the order instruction account indexes use. */
  accountKeys: string[];
  /** Keys that signed, fee payer first. */
  signers: string[];
  meta: ConfirmedTransactionMeta;
  instructions: FlatInstruction[];
}

/** A base58 transaction signature of 64 bytes, or a permanent InvalidSignature. */
export function assertSignature(signature: string): void {
  let bytes: Uint8Array | null = null;
  try {
    bytes = typeof signature === 'string' ? bs58.decode(signature) : null;
  } catch {
    bytes = null;
  }
  if (!bytes || bytes.length !== 64) {
    throw chainError(
      'InvalidSignature',
      `"${String(signature).slice(0, 100)}" is not a base58 transaction signature of 64 bytes`,
    );
  }
}

/** A base58 32-byte public key, or a permanent InvalidAddress naming the field. */
export function toPublicKey(value: string, field: string): PublicKey {
  try {
    const key = new PublicKey(value);
    if (key.toBase58() === value) return key;
  } catch {
    // fall through
  }
  throw chainError(
    'InvalidAddress',
    `${field}: "${String(value).slice(0, 60)}" is not a base58 Solana address`,
    { field },
  );
}

/**
 * Fetches `signature` at `commitment`. Not visible yet → transient NotFoundYet; landed but
 * failed → permanent TransactionFailed (the chain's error in the message).
 */
export async function fetchLandedTransaction(
  connection: Connection,
  signature: string,
  commitment: ChainCommitment,
): Promise<LandedTransaction> {
  assertSignature(signature);
  const response = await rpcCall('getTransaction', () =>
    connection.getTransaction(signature, { commitment, maxSupportedTransactionVersion: 0 }),
  );
  if (!response) {
    throw chainError('NotFoundYet', `transaction ${signature} is not ${commitment} on chain yet`, {
      signature,
      commitment,
    });
  }
  const meta = response.meta;
  if (!meta) {
    throw chainError('NotFoundYet', `transaction ${signature} has no status metadata yet`, { signature });
  }
  if (meta.err !== null) {
    throw chainError(
      'TransactionFailed',
      `transaction ${signature} failed on chain: ${JSON.stringify(meta.err)}`,
      {
        signature,
        chainError: JSON.stringify(meta.err),
      },
    );
  }
  const message = response.transaction.message;
  const keys = message
    .getAccountKeys(meta.loadedAddresses ? { accountKeysFromLookups: meta.loadedAddresses } : undefined)
    .keySegments()
    .flat()
    .map((k) => k.toBase58());
  const signers = message.staticAccountKeys
    .slice(0, message.header.numRequiredSignatures)
    .map((k) => k.toBase58());
  const keyAt = (index: number): string => {
    const key = keys[index];
    if (key === undefined) {
      throw chainError('RpcRejected', `transaction ${signature}: account index ${index} out of range`, {
        signature,
      });
    }
    return key;
  };

  const instructions: FlatInstruction[] = [];
  const inner = new Map<number, FlatInstruction[]>();
  for (const set of meta.innerInstructions ?? []) {
    inner.set(
      set.index,
      set.instructions.map((ix) => ({
        programId: keyAt(ix.programIdIndex),
        accounts: ix.accounts.map(keyAt),
        data: bs58.decode(ix.data),
        outerIndex: set.index,
        inner: true,
      })),
    );
  }
  message.compiledInstructions.forEach((ix, index) => {
    instructions.push({
      programId: keyAt(ix.programIdIndex),
      accounts: ix.accountKeyIndexes.map(keyAt),
      data: ix.data,
      outerIndex: index,
      inner: false,
    });
    instructions.push(...(inner.get(index) ?? []));
  });

  return {
    signature,
    slot: response.slot,
    blockTime: response.blockTime ?? null,
    version: response.version === 0 ? 0 : 'legacy',
    accountKeys: keys,
    signers,
    meta,
    instructions,
  };
}

/** Throws NotSignedByWallet unless `wallet` is among the transaction's signers. */
export function assertSignedBy(tx: LandedTransaction, wallet: string): void {
  if (!tx.signers.includes(wallet)) {
    throw chainError(
      'NotSignedByWallet',
      `transaction ${tx.signature} was not signed by ${wallet} (signers: ${tx.signers.join(', ')})`,
      { signature: tx.signature, wallet, signers: tx.signers },
    );
  }
}

/** Raw token amount of a balance entry as a bigint (the RPC sends it as a decimal string). */
export const rawAmount = (balance: TokenBalance): bigint => BigInt(balance.uiTokenAmount.amount);

/** The little-endian u64 at `offset` of instruction data, or null when the data is too short. */
export function readU64(data: Uint8Array, offset: number): bigint | null {
  if (data.length < offset + 8) return null;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(offset, true);
}

/** The little-endian u32 at `offset` (System Program instruction tags), or null when too short. */
export function readU32(data: Uint8Array, offset: number): number | null {
  if (data.length < offset + 4) return null;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(offset, true);
}

/**
 * The token balance entries of `tokenAccount` before and after the transaction (owner, mint
 * and raw amount as the chain reports them); undefined where the chain lists none (an account
 * created or closed by the transaction, or not a token account).
 */
export function tokenBalancesOf(
  tx: LandedTransaction,
  tokenAccount: string,
): { pre: TokenBalance | undefined; post: TokenBalance | undefined } {
  const index = tx.accountKeys.indexOf(tokenAccount);
  if (index < 0) return { pre: undefined, post: undefined };
  return {
    pre: tx.meta.preTokenBalances?.find((b) => b.accountIndex === index),
    post: tx.meta.postTokenBalances?.find((b) => b.accountIndex === index),
  };
}
