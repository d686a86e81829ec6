/**
 * The exactly-once send protocol (DESIGN §5), shared by payouts and memos: one row per
 * business key, run as db step, chain step, db step over a `SendOnceLedger`:
 *
 *  1. no signed transaction yet → sign and persist bytes, signature and last valid block
 *     height BEFORE anything is sent, with a compare-and-set on the previous signature so
 *     concurrent senders agree on one; the one that stored it sends it at once (step 4: no
 *     re-read and no status check first, since nobody can have sent it before);
 *  2. a stored signature → ask the chain: landed at our commitment → record it confirmed and
 *     stop; landed but failed → record failed, permanent;
 *  3. not landed and the FINALIZED block height is past the stored last valid block height
 *     → it can never land (the status is re-read after the height), so sign a fresh one and
 *     persist it, again before sending;
 *  4. otherwise resend the very same stored bytes and wait, bounded, for confirmation
 *     (status checks 100 ms apart at first, doubling up to `pollMs`).
 * Any crash between steps leaves a state the next attempt resumes from, and one key never
 * has two different transactions on chain.
 */
import {
  blockTimeOf,
  broadcastSigned,
  reachedCommitment,
  signatureStatus,
  signedExpired,
  type SignedTransaction,
} from '../src/chain/signed-transaction';
import type { ChainDeps } from '../src/chain/deps';
import { chainError, type ChainErrorCode } from '../src/chain/errors';

/** What the protocol reads of a row. */
export interface SendOnceState {
  status: 'pending' | 'signed' | 'confirmed' | 'failed';
  stored: SignedTransaction | null;
  attempts: number;
  lastError: string | null;
}

export interface Landed {
  signature: string;
  slot: number;
  blockTime: Date | null;
}

/** The rows of one kind of exactly-once send (payouts, memos). */
export interface SendOnceLedger<Row> {
  /** 'payout', 'memo': names the row in messages and logs. */
  noun: string;
  codes: { failed: ChainErrorCode; notConfirmedYet: ChainErrorCode };
  load(key: string): Promise<Row>;
  state(row: Row): SendOnceState;
  /** Builds and signs the row's transaction; nothing is sent. */
  sign(row: Row): Promise<SignedTransaction>;
  /** Stores `signed` if the stored signature is still `previous`; false when a concurrent sender won. */
  store(key: string, previous: string | null, signed: SignedTransaction): Promise<boolean>;
  recordSendRejected(key: string, reason: string): Promise<void>;
  recordFailed(key: string, signature: string, reason: string): Promise<void>;
  recordConfirmed(row: Row, landed: Landed): Promise<Row>;
}

type SendLogger = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export interface SendOnceOptions {
  /** Give up (transient not-confirmed-yet) after this long; default 60 s. */
  timeoutMs?: number;
  /** The first pause between status checks while waiting (doubling up to `pollMs`); default 100 ms. */
  firstPollMs?: number;
  /** Longest pause between status checks while waiting; default 500 ms. */
  pollMs?: number;
  /** Resend the stored bytes at most this often while waiting; default 2 s. */
  resendMs?: number;
  /** Called on every round (activities heartbeat here). */
  onProgress?: (state: { key: string; signature: string | null; attempts: number }) => void;
  /** Stops waiting when aborted (activity cancellation). */
  signal?: AbortSignal;
  logger?: SendLogger;
}

/** Sends the row under `key` exactly once and waits for it at the chain's commitment; returns the confirmed row. */
export async function sendOnce<Row>(
  ledger: SendOnceLedger<Row>,
  chain: ChainDeps,
  key: string,
  options: SendOnceOptions = {},
): Promise<Row> {
  const { noun, codes } = ledger;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const pollMs = options.pollMs ?? 500;
  let wait = Math.min(options.firstPollMs ?? 100, pollMs);
  const resendMs = options.resendMs ?? 2_000;
  let sentSignature: string | null = null;
  let sentAt = 0;
  // A transaction this call just stored: sent at once, no re-read (nobody sent it before us).
  let fresh: SignedTransaction | null = null;
  // The row as last loaded (a fresh transaction's row is the one it was signed from).
  let row: Row | undefined;
  let stored: SignedTransaction;

  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error(`${noun} cancelled`);
    if (!fresh || row === undefined) {
      row = await ledger.load(key);
      const state = ledger.state(row);
      options.onProgress?.({ key, signature: state.stored?.signature ?? null, attempts: state.attempts });
      if (state.status === 'confirmed') return row;
      if (state.status === 'failed') {
        throw chainError(codes.failed, `${noun} ${key} failed: ${state.lastError ?? 'unknown reason'}`, {
          key,
        });
      }
      if (!state.stored) {
        fresh = await signAndStore(ledger, row, key, null, options.logger);
        continue;
      }
      stored = state.stored;
    } else stored = fresh;

    let status = fresh ? null : await signatureStatus(chain, stored.signature);
    fresh = null;
    if (!status) {
      const due = sentSignature !== stored.signature || Date.now() - sentAt >= resendMs;
      if (due) {
        const rejected = await broadcastSigned(chain, stored.wire);
        if (rejected) {
          // Transient: funding the payer (or the node recovering) fixes it.
          await ledger.recordSendRejected(key, rejected);
          throw chainError(codes.notConfirmedYet, `${noun} ${key}: ${rejected}`, { key });
        }
        if (sentSignature !== stored.signature)
          options.logger?.info({ [noun]: key, signature: stored.signature }, `${noun} transaction sent`);
        sentSignature = stored.signature;
        sentAt = Date.now();
        status = await signatureStatus(chain, stored.signature);
      }
    }
    if (status) {
      if (reachedCommitment(status, chain.commitment)) {
        if (!status.err) {
          const blockTime = await blockTimeOf(chain, status.slot);
          const confirmed = await ledger.recordConfirmed(row, {
            signature: stored.signature,
            slot: status.slot,
            blockTime,
          });
          options.logger?.info(
            { [noun]: key, signature: stored.signature, slot: status.slot },
            `${noun} confirmed`,
          );
          return confirmed;
        }
        const reason = `transaction ${stored.signature} landed but failed: ${JSON.stringify(status.err)}`;
        await ledger.recordFailed(key, stored.signature, reason);
        throw chainError(codes.failed, `${noun} ${key}: ${reason}`, { key, signature: stored.signature });
      }
    } else if (await signedExpired(chain, stored)) {
      // The stored transaction can never land: a fresh one replaces it (persisted before it is sent).
      options.logger?.warn(
        { [noun]: key, signature: stored.signature },
        `${noun} transaction expired unseen; re-signing`,
      );
      fresh = await signAndStore(ledger, row, key, stored.signature, options.logger);
      continue;
    }

    if (Date.now() >= deadline) {
      throw chainError(
        codes.notConfirmedYet,
        `${noun} ${key}: transaction ${stored.signature} not ${chain.commitment} yet; the next attempt re-checks it`,
        { key, signature: stored.signature },
      );
    }
    await pause(wait, options.signal);
    wait = Math.min(wait * 2, pollMs);
  }
}

/**
 * Step 1 on its own: signs and persists (if nothing is stored yet) and returns the stored
 * signature, without sending. For tools and tests (a crash between signing and sending).
 */
export async function signOnce<Row>(ledger: SendOnceLedger<Row>, key: string): Promise<string> {
  for (;;) {
    const row = await ledger.load(key);
    const stored = ledger.state(row).stored;
    if (stored) return stored.signature;
    await signAndStore(ledger, row, key, null);
  }
}

/**
 * Chain step (sign), then db step (store if the stored signature is still `previous`).
 * Answers the transaction when this call stored it, null when a concurrent sender won.
 */
async function signAndStore<Row>(
  ledger: SendOnceLedger<Row>,
  row: Row,
  key: string,
  previous: string | null,
  logger?: SendLogger,
): Promise<SignedTransaction | null> {
  const signed = await ledger.sign(row);
  if (!(await ledger.store(key, previous, signed))) return null;
  logger?.info(
    {
      [ledger.noun]: key,
      signature: signed.signature,
      lastValidBlockHeight: Number(signed.lastValidBlockHeight),
      replaces: previous,
    },
    `${ledger.noun} transaction signed and stored`,
  );
  return signed;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
