/**
 * The chain itself, without any transport: LiteSVM (bank), the slot clock and blockhashes,
 * the ledger of landed transactions, the faucet. RPC methods and pub/sub sit on top of it.
 */
import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import { Bank, type FailureReport } from './bank';
import {
  Blockhashes,
  FINALIZATION_DEPTH,
  MAX_PROCESSING_AGE,
  SLOTS_PER_EPOCH,
  SlotClock,
  type ClockSegment,
} from './clock';
import { RPC_INTERNAL_ERROR, RpcError, transactionErrorText, type TransactionErrorJson } from './errors';
import { Faucet } from './faucet';
import { Ledger, type TransactionRecord } from './ledger';
import { parseTransaction, type ParsedTransaction } from './wire';

export const LAMPORTS_PER_SIGNATURE = 5000;
const SYSTEM_PROGRAM_ID = '11111111111111111111111111111111';
/** Kept well under 2^53 so every balance stays exact as a JSON number. */
const FAUCET_FLOAT = 1_000_000_000_000_000n;

export interface ChainListener {
  onTransaction?(record: TransactionRecord): void;
  onSlots?(from: number, to: number): void;
}

export type SubmitOutcome =
  | { kind: 'landed'; signature: string; record: TransactionRecord }
  | { kind: 'rejected'; signature: string; failure: FailureReport };

export type ConfirmationStatus = 'confirmed' | 'finalized';

export interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: TransactionErrorJson | null;
  status: { Ok: null } | { Err: TransactionErrorJson };
  confirmationStatus: ConfirmationStatus;
}

/** What persistence restores; absent for a fresh chain. */
export interface RestoredState {
  bank: Bank;
  genesisSecret: Uint8Array;
  faucetSeed: Uint8Array;
  segments: ClockSegment[];
  slot: number;
  records: TransactionRecord[];
}

export class LocalChainCore {
  readonly bank: Bank;
  readonly clock: SlotClock;
  readonly blockhashes: Blockhashes;
  readonly ledger = new Ledger();
  readonly faucet: Faucet;
  readonly genesisSecret: Uint8Array;
  readonly faucetSeed: Uint8Array;
  /** LiteSVM state changed outside a transaction (e.g. setAccount): save even with no new records. */
  bankDirty = false;
  private readonly listeners: ChainListener[] = [];
  private parsedCache = new Map<string, ParsedTransaction>();

  constructor(slotMs: number, restored: RestoredState | null) {
    this.genesisSecret = restored?.genesisSecret ?? new Uint8Array(randomBytes(32));
    this.faucetSeed = restored?.faucetSeed ?? new Uint8Array(randomBytes(32));
    this.bank = restored?.bank ?? Bank.fresh();
    this.blockhashes = new Blockhashes(this.genesisSecret);
    this.faucet = new Faucet(this.faucetSeed);
    for (const record of restored?.records ?? []) this.ledger.add(record, true);
    const resumeSlot = restored ? Math.max(restored.slot, this.ledger.highestSlot) + 1 : 0;
    this.clock = new SlotClock(slotMs, restored ? { segments: restored.segments, resumeSlot } : null);
    this.blockhashes.advance(-1, this.clock.slot);
    if (!restored) this.bankDirty = true;
  }

  addListener(listener: ChainListener): void {
    this.listeners.push(listener);
  }

  /** Catches the slot up with the wall clock; cheap enough to call on every request. */
  sync(): number {
    const from = this.clock.sync();
    const to = this.clock.slot;
    if (to !== from) this.slotsAdvanced(from, to);
    return to;
  }

  warp(slots: number): number {
    const from = this.clock.warp(slots);
    this.slotsAdvanced(from, this.clock.slot);
    return this.clock.slot;
  }

  private slotsAdvanced(from: number, to: number): void {
    this.blockhashes.advance(from, to);
    for (const listener of this.listeners) listener.onSlots?.(from, to);
  }

  get slot(): number {
    return this.clock.slot;
  }

  epochOf(slot: number): number {
    return Math.floor(slot / SLOTS_PER_EPOCH);
  }

  /** A blockhash of the last 150 slots, as mainnet's `is_hash_valid_for_age`. */
  isBlockhashValid(blockhash: string): boolean {
    const slot = this.blockhashes.recentSlotOf(blockhash);
    return slot !== undefined && this.slot - slot <= MAX_PROCESSING_AGE;
  }

  lastValidBlockHeight(slot: number): number {
    return slot + MAX_PROCESSING_AGE;
  }

  /** Parsed message of a recorded transaction (bounded cache; responses need it often). */
  parsed(record: TransactionRecord): ParsedTransaction {
    let tx = this.parsedCache.get(record.signature);
    if (!tx) {
      tx = parseTransaction(Buffer.from(record.wire, 'base64'));
      this.cacheParsed(record.signature, tx);
    }
    return tx;
  }

  private cacheParsed(signature: string, tx: ParsedTransaction): void {
    if (this.parsedCache.size >= 20_000) this.parsedCache = new Map();
    this.parsedCache.set(signature, tx);
  }

  signatureStatus(record: TransactionRecord): SignatureStatus {
    const age = this.slot - record.slot;
    const finalized = age >= FINALIZATION_DEPTH;
    return {
      slot: record.slot,
      confirmations: finalized ? null : age,
      err: record.err,
      status: record.err === null ? { Ok: null } : { Err: record.err },
      confirmationStatus: finalized ? 'finalized' : 'confirmed',
    };
  }

  /**
   * Executes a signed transaction now, in the current slot. With preflight, a failure leaves
   * no trace; with skipPreflight a charged failure lands with `meta.err`, like mainnet.
   */
  submit(wire: Uint8Array, skipPreflight: boolean, parsed?: ParsedTransaction): SubmitOutcome {
    const tx = parsed ?? parseTransaction(wire);
    const signature = tx.signatures[0] ?? '';
    const slot = this.sync();
    if (this.ledger.has(signature)) return rejected(signature, 'AlreadyProcessed');
    if (!this.isBlockhashValid(tx.message.recentBlockhash) && !this.isValidDurableNonce(tx)) {
      return rejected(signature, 'BlockhashNotFound');
    }
    this.prepareBank(slot);
    const execution = this.bank.execute(tx, wire, !skipPreflight);
    if (execution.kind === 'rejected') return { kind: 'rejected', signature, failure: execution.failure };
    const record: TransactionRecord = {
      signature,
      slot,
      blockTime: this.clock.blockTime(slot) ?? Math.floor(Date.now() / 1000),
      wire: Buffer.from(wire).toString('base64'),
      version: tx.message.version,
      err: execution.err,
      ...execution.details,
    };
    this.cacheParsed(signature, tx);
    this.ledger.add(record);
    for (const listener of this.listeners) listener.onTransaction?.(record);
    return { kind: 'landed', signature, record };
  }

  /** A real faucet transfer, so the airdrop signature can be confirmed and fetched. */
  airdrop(to: Uint8Array, lamports: bigint): string {
    const slot = this.sync();
    if (Buffer.from(to).equals(Buffer.from(this.faucet.publicKey)))
      throw new RpcError(RPC_INTERNAL_ERROR, 'airdrop request failed: recipient is the faucet');
    // Top the faucet up when needed (with room for the fee); it is our own account.
    if (this.bank.balance(this.faucet.publicKey) < lamports + 1_000_000n) {
      this.bank.setAccount(this.faucet.publicKey, {
        lamports: lamports + FAUCET_FLOAT,
        data: new Uint8Array(0),
        owner: new Uint8Array(32),
        executable: false,
      });
    }
    // The same airdrop twice in one slot would repeat a signature: use an older, still valid blockhash.
    let wire: Uint8Array | undefined;
    for (let age = 0; age <= Math.min(MAX_PROCESSING_AGE, slot); age += 1) {
      const candidate = this.faucet.transfer(to, lamports, this.blockhashes.hashOf(slot - age));
      if (!this.ledger.has(bs58.encode(candidate.subarray(1, 65)))) {
        wire = candidate;
        break;
      }
    }
    if (!wire)
      throw new RpcError(
        RPC_INTERNAL_ERROR,
        'airdrop request failed: too many identical airdrops, retry in a moment',
      );
    const outcome = this.submit(wire, false);
    if (outcome.kind === 'rejected') {
      throw new RpcError(
        RPC_INTERNAL_ERROR,
        `airdrop request failed: ${transactionErrorText(outcome.failure.err)}`,
      );
    }
    return outcome.signature;
  }

  /** Makes LiteSVM's clock, blockhash and SlotHashes match our current slot. */
  prepareBank(slot: number): void {
    const recent: { slot: bigint; hash: string }[] = [];
    for (let s = slot; s >= 0 && s >= slot - MAX_PROCESSING_AGE; s -= 1)
      recent.push({ slot: BigInt(s), hash: this.blockhashes.hashOf(s) });
    this.bank.prepareSlot(
      slot,
      this.clock.blockTime(slot) ?? Math.floor(Date.now() / 1000),
      this.epochOf(slot),
      recent,
    );
  }

  /** Durable-nonce transactions: first instruction advances a nonce whose value is the blockhash. */
  private isValidDurableNonce(tx: ParsedTransaction): boolean {
    const first = tx.message.instructions[0];
    if (!first || tx.message.accountKeys[first.programIdIndex] !== SYSTEM_PROGRAM_ID) return false;
    if (first.data.length < 4 || first.data[0] !== 4 || first.data[1] !== 0) return false; // AdvanceNonceAccount
    const nonceIndex = first.accounts[0];
    const nonceKey = nonceIndex === undefined ? undefined : tx.message.accountKeys[nonceIndex];
    if (!nonceKey) return false;
    const account = this.bank.account(bs58.decode(nonceKey));
    if (!account) return false;
    const data = account.data();
    return data.length >= 72 && bs58.encode(data.subarray(40, 72)) === tx.message.recentBlockhash;
  }
}

function rejected(signature: string, err: TransactionErrorJson): SubmitOutcome {
  return {
    kind: 'rejected',
    signature,
    failure: { err, logs: [], unitsConsumed: 0, returnData: null, innerInstructions: [] },
  };
}
