/**
 * Slots advance on the wall clock and every slot has a blockhash derived from a secret
 * genesis seed, so any past block (blockhash, parent, time) can be answered without storing
 * it, and a recent blockhash can be checked for age like mainnet (150 slots).
 */
import { createHash } from 'node:crypto';
import bs58 from 'bs58';

/** Blocks a blockhash stays usable for (agave MAX_PROCESSING_AGE). */
export const MAX_PROCESSING_AGE = 150;
/** Slots after which a transaction counts as finalized (roughly mainnet's root lag). */
export const FINALIZATION_DEPTH = 32;
/** How long recent signatures stay in the "status cache" answered without searchTransactionHistory. */
export const STATUS_CACHE_SLOTS = 300;
export const SLOTS_PER_EPOCH = 432_000;

/** A run of slots produced at a steady rate; a restart or a warp starts a new one. */
export interface ClockSegment {
  firstSlot: number;
  startMs: number;
  slotMs: number;
}

export class SlotClock {
  private readonly segments: ClockSegment[];
  private current: number;

  constructor(
    private readonly slotMs: number,
    previous: { segments: ClockSegment[]; resumeSlot: number } | null,
    now = Date.now(),
  ) {
    this.segments = previous ? [...previous.segments] : [];
    const firstSlot = previous ? previous.resumeSlot : 0;
    this.segments.push({ firstSlot, startMs: now, slotMs });
    this.current = firstSlot;
  }

  get slot(): number {
    return this.current;
  }

  get history(): readonly ClockSegment[] {
    return this.segments;
  }

  /** Moves to the slot the wall clock implies; returns the previous slot. */
  sync(now = Date.now()): number {
    const before = this.current;
    const last = this.segments[this.segments.length - 1];
    if (last) {
      const target = last.firstSlot + Math.floor((now - last.startMs) / last.slotMs);
      if (target > this.current) this.current = target; // never backwards if the wall clock is
    }
    return before;
  }

  /** Jumps `count` slots ahead at once (tests: expire blockhashes, finalize). */
  warp(count: number, now = Date.now()): number {
    const before = this.current;
    this.current += Math.max(0, Math.floor(count));
    this.segments.push({ firstSlot: this.current, startMs: now, slotMs: this.slotMs });
    return before;
  }

  /** Unix seconds of a produced slot, or null for a future one. */
  blockTime(slot: number): number | null {
    if (slot < 0 || slot > this.current) return null;
    for (let i = this.segments.length - 1; i >= 0; i -= 1) {
      const segment = this.segments[i];
      if (!segment || segment.firstSlot > slot) continue;
      let ms = segment.startMs + (slot - segment.firstSlot) * segment.slotMs;
      const next = this.segments[i + 1];
      if (next && ms > next.startMs) ms = next.startMs; // slots skipped over by a warp
      return Math.floor(ms / 1000);
    }
    return Math.floor((this.segments[0]?.startMs ?? Date.now()) / 1000);
  }
}

export class Blockhashes {
  readonly genesisHash: string;
  private readonly bySlot = new Map<number, string>();
  private readonly byHash = new Map<string, number>();

  constructor(private readonly secret: Uint8Array) {
    this.genesisHash = bs58.encode(createHash('sha256').update(secret).update('genesis').digest());
  }

  hashOf(slot: number): string {
    const cached = this.bySlot.get(slot);
    if (cached) return cached;
    const slotBytes = Buffer.alloc(8);
    slotBytes.writeBigUInt64LE(BigInt(slot));
    return bs58.encode(createHash('sha256').update(this.secret).update(slotBytes).digest());
  }

  previousHashOf(slot: number): string {
    return slot === 0 ? this.genesisHash : this.hashOf(slot - 1);
  }

  /** Registers the recent window after the clock moved from `from` to `to`. */
  advance(from: number, to: number): void {
    const start = Math.max(from + 1, to - STATUS_CACHE_SLOTS, 0);
    for (let slot = start; slot <= to; slot += 1) {
      const hash = this.hashOf(slot);
      this.bySlot.set(slot, hash);
      this.byHash.set(hash, slot);
    }
    // Maps iterate in insertion order, i.e. oldest slot first.
    for (const [slot, hash] of this.bySlot) {
      if (slot >= to - STATUS_CACHE_SLOTS) break;
      this.bySlot.delete(slot);
      this.byHash.delete(hash);
    }
  }

  /** Slot of a recent blockhash (last few hundred slots), if known. */
  recentSlotOf(blockhash: string): number | undefined {
    return this.byHash.get(blockhash);
  }
}
