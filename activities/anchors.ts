/**
 * Anchors on chain (issue 19): memo transactions published exactly once through the shared
 * protocol of activities/send-once.ts (rows: src/db/memos.ts; chain: src/chain/memo.ts).
 * `publishMemo(key, text)` is the generic primitive; the lottery's two anchors build their
 * texts (src/domain/lottery/anchors.ts) from the round row, and a month's distribution memo
 * (src/domain/revenue/allocation.ts) from its row, so only public facts enter history.
 * The signer is the payout key (PAYER_KEY_FILE), never logged.
 */
import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { beaconAtSlot } from '../src/chain/beacon';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { chainError, isChainError, toActivityFailure } from '../src/chain/errors';
import { signMemoTransaction } from '../src/chain/memo';
import { blockTimeOf, untilBlockTimeReaches } from '../src/chain/signed-transaction';
import type { ChainMemo } from '../src/db/entities';
import { ChainMemoSchema } from '../src/db/entities';
import {
  findRound,
  recordBeacon,
  setSalesStart,
  storedBeacon,
  type StoredBeacon,
} from '../src/db/lottery/rounds';
import { createMemo, findMemo, loadMemo, recordMemoConfirmed } from '../src/db/memos';
import { distributionMemoOf } from '../src/db/revenue/allocation';
import { findDistribution } from '../src/db/revenue/reads';
import { recordSendFailed, recordSendRejected, storedTransaction, storeSigned } from '../src/db/signed-rows';
import { isDomainError } from '../src/domain/errors';
import {
  beaconTargetSlot,
  commitMemoKey,
  commitMemoText,
  freezeMemoKey,
  freezeMemoText,
  parseCommitMemo,
  parseFreezeMemo,
  salesOpenAt,
} from '../src/domain/lottery/anchors';
import { sendOnce, signOnce, type SendOnceLedger, type SendOnceOptions } from './send-once';
import type { ActivityDeps } from './index';

/** A memo on chain at our commitment; JSON-safe for workflow history. */
export interface PublishedMemo {
  key: string;
  signature: string;
  slot: number;
  blockTime: string | null;
}

/** The freeze memo on chain, and the beacon delay it names. */
export interface PublishedDigest extends PublishedMemo {
  beaconDelaySlots: number;
}

/**
 * When an anchored round's sales open, decided once its commitment memo is on chain
 * (`salesOpenAt`): `startDate` is recorded as the round's start; null when the window passed
 * before the memo landed (`reason` says so, and the round is cancelled).
 */
export type SalesOpening =
  | { startDate: string; commitBlockTime: string }
  | { startDate: null; commitBlockTime: string; reason: string };

/** The chain_memos table as the exactly-once protocol sees it. */
function memoLedger(em: EntityManager, chain: ChainDeps): SendOnceLedger<ChainMemo> {
  return {
    noun: 'memo',
    codes: { failed: 'MemoFailed', notConfirmedYet: 'MemoNotConfirmedYet' },
    load: (key) => loadMemo(em, key),
    state: (row) => ({
      status: row.status,
      stored: storedTransaction(row),
      attempts: row.attempts,
      lastError: row.lastError ?? null,
    }),
    sign: (row) => signMemoTransaction(chain, row.text),
    store: (key, previous, signed) => storeSigned(em, ChainMemoSchema, key, previous, signed),
    recordSendRejected: (key, reason) => recordSendRejected(em, ChainMemoSchema, key, reason),
    recordFailed: (key, signature, reason) => recordSendFailed(em, ChainMemoSchema, key, signature, reason),
    recordConfirmed: (row, landed) => recordMemoConfirmed(em, row, landed),
  };
}

function publishedOf(row: ChainMemo): PublishedMemo {
  if (row.status !== 'confirmed' || !row.signature || row.confirmedSlot == null) {
    throw chainError('MemoNotConfirmedYet', `memo ${row.key} is ${row.status}, not confirmed yet`, {
      key: row.key,
    });
  }
  return {
    key: row.key,
    signature: row.signature,
    slot: Number(row.confirmedSlot),
    blockTime: row.confirmedBlockTime ? row.confirmedBlockTime.toISOString() : null,
  };
}

/**
 * Publishes `text` under `key` exactly once (a second call with the same key and text
 * returns the same memo; a different text is MemoKeyConflict) and waits for it at our commitment.
 */
export async function publishMemo(
  em: EntityManager,
  chain: ChainDeps,
  key: string,
  text: string,
  options: SendOnceOptions = {},
): Promise<PublishedMemo> {
  await createMemo(em, key, text);
  return publishedOf(await sendOnce(memoLedger(em, chain), chain, key, options));
}

/** Records memo `key` and signs and stores its transaction without sending (tools and crash tests). */
export async function signMemo(
  em: EntityManager,
  chain: ChainDeps,
  key: string,
  text: string,
): Promise<string> {
  await createMemo(em, key, text);
  return signOnce(memoLedger(em, chain), key);
}

export function createAnchorActivities(deps: ActivityDeps) {
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(deps.config, deps.logger));
  const logger = deps.logger.child({ area: 'anchors' });
  const em = () => deps.orm.em.fork() as EntityManager;

  const publish = async (key: string, text: string): Promise<PublishedMemo> => {
    const context = asyncLocalStorage.getStore();
    return publishMemo(em(), chainDeps(), key, text, {
      logger,
      signal: context?.cancellationSignal,
      onProgress: context ? (state) => context.heartbeat(state) : undefined,
    });
  };
  // Chain errors keep their code (transient ones retry); a round's domain error or a field
  // that does not fit the memo format is permanent.
  const failure = (error: unknown): never => {
    if (isChainError(error)) throw toActivityFailure(error);
    if (isDomainError(error)) {
      throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
    }
    if (error instanceof RangeError) {
      throw ApplicationFailure.create({ type: 'InvalidMemo', message: error.message, nonRetryable: true });
    }
    throw error;
  };
  const roundOf = async (roundId: string) => {
    const round = await findRound(em(), roundId);
    if (!round) throw chainError('InvalidMemo', `round ${roundId} not found`);
    return round;
  };

  return {
    /** The generic primitive: publishes `text` under `key` exactly once. */
    async publishMemo(input: { key: string; text: string }): Promise<PublishedMemo> {
      return publish(input.key, input.text).catch(failure);
    },

    /** The round's commitment memo (seed commitment, sales window, prices), before sales open. */
    async publishRoundCommitment(roundId: string): Promise<PublishedMemo> {
      try {
        const round = await roundOf(roundId);
        const text = commitMemoText({
          roundId,
          seedCommitment: round.seedCommitment,
          startDate: round.startDate,
          endDate: round.endDate,
          ticketPriceLamports: round.ticketPriceLamports,
          ticketPriceUsdc: round.ticketPriceUsdc,
        });
        return await publish(commitMemoKey(roundId), text);
      } catch (error) {
        return failure(error);
      }
    },

    /**
     * Sales open once the commitment is on chain: reads the landed commitment memo (its
     * requested window and block time) and records the round's start by the rule
     * (`salesOpenAt`); a moved start is answered once the chain's clock has reached it.
     * Idempotent: the memo, hence the answer, never changes.
     */
    async openSalesAfterCommitment(roundId: string): Promise<SalesOpening> {
      try {
        const tx = em();
        const row = await findMemo(tx, commitMemoKey(roundId));
        const commit = row ? parseCommitMemo(row.text) : null;
        if (!row || !commit) throw chainError('InvalidMemo', `round ${roundId} has no commitment memo`);
        const memo = publishedOf(row);
        const landed = memo.blockTime ? new Date(memo.blockTime) : await blockTimeOf(chainDeps(), memo.slot);
        if (!landed) {
          throw chainError('NotFoundYet', `the chain gives no block time yet for slot ${memo.slot}`, {
            slot: memo.slot,
          });
        }
        const commitBlockTime = landed.toISOString();
        const startDate = salesOpenAt(commit, Math.floor(landed.getTime() / 1000));
        if (!startDate) {
          return {
            startDate,
            commitBlockTime,
            reason: `its commitment memo landed at ${commitBlockTime} (slot ${memo.slot}), too late for its sales window ending ${commit.endDate}: sales open only once the commitment is on chain, so nothing could be sold`,
          };
        }
        await setSalesStart(tx, roundId, startDate);
        // A start moved to the second after the memo: back only once the chain's clock is
        // there, so a payment made once the round shows active lands inside its sales.
        if (
          startDate !== commit.startDate &&
          !(await untilBlockTimeReaches(chainDeps().connection, new Date(startDate)))
        ) {
          throw chainError('NotFoundYet', `the chain's clock has not reached ${startDate} yet`);
        }
        return { startDate, commitBlockTime };
      } catch (error) {
        return failure(error);
      }
    },

    /**
     * The freeze memo (ticket count, digest, beacon delay) of a frozen round. A retry keeps the
     * text first recorded, so one round never has two freeze memos.
     */
    async publishTicketDigest(roundId: string, beaconDelaySlots: number): Promise<PublishedDigest> {
      try {
        const key = freezeMemoKey(roundId);
        const existing = await findMemo(em(), key);
        let text = existing?.text;
        if (!text) {
          const round = await roundOf(roundId);
          if (round.frozenTicketCount === null || !round.ticketDigest) {
            throw chainError('InvalidMemo', `round ${roundId} is not frozen yet`);
          }
          text = freezeMemoText({
            roundId,
            ticketCount: round.frozenTicketCount,
            ticketDigest: round.ticketDigest,
            beaconDelaySlots,
          });
        }
        const memo = parseFreezeMemo(text);
        if (!memo) throw chainError('InvalidMemo', `memo ${key} is not a freeze memo`);
        return { ...(await publish(key, text)), beaconDelaySlots: memo.beaconDelaySlots };
      } catch (error) {
        return failure(error);
      }
    },

    /**
     * A month's distribution memo (figures and allocation digest, fixed with its split), once
     * approved and before its claims open; a retry publishes the same text, never a second memo.
     */
    async publishDistributionMemo(month: string): Promise<PublishedMemo> {
      try {
        const d = await findDistribution(em(), month);
        if (!d) throw chainError('InvalidMemo', `distribution ${month} not found`);
        const { key, text } = distributionMemoOf(d);
        return await publish(key, text);
      } catch (error) {
        return failure(error);
      }
    },

    /** The beacon by rule: the first finalized block at or after digest slot + delay; BeaconNotReady retries. */
    async takeRuleBeacon(
      roundId: string,
      digestMemoSlot: number,
      beaconDelaySlots: number,
    ): Promise<StoredBeacon> {
      try {
        const tx = em();
        const existing = await storedBeacon(tx, roundId);
        if (existing) return existing;
        const target = beaconTargetSlot(digestMemoSlot, beaconDelaySlots);
        const beacon = await beaconAtSlot(chainDeps().connection, target);
        return await recordBeacon(tx, roundId, beacon);
      } catch (error) {
        return failure(error);
      }
    },
  };
}
