/**
 * Lottery activities (DESIGN §5), run by workflows/lottery-round.ts, ticket-purchase.ts and
 * burn-claim.ts. Each calls one unit of work in src/db/lottery (the round's steps, the
 * pending receipt, issuing tickets in one transaction) or asks the chain for facts
 * (src/chain: verification, the slot, the beacon), and maps its errors: a domain or chain
 * failure becomes an ApplicationFailure typed by its code, non-retryable unless transient.
 *
 * The secret seed never leaves src/db before the draw: only its commitment enters history.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { beaconAtSlot } from '../src/chain/beacon';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { isChainError, toActivityFailure } from '../src/chain/errors';
import { createPayout } from '../src/db/payouts';
import { rpcCall } from '../src/chain/rpc';
import { sightTransaction } from '../src/chain/sighting';
import { verifyBurns } from '../src/chain/verify-burns';
import { verifyPayment } from '../src/chain/verify-payment';
import {
  countPendingReceipts,
  receiptDecisionSeconds,
  recordPendingReceipt,
  rejectReceipt,
  releasePendingReceipt,
  type PendingReceipt,
} from '../src/db/lottery/receipts';
import {
  cancelRound,
  createRound,
  drawRound,
  findRound,
  freezeTicketSet,
  linkPrizePayout,
  prizeToPay,
  recordBeacon,
  setPrizePool,
  setRoundStatus,
  storedBeacon,
  type FrozenTicketSet,
  type PrizeToPay,
  type StoredBeacon,
} from '../src/db/lottery/rounds';
import {
  issueBurnTickets,
  issuePurchaseTickets,
  type IssuedOutcome,
  type VerifiedBurnClaim,
  type VerifiedPurchase,
} from '../src/db/lottery/tickets';
import { isDomainError } from '../src/domain/errors';
import { forgetWalletTickets } from '../src/wallet-tickets-cache';
import { countReceiptDecision, lotterySubmissions, reasonLabel } from '../src/metrics';
import { claimedAmountMismatch } from '../src/domain/lottery/claimed-amount';
import type { RoundStatus } from '../src/domain/lottery/vocabulary';
import type {
  BurnClaimInput,
  DrawOutcome,
  LotteryRoundInput,
  ReceiptOutcome,
  TicketPurchaseInput,
} from '../workflows/lottery.api';
import type { ActivityDeps } from './index';

export interface FrozenSet extends FrozenTicketSet {
  /** The confirmed slot when the set was frozen: the beacon is the first finalized block after it. */
  freezeSlot: number;
}

/**
 * The failure an activity throws for `error`: a chain error keeps its code and is retried
 * only if transient; a domain error (RoundNotFound, RoundFrozen, AlreadyUsed...) is permanent;
 * anything else is thrown as is and retried per the activity's policy.
 */
function failure(error: unknown): never {
  if (isChainError(error)) throw toActivityFailure(error);
  if (isDomainError(error)) {
    throw ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: true,
      details: error.details ? [error.details] : undefined,
    });
  }
  throw error;
}

/** On-chain payment check: the wallet's own funds paid the treasury; returns the chain's figure. */
async function verifyPurchase(chain: ChainDeps, input: TicketPurchaseInput): Promise<VerifiedPurchase> {
  if (!chain.treasury) {
    throw ApplicationFailure.create({
      type: 'TreasuryNotConfigured',
      message: 'TREASURY_WALLET is not configured',
      nonRetryable: true,
    });
  }
  const paid = await verifyPayment(chain.connection, input.signature, {
    wallet: input.wallet,
    currency: input.currency,
    treasury: chain.treasury,
    usdcMint: chain.usdcMint,
    minAmountBaseUnits: 1n,
    commitment: chain.commitment,
  }).catch(failure);
  const claimed = input.claimedAmountBaseUnits === null ? null : BigInt(input.claimedAmountBaseUnits);
  const mismatch = claimedAmountMismatch(claimed, paid.amountBaseUnits, input.currency);
  // A wrong label is refused before anything is decided, so it consumes nothing.
  if (mismatch) {
    throw ApplicationFailure.create({
      type: 'AmountMismatch',
      message: mismatch.message,
      nonRetryable: true,
      details: [mismatch.details],
    });
  }
  return { amountBaseUnits: paid.amountBaseUnits.toString(), slot: paid.slot, blockTime: paid.blockTime };
}

export function createLotteryActivities(deps: ActivityDeps) {
  const { config, orm, redis } = deps;
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(config, deps.logger));
  const em = () => orm.em.fork() as EntityManager;
  /** Metrics of a decided receipt (src/metrics.ts); the latency read never fails the decision. */
  const decided = async <T extends ReceiptOutcome>(outcome: T): Promise<T> => {
    const seconds = await receiptDecisionSeconds(em(), outcome.signature).catch(() => null);
    countReceiptDecision(outcome, seconds);
    return outcome;
  };
  /**
   * After an issue transaction committed (or found its receipt decided: a retry of an attempt
   * that committed and died before this): the API's cached ticket answers of the wallet are
   * forgotten. Redis failing fails the attempt, and the retry forgets again.
   */
  const issuedTo = (wallet: string) => forgetWalletTickets(redis, wallet);
  /** A verification refusal (non-retryable) is the submission's decision: counted `refused`. */
  const refused =
    (kind: 'purchase' | 'burn') =>
    (error: unknown): never => {
      if (error instanceof ApplicationFailure && error.nonRetryable)
        lotterySubmissions.inc({ kind, outcome: 'refused', reason: reasonLabel(error.type) });
      throw error;
    };

  return {
    /**
     * Writes the round row with a fresh secret seed; returns only the commitment. Idempotent.
     * Refused for good (RoundOverlaps) when its sales window overlaps a selling round's.
     */
    async createLotteryRound(input: LotteryRoundInput): Promise<{ seedCommitment: string }> {
      return { seedCommitment: await createRound(em(), input).catch(failure) };
    },

    /** Moves the round to `status` unless it already reached a final state. */
    async setLotteryRoundStatus(roundId: string, status: RoundStatus): Promise<void> {
      await setRoundStatus(em(), roundId, status);
    },

    async updateLotteryPrizePool(roundId: string, prizePoolLamports: string): Promise<void> {
      await setPrizePool(em(), roundId, prizePoolLamports);
    },

    /** How many purchases or burns for this round are still being verified. */
    async countPendingReceipts(roundId: string): Promise<number> {
      return countPendingReceipts(em(), roundId);
    },

    /** Cancels the round unless frozen (RoundFrozen); its accepted payments become owed refunds. */
    async cancelLotteryRound(roundId: string, reason: string): Promise<void> {
      await cancelRound(em(), roundId, reason).catch(failure);
    },

    /** Freezes and digests the ticket set (idempotent), then takes the confirmed slot. */
    async freezeTicketSet(roundId: string): Promise<FrozenSet> {
      const frozen = await freezeTicketSet(em(), roundId).catch(failure);
      const freezeSlot = await rpcCall('getSlot', () => chainDeps().connection.getSlot('confirmed')).catch(
        failure,
      );
      return { ...frozen, freezeSlot };
    },

    /** The blockhash of the first finalized block after the freeze; BeaconNotReady retries. */
    async takeDrawBeacon(roundId: string, freezeSlot: number): Promise<StoredBeacon> {
      const tx = em();
      const existing = await storedBeacon(tx, roundId);
      if (existing) return existing;
      const beacon = await beaconAtSlot(chainDeps().connection, freezeSlot + 1).catch(failure);
      return recordBeacon(tx, roundId, beacon).catch(failure);
    },

    /**
     * Past the reveal deadline with a seed that cannot be revealed: cancels the frozen, undrawn
     * round; its accepted payments become refunds owed (paid through lottery-refunds).
     */
    async cancelUnrevealedRound(roundId: string): Promise<void> {
      await cancelRound(em(), roundId, 'the seed was never revealed before the reveal deadline', {
        seedLost: true,
      }).catch(failure);
    },

    /** Reads the seed, computes the winner (fair-draw), writes it and reveals the seed. Idempotent. */
    async drawLotteryWinner(roundId: string): Promise<DrawOutcome> {
      return drawRound(em(), roundId).catch(failure);
    },

    /** Records the prize payout row (key `prize:<roundId>`) for the drawn winner; sendPayout pays it. */
    async recordPrizePayout(roundId: string): Promise<PrizeToPay> {
      const tx = em();
      const prize = await prizeToPay(tx, roundId).catch(failure);
      await createPayout(tx, {
        key: prize.key,
        kind: 'prize',
        recipient: prize.recipient,
        currency: 'SOL',
        amountBaseUnits: BigInt(prize.amountBaseUnits),
      }).catch(failure);
      await linkPrizePayout(tx, roundId, prize.key);
      return prize;
    },

    /**
     * Writes the `pending` receipt so the round waits for it before freezing; answers the
     * outcome if the signature was already decided (or used otherwise: AlreadyUsed).
     */
    async recordPendingReceipt(input: PendingReceipt): Promise<{ existing: ReceiptOutcome | null }> {
      return recordPendingReceipt(em(), input);
    },

    /**
     * Whether this submission holds the round's freeze (issue 15 rule 4): the chain already
     * shows its transaction, landed (not failed) with a block time inside the round's sales
     * window (unknown block time counts as inside: the wait is bounded by the grace period),
     * but not yet at the commitment verification waits for. A signature the chain does not
     * know never holds it; one already at the commitment is decided at once.
     */
    async sightReceipt(roundId: string, signature: string): Promise<{ holdsFreeze: boolean }> {
      const seen = await sightTransaction(chainDeps(), signature).catch(failure);
      if (!seen || seen.failed || seen.atCommitment) return { holdsFreeze: false };
      const round = await findRound(em(), roundId);
      if (!round) return { holdsFreeze: false };
      const at = seen.blockTime?.getTime();
      const inside =
        at === undefined || (at >= Date.parse(round.startDate) && at <= Date.parse(round.endDate));
      return { holdsFreeze: inside };
    },

    /** On-chain payment check: the wallet's own funds paid the treasury; returns the chain's figure. */
    async verifyPurchasePayment(input: TicketPurchaseInput): Promise<VerifiedPurchase> {
      return verifyPurchase(chainDeps(), input).catch(refused('purchase'));
    },

    /** Decides a verified purchase in ONE transaction: tickets, late or rejected (src/db/lottery/tickets). */
    async issuePurchaseTickets(input: TicketPurchaseInput, paid: VerifiedPurchase): Promise<IssuedOutcome> {
      const outcome = await issuePurchaseTickets(em(), input, paid, config).catch(failure);
      await issuedTo(input.wallet);
      return decided(outcome);
    },

    /** Verified burns of NFTs by the wallet in this transaction (collection membership is checked on issue). */
    async verifyBurnClaim(input: BurnClaimInput): Promise<VerifiedBurnClaim> {
      const burns = await verifyBurns(chainDeps().connection, input.signature, input.wallet, {
        commitment: chainDeps().commitment,
      })
        .catch(failure)
        .catch(refused('burn'));
      return { mints: burns.mints, slot: burns.slot, blockTime: burns.blockTime };
    },

    /** Marks the mints burned (once ever) and issues ticketsPerBurn per mint, in ONE transaction. */
    async issueBurnTickets(input: BurnClaimInput, burned: VerifiedBurnClaim): Promise<IssuedOutcome> {
      const outcome = await issueBurnTickets(em(), input, burned).catch(failure);
      await issuedTo(input.wallet);
      return decided(outcome);
    },

    /** Deletes a still-pending receipt (the submitter did not sign it; the signature stays claimable). */
    async releasePendingReceipt(signature: string): Promise<void> {
      await releasePendingReceipt(em(), signature);
    },

    /** Records a pending receipt as rejected (permanent verification failure); keeps other receipts untouched. */
    async rejectReceipt(signature: string, code: string, reason: string): Promise<ReceiptOutcome> {
      return decided(await rejectReceipt(em(), signature, code, reason));
    },
  };
}
