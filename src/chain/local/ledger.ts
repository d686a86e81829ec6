/**
 * Every transaction that landed, with the balances and metadata LiteSVM does not keep
 * (it forgets pre/post balances), indexed by signature and by slot.
 */
import type { TransactionErrorJson } from './errors';
import type { UiTokenAmount } from './token';
import type { TransactionVersion } from './wire';

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
}

export interface RecordedInnerInstruction {
  programIdIndex: number;
  accounts: number[];
  /** base58, as the RPC's json encoding shows it */
  data: string;
  stackHeight: number;
}

export interface InnerInstructionSet {
  index: number;
  instructions: RecordedInnerInstruction[];
}

export interface ReturnData {
  programId: string;
  data: [string, 'base64'];
}

export interface LoadedAddresses {
  writable: string[];
  readonly: string[];
}

export interface TransactionRecord {
  signature: string;
  slot: number;
  blockTime: number;
  /** Wire bytes, base64 (kept as sent; parsed again when a response needs the message). */
  wire: string;
  version: TransactionVersion;
  err: TransactionErrorJson | null;
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

export class Ledger {
  private readonly bySignature = new Map<string, TransactionRecord>();
  private readonly bySlot = new Map<number, string[]>();
  /** Landing order (slot order, then order within the slot): what address histories walk. */
  private readonly ordered: TransactionRecord[] = [];
  /** Records not yet written to disk. */
  private unsaved: TransactionRecord[] = [];

  get transactionCount(): number {
    return this.bySignature.size;
  }

  get highestSlot(): number {
    let highest = -1;
    for (const slot of this.bySlot.keys()) if (slot > highest) highest = slot;
    return highest;
  }

  add(record: TransactionRecord, persisted = false): void {
    this.bySignature.set(record.signature, record);
    this.ordered.push(record);
    const signatures = this.bySlot.get(record.slot);
    if (signatures) signatures.push(record.signature);
    else this.bySlot.set(record.slot, [record.signature]);
    if (!persisted) this.unsaved.push(record);
  }

  get(signature: string): TransactionRecord | undefined {
    return this.bySignature.get(signature);
  }

  has(signature: string): boolean {
    return this.bySignature.has(signature);
  }

  signaturesInSlot(slot: number): readonly string[] {
    return this.bySlot.get(slot) ?? [];
  }

  /** Records landed after the first `from` (landing order). */
  recordsFrom(from: number): readonly TransactionRecord[] {
    return this.ordered.slice(from);
  }

  takeUnsaved(): TransactionRecord[] {
    const records = this.unsaved;
    this.unsaved = [];
    return records;
  }

  get dirty(): boolean {
    return this.unsaved.length > 0;
  }
}
