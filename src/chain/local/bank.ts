/**
 * The LiteSVM instance and everything read around a transaction: account states before and
 * after (LiteSVM's metadata has no balances), address-lookup-table resolution, rollback of a
 * failed preflight. Uses litesvm's byte-level binding (`litesvm/dist/internal`) so wire bytes
 * go in unchanged, without a decode/re-encode through @solana/kit objects.
 */
import bs58 from 'bs58';
import {
  Account,
  Clock,
  FailedTransactionMetadata,
  LiteSvm,
  TransactionMetadata,
  type InnerInstruction,
} from 'litesvm/dist/internal';
import { transactionErrorToJson, type TransactionErrorJson } from './errors';
import type { InnerInstructionSet, LoadedAddresses, ReturnData, TokenBalance } from './ledger';
import {
  decodeMint,
  decodeTokenAccount,
  tokenProgramName,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  uiTokenAmountForMeta,
} from './token';
import { isStaticKeyWritable, type ParsedTransaction } from './wire';

const ADDRESS_LOOKUP_TABLE_PROGRAM = bs58.decode('AddressLookupTab1e1111111111111111111111111');
const LOOKUP_TABLE_META_SIZE = 56;

export interface ExecutionDetails {
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logMessages: string[];
  innerInstructions: InnerInstructionSet[];
  loadedAddresses: LoadedAddresses;
  computeUnitsConsumed: number;
  returnData: ReturnData | null;
}

/** What a failed simulation / preflight reports (agave RpcSimulateTransactionResult). */
export interface FailureReport {
  err: TransactionErrorJson;
  logs: string[];
  unitsConsumed: number;
  returnData: ReturnData | null;
  innerInstructions: InnerInstructionSet[];
}

export type Execution =
  | { kind: 'committed'; err: TransactionErrorJson | null; details: ExecutionDetails }
  /** Not in the ledger: not includable (no fee charged), or rolled back after a failed preflight. */
  | { kind: 'rejected'; included: boolean; failure: FailureReport };

export interface Simulation {
  err: TransactionErrorJson | null;
  logs: string[];
  unitsConsumed: number;
  returnData: ReturnData | null;
  innerInstructions: InnerInstructionSet[];
  /** Post-simulation state of the accounts the transaction touched. */
  postAccounts: Map<string, Account>;
  loadedAddresses: LoadedAddresses;
}

export interface AccountInput {
  lamports: bigint;
  data: Uint8Array;
  owner: Uint8Array;
  executable: boolean;
}

export class Bank {
  private preparedSlot = -1;
  private readonly decimalsByMint = new Map<string, number>();

  private constructor(private readonly svm: LiteSvm) {
    // We keep our own signature index (duplicate check) and our own per-slot blockhashes
    // with mainnet's 150-slot validity; LiteSVM only accepts its single latest blockhash.
    svm.setTransactionHistory(0n);
    svm.setBlockhashCheck(false);
    svm.setSigverify(true);
  }

  static fresh(): Bank {
    return new Bank(new LiteSvm());
  }

  static fromFile(path: string): Bank {
    return new Bank(LiteSvm.loadFromFile(path));
  }

  saveTo(path: string): void {
    this.svm.saveToFile(path);
  }

  /** Moves LiteSVM's clock, blockhash and SlotHashes to `slot` before anything executes in it. */
  prepareSlot(
    slot: number,
    unixTimestamp: number,
    epoch: number,
    recentHashes: { slot: bigint; hash: string }[],
  ): void {
    if (slot === this.preparedSlot) return;
    this.preparedSlot = slot;
    const ts = BigInt(unixTimestamp);
    this.svm.setClock(new Clock(BigInt(slot), ts, BigInt(epoch), BigInt(epoch + 1), ts));
    this.svm.expireBlockhash(); // durable nonces advance to a fresh value each slot
    this.svm.setSlotHashes(recentHashes); // address lookup tables need recent slots here
  }

  account(address: Uint8Array): Account | null {
    return this.svm.getAccount(address);
  }

  balance(address: Uint8Array): bigint {
    return this.svm.getBalance(address) ?? 0n;
  }

  programAccounts(programId: Uint8Array): { address: Uint8Array; account: Account }[] {
    return this.svm
      .getProgramAccounts(programId)
      .map((entry) => ({ address: entry.address, account: entry.account() }));
  }

  setAccount(address: Uint8Array, input: AccountInput): void {
    this.decimalsByMint.delete(bs58.encode(address));
    this.svm.setAccount(
      address,
      new Account(input.lamports, input.data, input.owner, input.executable, 2n ** 64n - 1n),
    );
  }

  minimumBalanceForRentExemption(dataLength: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(dataLength));
  }

  /** Decimals of a mint (immutable once initialized, so cached). */
  mintDecimals(mint: string): number | null {
    const cached = this.decimalsByMint.get(mint);
    if (cached !== undefined) return cached;
    let bytes: Uint8Array;
    try {
      bytes = bs58.decode(mint);
    } catch {
      return null;
    }
    const account = bytes.length === 32 ? this.svm.getAccount(bytes) : null;
    if (!account || !tokenProgramName(account.owner())) return null;
    const decoded = decodeMint(account.data());
    if (!decoded) return null;
    this.decimalsByMint.set(mint, decoded.decimals);
    return decoded.decimals;
  }

  /** Addresses a v0 message loads from lookup tables; null if a table or index is invalid. */
  resolveLookups(tx: ParsedTransaction): LoadedAddresses | null {
    const loaded: LoadedAddresses = { writable: [], readonly: [] };
    for (const lookup of tx.message.addressTableLookups) {
      const table = this.svm.getAccount(bs58.decode(lookup.accountKey));
      if (!table || !sameBytes(table.owner(), ADDRESS_LOOKUP_TABLE_PROGRAM)) return null;
      const data = table.data();
      const count = Math.floor((data.length - LOOKUP_TABLE_META_SIZE) / 32);
      const pick = (index: number): string | null =>
        index < count
          ? bs58.encode(
              data.subarray(LOOKUP_TABLE_META_SIZE + index * 32, LOOKUP_TABLE_META_SIZE + (index + 1) * 32),
            )
          : null;
      for (const index of lookup.writableIndexes) {
        const address = pick(index);
        if (!address) return null;
        loaded.writable.push(address);
      }
      for (const index of lookup.readonlyIndexes) {
        const address = pick(index);
        if (!address) return null;
        loaded.readonly.push(address);
      }
    }
    return loaded;
  }

  /**
   * Executes for real. With `rollbackFailures` (preflight on), a transaction that fails after
   * being charged a fee is undone, as if it had only been simulated and never sent.
   */
  execute(tx: ParsedTransaction, wire: Uint8Array, rollbackFailures: boolean): Execution {
    const loaded = this.resolveLookups(tx) ?? { writable: [], readonly: [] };
    const keyBytes = [
      ...tx.message.accountKeyBytes,
      ...[...loaded.writable, ...loaded.readonly].map((key) => bs58.decode(key)),
    ];
    const pre = keyBytes.map((bytes) => this.svm.getAccount(bytes));
    const preLamports = pre.map((account) => account?.lamports() ?? 0n);
    const result =
      tx.message.version === 'legacy'
        ? this.svm.sendLegacyTransaction(wire)
        : this.svm.sendVersionedTransaction(wire);

    let err: TransactionErrorJson | null = null;
    let meta: TransactionMetadata;
    if (result instanceof TransactionMetadata) {
      meta = result;
    } else {
      err = transactionErrorToJson(result);
      meta = result.meta();
      const payer = keyBytes[0];
      // LiteSVM does not say whether a failed transaction was committed (fee charged);
      // the fee payer's balance does.
      const included = payer !== undefined && this.balance(payer) !== (preLamports[0] ?? 0n);
      if (!included || rollbackFailures) {
        if (included) this.restore(tx, keyBytes, pre, loaded.writable.length);
        return { kind: 'rejected', included, failure: failureReport(result, err) };
      }
    }

    const post = keyBytes.map((bytes) => this.svm.getAccount(bytes));
    const postLamports = post.map((account) => account?.lamports() ?? 0n);
    // Lamports only leave the touched accounts as the fee (burned or paid to the leader).
    const fee = sum(preLamports) - sum(postLamports);
    return {
      kind: 'committed',
      err,
      details: {
        fee: Number(fee),
        preBalances: preLamports.map(Number),
        postBalances: postLamports.map(Number),
        preTokenBalances: this.tokenBalances(pre),
        postTokenBalances: this.tokenBalances(post),
        logMessages: meta.logs(),
        innerInstructions: innerInstructionSets(meta.innerInstructions()),
        loadedAddresses: loaded,
        computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
        returnData: returnDataOf(meta),
      },
    };
  }

  simulate(tx: ParsedTransaction, wire: Uint8Array, sigVerify: boolean): Simulation {
    const loaded = this.resolveLookups(tx) ?? { writable: [], readonly: [] };
    this.svm.setSigverify(sigVerify);
    let result;
    try {
      result =
        tx.message.version === 'legacy'
          ? this.svm.simulateLegacyTransaction(wire)
          : this.svm.simulateVersionedTransaction(wire);
    } finally {
      this.svm.setSigverify(true);
    }
    if (result instanceof FailedTransactionMetadata) {
      const failure = failureReport(result, transactionErrorToJson(result));
      return { ...failure, postAccounts: new Map(), loadedAddresses: loaded };
    }
    const meta = result.meta();
    const postAccounts = new Map<string, Account>();
    for (const entry of result.postAccounts()) postAccounts.set(bs58.encode(entry.address), entry.account());
    return {
      err: null,
      logs: meta.logs(),
      unitsConsumed: Number(meta.computeUnitsConsumed()),
      returnData: returnDataOf(meta),
      innerInstructions: innerInstructionSets(meta.innerInstructions()),
      postAccounts,
      loadedAddresses: loaded,
    };
  }

  private restore(
    tx: ParsedTransaction,
    keyBytes: Uint8Array[],
    pre: (Account | null)[],
    loadedWritable: number,
  ): void {
    const staticCount = tx.message.accountKeys.length;
    keyBytes.forEach((bytes, index) => {
      const writable =
        index < staticCount ? isStaticKeyWritable(tx.message, index) : index < staticCount + loadedWritable;
      const before = pre[index];
      if (writable && before) this.svm.setAccount(bytes, before);
    });
  }

  private tokenBalances(accounts: (Account | null)[]): TokenBalance[] {
    const balances: TokenBalance[] = [];
    accounts.forEach((account, accountIndex) => {
      if (!account) return;
      const program = tokenProgramName(account.owner());
      if (!program) return;
      const state = decodeTokenAccount(account.data());
      if (!state) return;
      const decimals = this.mintDecimals(state.mint);
      if (decimals === null) return;
      balances.push({
        accountIndex,
        mint: state.mint,
        owner: state.owner,
        programId: program === 'spl-token' ? TOKEN_PROGRAM_ID : TOKEN_2022_PROGRAM_ID,
        uiTokenAmount: uiTokenAmountForMeta(state.amount, decimals),
      });
    });
    return balances;
  }
}

function sum(values: bigint[]): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function failureReport(result: FailedTransactionMetadata, err: TransactionErrorJson): FailureReport {
  const meta = result.meta();
  return {
    err,
    logs: meta.logs(),
    unitsConsumed: Number(meta.computeUnitsConsumed()),
    returnData: returnDataOf(meta),
    innerInstructions: innerInstructionSets(meta.innerInstructions()),
  };
}

function returnDataOf(meta: TransactionMetadata): ReturnData | null {
  const returnData = meta.returnData();
  const data = returnData.data();
  if (data.length === 0) return null;
  return {
    programId: bs58.encode(returnData.programId()),
    data: [Buffer.from(data).toString('base64'), 'base64'],
  };
}

/** Only top-level instructions that made inner calls are listed, as agave does. */
function innerInstructionSets(perInstruction: InnerInstruction[][]): InnerInstructionSet[] {
  const sets: InnerInstructionSet[] = [];
  perInstruction.forEach((inner, index) => {
    if (inner.length === 0) return;
    sets.push({
      index,
      instructions: inner.map((entry) => {
        const compiled = entry.instruction();
        return {
          programIdIndex: compiled.programIdIndex(),
          accounts: Array.from(compiled.accounts()),
          data: bs58.encode(compiled.data()),
          stackHeight: entry.stackHeight(),
        };
      }),
    });
  });
  return sets;
}
