/**
 * Payout activities: record a payout under its business key, and send it exactly once
 * through the shared protocol of activities/send-once.ts (rows: src/db/payouts.ts; chain
 * steps: src/chain/payout.ts). Results and failures carry keys, signatures, addresses and
 * amounts only: never signed bytes or key material, since they enter workflow history.
 * Permanent failures (PayoutFailed, PayoutKeyConflict, InvalidPayout, PayerKeyUnavailable,
 * PayoutNotFound, InvalidAddress) are non-retryable ApplicationFailures of that type; the
 * rest retry (option preset `payoutSend`).
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { chainError, toActivityFailure } from '../src/chain/errors';
import { signPayoutTransaction } from '../src/chain/payout';
import type { Payout, PayoutKind } from '../src/db/entities';
import {
  createPayout,
  loadPayout,
  recordPayoutConfirmed,
  recordPayoutFailed,
  recordPayoutSendRejected,
  storedTransaction,
  storeSignedPayout,
} from '../src/db/payouts';
import { markClaimPaid } from '../src/db/revenue/claims';
import { parseBaseUnits, type Currency } from '../src/domain/money';
import { payoutsConfirmed, payoutsFailed, payoutsSent } from '../src/metrics';
import { sendOnce, signOnce, type SendOnceLedger, type SendOnceOptions } from './send-once';
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

export type SendPayoutOptions = SendOnceOptions;

/** The payouts table as the exactly-once protocol sees it. */
/** The payout table as a send-once ledger, for one payout's send (its kind labels the metrics). */
function payoutLedger(em: EntityManager, chain: ChainDeps): SendOnceLedger<Payout> {
  let kind: Payout['kind'] | undefined;
  const counted = <T>(counter: { inc(labels: { kind: string }): void }, value: T): T => {
    if (kind) counter.inc({ kind });
    return value;
  };
  return {
    noun: 'payout',
    codes: { failed: 'PayoutFailed', notConfirmedYet: 'PayoutNotConfirmedYet' },
    load: async (key) => {
      const row = await loadPayout(em, key);
      kind = row.kind;
      return row;
    },
    state: (row) => ({
      status: row.status,
      stored: storedTransaction(row),
      attempts: row.attempts,
      lastError: row.lastError ?? null,
    }),
    sign: (row) => signPayoutTransaction(chain, row),
    store: async (key, previous, signed) => {
      const stored = await storeSignedPayout(em, key, previous, signed);
      return stored ? counted(payoutsSent, stored) : stored;
    },
    recordSendRejected: (key, reason) => recordPayoutSendRejected(em, key, reason),
    recordFailed: async (key, signature, reason) =>
      counted(payoutsFailed, await recordPayoutFailed(em, key, signature, reason)),
    recordConfirmed: async (row, landed) =>
      counted(payoutsConfirmed, await recordPayoutConfirmed(em, row, landed)),
  };
}

/** Sends payout `key` exactly once and waits for it at the chain's commitment. */
export async function sendPayout(
  em: EntityManager,
  chain: ChainDeps,
  key: string,
  options: SendPayoutOptions = {},
): Promise<PayoutOutcome> {
  return outcomeOf(await sendOnce(payoutLedger(em, chain), chain, key, options));
}

/**
 * Step 1 on its own: signs and persists (if nothing is stored yet) and returns the stored
 * signature, without sending. `sendPayout` does this itself; exported for tools and tests.
 */
export const signPayout = (em: EntityManager, chain: ChainDeps, key: string): Promise<string> =>
  signOnce(payoutLedger(em, chain), key);

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

export function createPayoutActivities(deps: ActivityDeps) {
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(deps.config, deps.logger));
  const logger = deps.logger.child({ area: 'payouts' });
  const em = () => deps.orm.em.fork() as EntityManager;

  const send = async (key: string): Promise<PayoutOutcome> => {
    const context = asyncLocalStorage.getStore();
    try {
      return await sendPayout(em(), chainDeps(), key, {
        logger,
        signal: context?.cancellationSignal,
        // A local activity (a claim's first try) has no heartbeat: the worker's task covers it.
        onProgress: context && !context.info.isLocal ? (state) => context.heartbeat(state) : undefined,
      });
    } catch (error) {
      throw toActivityFailure(error);
    }
  };

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
    sendPayout: send,

    /**
     * A revenue claim's payout sent exactly once, then its claims marked paid: the two steps
     * after the claim rows are recorded, as one activity (revenueWalletClaimV2: one local
     * activity fewer per holder). Both are safe to repeat: a retry finds the payout confirmed
     * and the claims paid, and sends and records nothing twice.
     */
    async payRevenueClaim(key: string): Promise<PayoutOutcome> {
      const outcome = await send(key);
      await markClaimPaid(em(), key, outcome.signature);
      return outcome;
    },
  };
}
