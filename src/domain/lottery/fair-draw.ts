/**
 * Provably fair lottery draw (DESIGN §5). Pure and deterministic: runs unchanged in Node,
 * in the browser dashboard and in the Temporal workflow sandbox (@noble/hashes is plain JS).
 *
 * Why it is fair: the seed is committed (only SHA-256(seed) published) before any ticket is
 * sold, so the operator cannot choose it after seeing the tickets; the beacon is the
 * blockhash of the first finalized Solana slot after the ticket set is frozen, unknown
 * until then and produced by validators who do not know the seed; the ticket digest pins
 * the exact ordered list that the index points into.
 *
 * ## Exact byte layout (version `DRAW_ALGORITHM`), enough to reimplement it
 *
 *   seed            32 secret bytes, published as 64 hex characters (any case on input).
 *   seedCommitment  lowercase hex of SHA-256(seed bytes)  — the 32 raw bytes, not the hex text.
 *
 *   ticket digest   lowercase hex of SHA-256(L_0 ‖ L_1 ‖ … ‖ L_{N−1}) over the tickets in
 *                   strictly ascending ticket-number order, where
 *                     L_i = ASCII(ticket number in decimal, no sign, no leading zeros)
 *                           ‖ ":" ‖ ASCII(owner wallet, base58 as usual) ‖ "\n"
 *                   e.g. "1:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\n" (every byte ASCII,
 *                   so UTF-8 = ASCII). No header, no trailer; zero tickets → SHA-256("").
 *
 *   winner index    N = ticket count (≥ 1), key = the 32 seed bytes. For c = 0, 1, 2, …:
 *                     M_c = UTF8(beacon blockhash, base58 text as returned by the RPC)
 *                           ‖ UTF8(ticket digest, exactly 64 lowercase hex characters)
 *                           ‖ BE32(c)                 (c as a 4-byte big-endian unsigned int)
 *                     H_c = HMAC-SHA256(key, M_c)     (32 bytes)
 *                     X_c = H_c[0..8] read as an unsigned 64-bit big-endian integer
 *                   limit = 2^64 − (2^64 mod N). The first c with X_c < limit gives
 *                   winnerIndex = X_c mod N (rejection sampling: every index is exactly
 *                   equally likely). No separators are needed: the digest and the counter
 *                   have fixed lengths, so the beacon is whatever precedes them.
 *   winner          the ticket at zero-based position winnerIndex of the ordered list.
 *
 * The same in Python:
 *
 *   def winner_index(seed_hex, blockhash, digest_hex, n):
 *       key, limit, c = bytes.fromhex(seed_hex), 2**64 - (2**64 % n), 0
 *       while True:
 *           msg = blockhash.encode() + digest_hex.encode() + c.to_bytes(4, 'big')
 *           x = int.from_bytes(hmac.new(key, msg, hashlib.sha256).digest()[:8], 'big')
 *           if x < limit: return x % n
 *           c += 1
 *
 * A verifier should also check on chain that `beaconBlockhash` is the blockhash of
 * `beaconSlot` (that needs RPC, so it is not done here).
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { DomainError } from '../errors';

/** Names the layout above; bump it if any byte of it ever changes. */
export const DRAW_ALGORITHM = 'sr-draw-v1:hmac-sha256-u64-rejection';
export const SEED_BYTES = 32;

export type FairDrawErrorCode =
  | 'INVALID_SEED'
  | 'INVALID_BEACON'
  | 'INVALID_TICKET_DIGEST'
  | 'INVALID_TICKET_COUNT'
  | 'INVALID_TICKET'
  | 'TICKETS_OUT_OF_ORDER';

const drawError = (code: FairDrawErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError<FairDrawErrorCode>(code, message, details);

export interface DrawTicket {
  ticketNumber: number;
  wallet: string;
}

export interface DrawInput {
  seedHex: string;
  beaconBlockhash: string;
  ticketDigestHex: string;
  ticketCount: number;
}

/** Everything the public needs to recompute a draw (`GET /lottery/rounds/:id/proof`). */
interface DrawProofCommon {
  roundId: string;
  seedCommitment: string;
  revealedSeed: string;
  beaconSlot: number;
  beaconBlockhash: string;
  winnerIndex: number;
  winnerTicketNumber: number;
  winnerWallet: string;
}

/** Either the full ordered ticket list (digest and count then optional), or digest + count. */
export type DrawProof = DrawProofCommon &
  (
    | { tickets: readonly DrawTicket[]; ticketDigest?: string; ticketCount?: number }
    | { tickets?: undefined; ticketDigest: string; ticketCount: number }
  );

/** NOT_CHECKED: the proof lacks the data (the digest cannot be recomputed without tickets). */
export type DrawCheck = 'OK' | 'MISMATCH' | 'NOT_CHECKED';

export interface DrawVerification {
  /** Commitment and winner OK, and the digest not MISMATCH. */
  ok: boolean;
  checks: { commitment: DrawCheck; digest: DrawCheck; winner: DrawCheck };
  /** Recomputed from the proof's data; null when it could not be computed. */
  winnerIndex: number | null;
  /** The ticket at the recomputed index; null without a ticket list. */
  winnerTicketNumber: number | null;
  /** The digest the winner was computed from (recomputed when tickets are included). */
  ticketDigest: string | null;
  /** Human-readable reasons for every MISMATCH. */
  problems: string[];
}

/** Lowercase hex of SHA-256(seed bytes): what is published before sales open. */
export function seedCommitment(seedHex: string): string {
  return bytesToHex(sha256(seedBytes(seedHex)));
}

export interface TicketDigester {
  /** Appends the next ticket; numbers must be strictly ascending. */
  add(ticket: DrawTicket): void;
  readonly count: number;
  /** Finishes the digest; the digester cannot be used afterwards. */
  digestHex(): string;
}

/**
 * A streaming SHA-256. The default is @noble/hashes (pure JS, runs everywhere); Node code
 * that digests large sets may pass `() => createHash('sha256')` from node:crypto, which has
 * the same shape and is about twice as fast. Same bytes in, same digest out.
 */
export interface Sha256Stream {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

export interface TicketDigestOptions {
  createSha256?: () => Sha256Stream;
}

/**
 * Incremental ticket-set digest, for streaming tickets page by page from the database
 * without holding the set in memory. Lines are written into a reused 64 KiB buffer that is
 * hashed whenever it fills, so a million tickets take about half a second in pure JS.
 */
export function createTicketDigester(options: TicketDigestOptions = {}): TicketDigester {
  const hash: Sha256Stream = options.createSha256 ? options.createSha256() : sha256.create();
  const buffer = new Uint8Array(64 * 1024);
  let used = 0;
  let count = 0;
  let lastNumber = -1;
  let finished = false;

  return {
    add(ticket: DrawTicket): void {
      if (finished) throw new Error('ticket digester already finished');
      const { ticketNumber, wallet } = ticket ?? ({} as Partial<DrawTicket>);
      if (typeof ticketNumber !== 'number' || !isSafeInteger(ticketNumber) || ticketNumber < 0) {
        throw drawError(
          'INVALID_TICKET',
          `ticket at position ${count}: ticket number must be a non-negative integer, got ${String(ticketNumber)}`,
        );
      }
      if (ticketNumber <= lastNumber) {
        throw drawError(
          'TICKETS_OUT_OF_ORDER',
          `ticket at position ${count}: ticket numbers must be strictly ascending, got ${ticketNumber} after ${lastNumber}`,
        );
      }
      // Longest line: 16 digits + ":" + 44 + "\n".
      if (used + 62 > buffer.length) {
        hash.update(buffer.subarray(0, used));
        used = 0;
      }
      const lineStart = used;
      const digits = `${ticketNumber}`;
      for (let i = 0; i < digits.length; i++) buffer[used++] = digits.charCodeAt(i);
      buffer[used++] = 0x3a; // ':'
      // Validate and copy the wallet in one pass: this loop is most of the cost for 10^6 tickets.
      const length = typeof wallet === 'string' ? wallet.length : 0;
      let valid = length >= 32 && length <= 44;
      for (let i = 0; valid && i < length; i++) {
        const code = (wallet as string).charCodeAt(i);
        valid = code < 128 && IS_BASE58[code] === 1;
        buffer[used++] = code;
      }
      if (!valid) {
        used = lineStart;
        throw drawError(
          'INVALID_TICKET',
          `ticket ${ticketNumber}: wallet is not a base58 address: ${JSON.stringify(wallet)}`,
        );
      }
      buffer[used++] = 0x0a; // '\n'
      lastNumber = ticketNumber;
      count++;
    },
    get count() {
      return count;
    },
    digestHex(): string {
      if (finished) throw new Error('ticket digester already finished');
      finished = true;
      if (used > 0) hash.update(buffer.subarray(0, used));
      return bytesToHex(Uint8Array.from(hash.digest()));
    },
  };
}

/** Lowercase hex SHA-256 of the canonical encoding of the ordered ticket list (see top). */
export function ticketSetDigest(tickets: Iterable<DrawTicket>, options: TicketDigestOptions = {}): string {
  const digester = createTicketDigester(options);
  for (const ticket of tickets) digester.add(ticket);
  return digester.digestHex();
}

export interface DrawResult {
  winnerIndex: number;
  /** 64-bit blocks rejected before one was accepted (almost always 0). */
  rejectedBlocks: number;
}

/** The draw of the layout above, also reporting how many blocks rejection sampling skipped. */
export function drawWinner(input: DrawInput): DrawResult {
  const key = seedBytes(input.seedHex);
  const beacon = input.beaconBlockhash;
  if (!isBase58(beacon, 32, 44)) {
    throw drawError('INVALID_BEACON', `beacon blockhash is not a base58 hash: ${JSON.stringify(beacon)}`);
  }
  const digest = normalizeDigestHex(input.ticketDigestHex);
  const count = input.ticketCount;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    throw drawError('INVALID_TICKET_COUNT', `ticket count must be a positive integer, got ${String(count)}`);
  }

  const prefix = asciiBytes(beacon + digest);
  const message = new Uint8Array(prefix.length + 4);
  message.set(prefix);
  const counterView = new DataView(message.buffer, prefix.length, 4);

  const n = BigInt(count);
  const limit = TWO_POW_64 - (TWO_POW_64 % n);
  for (let counter = 0; counter <= 0xffffffff; counter++) {
    counterView.setUint32(0, counter, false);
    const block = hmac(sha256, key, message);
    const view = new DataView(block.buffer, block.byteOffset, 8);
    const x = (BigInt(view.getUint32(0, false)) << 32n) | BigInt(view.getUint32(4, false));
    if (x < limit) return { winnerIndex: Number(x % n), rejectedBlocks: counter };
  }
  // Each block is rejected with probability < N / 2^64 ≤ 2^-11; 2^32 rejections in a row cannot happen.
  throw new Error('rejection sampling exhausted its counter');
}

/** Unbiased winner index in [0, ticketCount). */
export const drawWinnerIndex = (input: DrawInput): number => drawWinner(input).winnerIndex;

/**
 * Recomputes a published draw from public data alone. Never throws on malformed or
 * tampered data: every problem becomes a MISMATCH with a reason in `problems`.
 */
export function verifyDrawProof(proof: DrawProof): DrawVerification {
  const problems: string[] = [];
  const checks: DrawVerification['checks'] = {
    commitment: 'MISMATCH',
    digest: 'NOT_CHECKED',
    winner: 'MISMATCH',
  };

  try {
    const recomputed = seedCommitment(proof.revealedSeed);
    if (typeof proof.seedCommitment === 'string' && recomputed === proof.seedCommitment.toLowerCase()) {
      checks.commitment = 'OK';
    } else {
      problems.push(
        `SHA-256 of the revealed seed is ${recomputed}, not the published commitment ${String(proof.seedCommitment)}`,
      );
    }
  } catch (error) {
    problems.push(`revealed seed: ${messageOf(error)}`);
  }

  let digest: string | null = null;
  let count: number | null = null;
  const tickets = proof.tickets ?? null;
  if (tickets !== null) {
    try {
      digest = ticketSetDigest(tickets);
      count = tickets.length;
      checks.digest = 'OK';
      if (proof.ticketDigest != null && String(proof.ticketDigest).toLowerCase() !== digest) {
        checks.digest = 'MISMATCH';
        problems.push(
          `the ticket list digests to ${digest}, not the published ${String(proof.ticketDigest)}`,
        );
      }
      if (proof.ticketCount != null && proof.ticketCount !== count) {
        checks.digest = 'MISMATCH';
        problems.push(`the ticket list has ${count} tickets, not the published ${String(proof.ticketCount)}`);
      }
    } catch (error) {
      checks.digest = 'MISMATCH';
      problems.push(`ticket list: ${messageOf(error)}`);
    }
  } else {
    digest = typeof proof.ticketDigest === 'string' ? proof.ticketDigest.toLowerCase() : null;
    count = proof.ticketCount ?? null;
  }

  let winnerIndex: number | null = null;
  let winnerTicketNumber: number | null = null;
  if (digest !== null && count !== null) {
    try {
      winnerIndex = drawWinnerIndex({
        seedHex: proof.revealedSeed,
        beaconBlockhash: proof.beaconBlockhash,
        ticketDigestHex: digest,
        ticketCount: count,
      });
      const winnerProblems: string[] = [];
      if (winnerIndex !== proof.winnerIndex) {
        winnerProblems.push(
          `the draw gives winner index ${winnerIndex}, not the published ${String(proof.winnerIndex)}`,
        );
      }
      if (tickets !== null) {
        const winner = tickets[winnerIndex];
        winnerTicketNumber = winner?.ticketNumber ?? null;
        if (winner?.ticketNumber !== proof.winnerTicketNumber) {
          winnerProblems.push(
            `the ticket at index ${winnerIndex} is number ${String(winner?.ticketNumber)}, not the published ${String(proof.winnerTicketNumber)}`,
          );
        }
        if (winner?.wallet !== proof.winnerWallet) {
          winnerProblems.push(
            `the ticket at index ${winnerIndex} belongs to ${String(winner?.wallet)}, not the published winner ${String(proof.winnerWallet)}`,
          );
        }
      }
      if (winnerProblems.length === 0) checks.winner = 'OK';
      problems.push(...winnerProblems);
    } catch (error) {
      problems.push(`winner: ${messageOf(error)}`);
    }
  } else {
    problems.push('winner: the proof has neither a ticket list nor a ticket digest and count');
  }

  return {
    ok: checks.commitment === 'OK' && checks.winner === 'OK' && checks.digest !== 'MISMATCH',
    checks,
    winnerIndex,
    winnerTicketNumber,
    ticketDigest: digest,
    problems,
  };
}

/** True for a 64-hex-character (32-byte) seed. */
export const isSeedHex = (value: unknown): value is string =>
  typeof value === 'string' && value.length === SEED_BYTES * 2 && HEX.test(value);

const HEX = /^[0-9a-fA-F]*$/;
// Hot-loop copies of globals: in a vm context (Jest, the Temporal sandbox) every global
// lookup goes through the context's global proxy and costs more than the work around it.
const isSafeInteger = Number.isSafeInteger;
const TWO_POW_64 = 1n << 64n;
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const IS_BASE58 = (() => {
  const table = new Uint8Array(128);
  for (let i = 0; i < BASE58_ALPHABET.length; i++) table[BASE58_ALPHABET.charCodeAt(i)] = 1;
  return table;
})();

function isBase58(value: unknown, minLength: number, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || IS_BASE58[code] !== 1) return false;
  }
  return true;
}

function seedBytes(seedHex: string): Uint8Array {
  if (!isSeedHex(seedHex)) {
    throw drawError('INVALID_SEED', `seed must be ${SEED_BYTES} bytes as ${SEED_BYTES * 2} hex characters`);
  }
  const bytes = new Uint8Array(SEED_BYTES);
  for (let i = 0; i < SEED_BYTES; i++) bytes[i] = parseInt(seedHex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function normalizeDigestHex(value: string): string {
  if (typeof value !== 'string' || value.length !== 64 || !HEX.test(value)) {
    throw drawError(
      'INVALID_TICKET_DIGEST',
      `ticket digest must be 64 hex characters, got ${JSON.stringify(value)}`,
    );
  }
  return value.toLowerCase();
}

/** Callers pass only validated base58 and hex text, so every char is ASCII. */
function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
