/**
 * Payout activities: record a payout under its business key, and send it exactly once.
 * The protocol (DESIGN §5) is run here, as db step, chain step, db step: the rows are
 * src/db/payouts.ts's, the chain facts src/chain/payout.ts's.
 *
 *  1. no signed transaction yet → sign the transfer (memo naming the key) and persist bytes,
 *     signature and last valid block height BEFORE anything is sent, with a compare-and-set
 *     on the previous signature so concurrent senders agree on one;
 *  2. a stored signature → ask the chain: landed at our commitment → record it confirmed
 *     (and its chain receipt) and stop; landed but failed → record failed, permanent;
 *  3. not landed and the FINALIZED block height is past the stored last valid block height
 *     → it can never land (the status is re-read after the height), so sign a fresh one and
 *     persist it, again before sending;
 *  4. otherwise resend the very same stored bytes and wait, bounded, for confirmation.
 * Any crash between steps leaves a state the next attempt resumes from. Results and failures
 * carry keys, signatures, addresses and amounts only: never signed bytes or key material,
 * since they enter workflow history. Permanent failures (PayoutFailed, PayoutKeyConflict,
 * InvalidPayout, PayerKeyUnavailable, PayoutNotFound, InvalidAddress) are non-retryable
 * ApplicationFailures of that type; the rest retry (option preset `payoutSend`).
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { chainError, toActivityFailure } from '../src/chain/errors';
import {
  blockTimeOf,
  broadcastPayout,
  payoutExpired,
  payoutStatus,
  reachedCommitment,
  signPayoutTransaction,
} from '../src/chain/payout';
import type { Payout, PayoutKind } from '../src/db/entities';
import {
  createPayout,
  loadPayout,
  recordPayoutConfirmed,
  recordPayoutFailed,
  recordSendRejected,
  storedTransaction,
  storeSignedPayout,
} from '../src/db/payouts';
import { parseBaseUnits, type Currency } from '../src/domain/money';
import { payoutsConfirmed, payoutsFailed, payoutsSent } from '../src/metrics';
import type { ActivityDeps } from './index';

export interface RecordPayoutInput {
  key: string;
  kind: PayoutKind;
  recipient: string;
  currency: Currency;
  /** Base units as a decimal string (bigints do not survive workflow payloads). */
  amountBaseUnits: string;
}

export interface RecordedPayout {
  key: string;
  status: string;
  signature: string | null;
}

/** What a finished payout reports; JSON-safe (the amount as a string) for workflow history. */
export interface PayoutOutcome {
  key: string;
  status: 'confirmed';
  signature: string;
  slot: number;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
  attempts: number;
}

type PayoutLogger = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export interface SendPayoutOptions {
  /** Give up (transient PayoutNotConfirmedYet) after this long; default 60 s. */
  timeoutMs?: number;
  /** Pause between status checks while waiting; default 500 ms. */
  pollMs?: number;
  /** Resend the stored bytes at most this often while waiting; default 2 s. */
  resendMs?: number;
  /** Called on every round (activities heartbeat here). */
  onProgress?: (state: { key: string; signature: string | null; attempts: number }) => void;
  /** Stops waiting when aborted (activity cancellation). */
  signal?: AbortSignal;
  logger?: PayoutLogger;
}

/** Sends payout `key` exactly once and waits for it at the chain's commitment. */
export async function sendPayout(
  em: EntityManager,
  chain: ChainDeps,
  key: string,
  options: SendPayoutOptions = {},
): Promise<PayoutOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const pollMs = options.pollMs ?? 500;
  const resendMs = options.resendMs ?? 2_000;
  let sentSignature: string | null = null;
  let sentAt = 0;

  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('payout cancelled');
    const row = await loadPayout(em, key);
    options.onProgress?.({ key, signature: row.signature ?? null, attempts: row.attempts });
    if (row.status === 'confirmed') return outcomeOf(row);
    if (row.status === 'failed') {
      throw chainError('PayoutFailed', `payout ${key} failed: ${row.lastError ?? 'unknown reason'}`, { key });
    }
    const stored = storedTransaction(row);
    if (!stored) {
      await signAndStore(em, chain, row, null, options.logger);
      continue;
    }

    let status = await payoutStatus(chain, stored.signature);
    if (!status) {
      const due = sentSignature !== stored.signature || Date.now() - sentAt >= resendMs;
      if (due) {
        const rejected = await broadcastPayout(chain, stored.wire);
        if (rejected) {
          // Transient: funding the payer (or the node recovering) fixes it.
          await recordSendRejected(em, key, rejected);
          throw chainError('PayoutNotConfirmedYet', `payout ${key}: ${rejected}`, { key });
        }
        sentSignature = stored.signature;
        sentAt = Date.now();
        status = await payoutStatus(chain, stored.signature);
      }
    }
    if (status) {
      if (reachedCommitment(status, chain.commitment)) {
        if (!status.err) {
          const blockTime = await blockTimeOf(chain, status.slot);
          const confirmed = await recordPayoutConfirmed(em, row, {
            signature: stored.signature,
            slot: status.slot,
            blockTime,
          });
          payoutsConfirmed.inc({ kind: row.kind });
          options.logger?.info(
            { payout: key, signature: stored.signature, slot: status.slot },
            'payout confirmed',
          );
          return outcomeOf(confirmed);
        }
        const reason = `transaction ${stored.signature} landed but failed: ${JSON.stringify(status.err)}`;
        await recordPayoutFailed(em, key, stored.signature, reason);
        payoutsFailed.inc({ kind: row.kind });
        throw chainError('PayoutFailed', `payout ${key}: ${reason}`, { key, signature: stored.signature });
      }
    } else if (await payoutExpired(chain, stored)) {
      // The stored transaction can never land: a fresh one replaces it (persisted before it is sent).
      options.logger?.warn(
        { payout: key, signature: stored.signature },
        'payout transaction expired unseen; re-signing',
      );
      await signAndStore(em, chain, row, stored.signature, options.logger);
      continue;
    }

    if (Date.now() >= deadline) {
      throw chainError(
        'PayoutNotConfirmedYet',
        `payout ${key}: transaction ${stored.signature} not ${chain.commitment} yet; the next attempt re-checks it`,
        { key, signature: stored.signature },
      );
    }
    await pause(pollMs, options.signal);
  }
}

/**
 * Step 1 on its own: signs and persists (if nothing is stored yet) and returns the stored
 * signature, without sending. `sendPayout` does this itself; exported for tools and tests.
 */
export async function signPayout(em: EntityManager, chain: ChainDeps, key: string): Promise<string> {
  for (;;) {
    const row = await loadPayout(em, key);
    const stored = storedTransaction(row);
    if (stored) return stored.signature;
    await signAndStore(em, chain, row, null);
  }
}

/** Chain step (sign), then db step (store if the stored signature is still `previous`). */
async function signAndStore(
  em: EntityManager,
  chain: ChainDeps,
  row: Payout,
  previous: string | null,
  logger?: PayoutLogger,
): Promise<void> {
  const signed = await signPayoutTransaction(chain, row);
  if (await storeSignedPayout(em, row.key, previous, signed)) {
    payoutsSent.inc({ kind: row.kind });
    logger?.info(
      {
        payout: row.key,
        signature: signed.signature,
        lastValidBlockHeight: Number(signed.lastValidBlockHeight),
        replaces: previous,
      },
      'payout transaction signed and stored',
    );
  }
}

function outcomeOf(row: Payout): PayoutOutcome {
  if (
    row.status !== 'confirmed' ||
    !row.signature ||
    row.confirmedSlot === null ||
    row.confirmedSlot === undefined
  ) {
    // Only reachable if the row changed under us; the next attempt re-reads it.
    throw chainError('PayoutNotConfirmedYet', `payout ${row.key} is ${row.status}, not confirmed yet`, {
      key: row.key,
    });
  }
  return {
    key: row.key,
    status: 'confirmed',
    signature: row.signature,
    slot: Number(row.confirmedSlot),
    recipient: row.recipient,
    currency: row.currency,
    amountBaseUnits: row.amountBaseUnits.toString(),
    attempts: row.attempts,
  };
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

export function createPayoutActivities(deps: ActivityDeps) {
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(deps.config, deps.logger));
  const logger = deps.logger.child({ area: 'payouts' });
  const em = () => deps.orm.em.fork() as EntityManager;

  return {
    /** Creates the payout row (idempotent on key; a different payload under the same key fails). */
    async recordPayout(input: RecordPayoutInput): Promise<RecordedPayout> {
      try {
        const row = await createPayout(em(), {
          ...input,
          amountBaseUnits: parseBaseUnits(input.amountBaseUnits),
        });
        return { key: row.key, status: row.status, signature: row.signature ?? null };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Sends payout `key` exactly once and waits for it at the configured commitment. */
    async sendPayout(key: string): Promise<PayoutOutcome> {
      const context = asyncLocalStorage.getStore();
      try {
        return await sendPayout(em(), chainDeps(), key, {
          logger,
          signal: context?.cancellationSignal,
          onProgress: context ? (state) => context.heartbeat(state) : undefined,
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  };
}
