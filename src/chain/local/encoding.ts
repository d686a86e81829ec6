/**
 * Response shapes: accounts (base58 / base64 / jsonParsed) and recorded transactions
 * (json / jsonParsed / base64 / base58), field for field as agave's RPC encodes them.
 */
import bs58 from 'bs58';
import type { Account } from 'litesvm/dist/internal';
import { invalidParams } from './errors';
import { parseInstruction, type UiInstruction } from './instruction-parser';
import type { InnerInstructionSet, TransactionRecord } from './ledger';
import { parseTokenAccountData, tokenProgramName } from './token';
import { isStaticKeyWritable, type ParsedTransaction } from './wire';

export type AccountEncoding = 'base58' | 'base64' | 'jsonParsed' | 'binary';
export type TransactionEncoding = 'json' | 'jsonParsed' | 'base64' | 'base58';
export type TransactionDetails = 'full' | 'accounts' | 'signatures' | 'none';

export interface DataSlice {
  offset: number;
  length: number;
}

export interface AccountJson {
  data: string | [string, string] | { program: string; parsed: unknown; space: number };
  executable: boolean;
  lamports: number;
  owner: string;
  rentEpoch: number;
  space: number;
}

export function encodeAccount(
  account: Account,
  encoding: AccountEncoding,
  dataSlice: DataSlice | undefined,
  mintDecimals: (mint: string) => number | null,
): AccountJson {
  const owner = account.owner();
  const full = account.data();
  let data: AccountJson['data'] | undefined;
  if (encoding === 'jsonParsed' && !dataSlice) {
    const program = tokenProgramName(owner);
    const parsed = program ? parseTokenAccountData(full, mintDecimals) : null;
    if (program && parsed) data = { program, parsed, space: full.length };
  }
  if (data === undefined) {
    const sliced = dataSlice ? full.subarray(dataSlice.offset, dataSlice.offset + dataSlice.length) : full;
    if (encoding === 'base58' || encoding === 'binary') {
      if (sliced.length > 128) {
        throw invalidParams(
          'Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.',
        );
      }
      data = encoding === 'binary' ? bs58.encode(sliced) : [bs58.encode(sliced), 'base58'];
    } else {
      // jsonParsed falls back to base64 for data it cannot parse, like agave
      data = [Buffer.from(sliced).toString('base64'), 'base64'];
    }
  }
  return {
    data,
    executable: account.executable(),
    lamports: Number(account.lamports()),
    owner: bs58.encode(owner),
    rentEpoch: Number(account.rentEpoch()),
    space: full.length,
  };
}

export function allAccountKeys(tx: ParsedTransaction, record: TransactionRecord): string[] {
  return [...tx.message.accountKeys, ...record.loadedAddresses.writable, ...record.loadedAddresses.readonly];
}

interface AnnotatedKey {
  pubkey: string;
  signer: boolean;
  source: 'transaction' | 'lookupTable';
  writable: boolean;
}

function annotatedKeys(tx: ParsedTransaction, record: TransactionRecord): AnnotatedKey[] {
  const keys: AnnotatedKey[] = tx.message.accountKeys.map((pubkey, index) => ({
    pubkey,
    signer: index < tx.message.header.numRequiredSignatures,
    source: 'transaction',
    writable: isStaticKeyWritable(tx.message, index),
  }));
  for (const pubkey of record.loadedAddresses.writable)
    keys.push({ pubkey, signer: false, source: 'lookupTable', writable: true });
  for (const pubkey of record.loadedAddresses.readonly)
    keys.push({ pubkey, signer: false, source: 'lookupTable', writable: false });
  return keys;
}

export function parsedInnerInstructions(
  sets: InnerInstructionSet[],
  keys: string[],
): { index: number; instructions: UiInstruction[] }[] {
  return sets.map((set) => ({
    index: set.index,
    instructions: set.instructions.map((ix) =>
      parseInstruction(
        keys[ix.programIdIndex] ?? '',
        ix.accounts.map((i) => keys[i] ?? ''),
        bs58.decode(ix.data),
        ix.stackHeight,
      ),
    ),
  }));
}

function metaJson(
  record: TransactionRecord,
  encoding: TransactionEncoding,
  keys: string[],
  details: TransactionDetails,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    err: record.err,
    fee: record.fee,
    postBalances: record.postBalances,
    postTokenBalances: record.postTokenBalances,
    preBalances: record.preBalances,
    preTokenBalances: record.preTokenBalances,
    rewards: [],
    status: record.err === null ? { Ok: null } : { Err: record.err },
  };
  if (details === 'accounts') return meta;
  meta.computeUnitsConsumed = record.computeUnitsConsumed;
  meta.logMessages = record.logMessages;
  if (encoding === 'jsonParsed') {
    // loaded addresses already appear in the annotated account keys
    meta.innerInstructions = parsedInnerInstructions(record.innerInstructions, keys);
  } else {
    meta.innerInstructions = record.innerInstructions;
    meta.loadedAddresses = record.loadedAddresses;
  }
  if (record.returnData) meta.returnData = record.returnData;
  return meta;
}

function transactionJson(
  tx: ParsedTransaction,
  record: TransactionRecord,
  encoding: TransactionEncoding,
  keys: string[],
  details: TransactionDetails,
): unknown {
  if (details === 'accounts') return { accountKeys: annotatedKeys(tx, record), signatures: tx.signatures };
  if (encoding === 'base64') return [record.wire, 'base64'];
  if (encoding === 'base58') return [bs58.encode(Buffer.from(record.wire, 'base64')), 'base58'];
  const message = tx.message;
  const lookups = message.version === 0 ? { addressTableLookups: message.addressTableLookups } : {};
  if (encoding === 'jsonParsed') {
    return {
      message: {
        accountKeys: annotatedKeys(tx, record),
        instructions: message.instructions.map((ix) =>
          parseInstruction(
            keys[ix.programIdIndex] ?? '',
            ix.accounts.map((i) => keys[i] ?? ''),
            ix.data,
            null,
          ),
        ),
        recentBlockhash: message.recentBlockhash,
        ...lookups,
      },
      signatures: tx.signatures,
    };
  }
  return {
    message: {
      accountKeys: message.accountKeys,
      header: message.header,
      instructions: message.instructions.map((ix) => ({
        accounts: ix.accounts,
        data: bs58.encode(ix.data),
        programIdIndex: ix.programIdIndex,
        stackHeight: null,
      })),
      recentBlockhash: message.recentBlockhash,
      ...lookups,
    },
    signatures: tx.signatures,
  };
}

/** `{transaction, meta, version?}` as in getBlock; getTransaction adds slot and blockTime. */
export function encodeTransactionWithMeta(
  tx: ParsedTransaction,
  record: TransactionRecord,
  encoding: TransactionEncoding,
  includeVersion: boolean,
  details: TransactionDetails = 'full',
): Record<string, unknown> {
  const keys = allAccountKeys(tx, record);
  const encoded: Record<string, unknown> = {
    meta: metaJson(record, encoding, keys, details),
    transaction: transactionJson(tx, record, encoding, keys, details),
  };
  if (includeVersion) encoded.version = record.version;
  return encoded;
}
