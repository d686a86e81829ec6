/**
 * `lottery-round:{roundId}` (DESIGN §5): create (seed committed, secret kept in the database)
 * → anchored rounds: commitment memo on chain, and sales open no earlier (a start it missed
 * moves to the first second after it; a window it missed cancels the round)
 * → sleep until start → active → sleep until end or `close` → closing: wait, at most the
 * grace period, while any submission the chain already shows is still confirming (its run
 * signals `receiptConfirming` / `receiptDecided`; unknown signatures hold nothing, and what is
 * decided after the freeze is late and owed a refund) → freeze + digest → beacon (first
 * finalized block after the freeze) → draw at drawingDate or on `draw` → completed; then it
 * stays open for `payPrize` (exactly once, through the payout path) for the prize window.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId } from '../src/temporal/search-attributes';
import {
  cancelUpdate,
  closeUpdate,
  drawUpdate,
  payPrizeUpdate,
  receiptConfirmingSignal,
  receiptDecidedSignal,
  roundStatusQuery,
  updatePrizePoolUpdate,
  type DrawOutcome,
  type LotteryRoundInput,
  type PrizeOutcome,
  type RoundState,
  type RoundStatus,
} from './lottery.api';
import { chainWait, databaseStep, digestStep, payoutRecord, payoutSend } from './activity-options';

const {
  createLotteryRound,
  setLotteryRoundStatus,
  updateLotteryPrizePool,
  countPendingReceipts,
  cancelLotteryRound,
  cancelUnrevealedRound,
  drawLotteryWinner,
  recordPrizePayout,
} = proxyActivities<Activities>(databaseStep);
const { freezeTicketSet } = proxyActivities<Activities>(digestStep);
const { takeDrawBeacon, takeRuleBeacon } = proxyActivities<Activities>(chainWait);
const { publishRoundCommitment, publishTicketDigest } = proxyActivities<Activities>(payoutSend);
const { openSalesAfterCommitment } = proxyActivities<Activities>(chainWait);
const { recordPayout } = proxyActivities<Activities>(payoutRecord);
const { sendPayout } = proxyActivities<Activities>(payoutSend);

/** For runs started before the input carried it. */
const DEFAULT_REVEAL_DEADLINE_MS = 24 * 3_600_000;

const isSeedUnavailable = (error: unknown): boolean =>
  error instanceof ActivityFailure &&
  error.cause instanceof ApplicationFailure &&
  error.cause.type === 'SeedUnavailable';

const reject = (message: string) =>
  ApplicationFailure.create({ type: 'InvalidRoundState', message, nonRetryable: true });

export async function lotteryRound(input: LotteryRoundInput): Promise<RoundState> {
  const state: RoundState = {
    roundId: input.roundId,
    status: 'scheduled',
    startDate: input.startDate,
    cancelReason: null,
    seedCommitment: null,
    closeRequested: false,
    drawRequested: false,
    frozenTicketCount: null,
    ticketDigest: null,
    beaconSlot: null,
    draw: null,
    prize: null,
    prizePoolLamports: input.prizePoolLamports,
  };
  let freezing = false;
  /** Set as soon as a cancel is accepted, so the story stops before its activity finishes. */
  let cancelling = false;
  let prizePaying: Promise<PrizeOutcome> | null = null;
  /** Submissions the chain shows confirming in the sales window, not decided yet. */
  const confirming = new Set<string>();

  const setStatus = async (status: RoundStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: BusinessStatus, value: status }]);
    await setLotteryRoundStatus(input.roundId, status);
  };
  const cancelRound = async (reason: string) => {
    cancelling = true;
    state.cancelReason = reason;
    await cancelLotteryRound(input.roundId, reason);
    state.status = 'cancelled';
    upsertSearchAttributes([{ key: BusinessStatus, value: 'cancelled' }]);
  };
  const cancelled = () => cancelling || state.status === 'cancelled';

  setHandler(roundStatusQuery, () => state);
  setHandler(receiptConfirmingSignal, ({ signature }) => void confirming.add(signature));
  setHandler(receiptDecidedSignal, ({ signature }) => void confirming.delete(signature));

  setHandler(
    updatePrizePoolUpdate,
    async ({ prizePoolLamports }) => {
      await updateLotteryPrizePool(input.roundId, prizePoolLamports);
      state.prizePoolLamports = prizePoolLamports;
      return state;
    },
    {
      validator: ({ prizePoolLamports }) => {
        if (!/^(0|[1-9][0-9]{0,19})$/.test(String(prizePoolLamports))) {
          throw reject('prizePoolLamports must be a whole number of lamports as a string');
        }
        if (state.draw || state.status === 'completed' || state.status === 'cancelled') {
          throw reject(`the prize pool can change only before the draw; the round is ${state.status}`);
        }
      },
    },
  );

  setHandler(
    closeUpdate,
    () => {
      state.closeRequested = true;
      return state;
    },
    {
      validator: () => {
        if (state.status !== 'scheduled' && state.status !== 'active') {
          throw reject(`only a scheduled or active round can be closed; the round is ${state.status}`);
        }
      },
    },
  );

  setHandler(
    drawUpdate,
    async () => {
      state.drawRequested = true;
      await condition(() => state.draw !== null || state.status === 'cancelled');
      if (!state.draw) throw reject('the round was cancelled before the draw');
      return state.draw;
    },
    {
      validator: () => {
        if (state.status === 'cancelled') throw reject('the round is cancelled');
        if (state.status === 'scheduled' || (state.status === 'active' && !state.closeRequested)) {
          throw reject(`the round is ${state.status}: close it (or wait for its end) before drawing`);
        }
      },
    },
  );

  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      await cancelRound(reason ?? 'cancelled by an admin');
      return state;
    },
    {
      validator: (_input) => {
        if (
          freezing ||
          state.frozenTicketCount !== null ||
          state.status === 'drawing' ||
          state.status === 'completed'
        ) {
          throw reject(
            `the ticket set is frozen: the round can no longer be cancelled (status ${state.status})`,
          );
        }
        if (cancelling || state.status === 'cancelled') throw reject('the round is already cancelled');
      },
    },
  );

  setHandler(
    payPrizeUpdate,
    async () => {
      prizePaying ??= (async () => {
        const recorded = await recordPrizePayout(input.roundId);
        await recordPayout({
          key: recorded.key,
          kind: 'prize',
          recipient: recorded.recipient,
          currency: 'SOL',
          amountBaseUnits: recorded.amountBaseUnits,
        });
        const sent = await sendPayout(recorded.key);
        state.prize = {
          key: sent.key,
          signature: sent.signature,
          recipient: sent.recipient,
          amountBaseUnits: sent.amountBaseUnits,
        };
        return state.prize;
      })();
      return prizePaying;
    },
    {
      validator: () => {
        if (state.status !== 'completed' || !state.draw)
          throw reject(`the round is ${state.status}: draw it first`);
        if (!state.draw.winnerWallet) throw reject('the round has no winner (no tickets were sold)');
        if (BigInt(state.prizePoolLamports) <= 0n) throw reject('the prize pool is zero');
      },
    },
  );

  // The story.
  upsertSearchAttributes([
    { key: RoundId, value: input.roundId },
    { key: BusinessStatus, value: 'scheduled' },
  ]);
  const created = await createLotteryRound(input);
  state.seedCommitment = created.seedCommitment;
  // Anchored rounds publish the commitment on chain before sales open (issue 19).
  const anchors = patched('anchored-draw') ? (input.anchors ?? null) : null;
  if (anchors) {
    const memo = await publishRoundCommitment(input.roundId);
    state.commitMemo = { signature: memo.signature, slot: memo.slot };
    // Sales never open before the commitment is on chain; the start recorded is when they open.
    if (patched('sales-open-after-commitment') && !cancelled()) {
      const opening = await openSalesAfterCommitment(input.roundId);
      if (opening.startDate !== null) state.startDate = opening.startDate;
      else if (!cancelled()) await cancelRound(opening.reason);
    }
  }

  const until = (iso: string) => Math.max(0, new Date(iso).getTime() - Date.now());

  await condition(() => cancelled() || state.closeRequested, until(state.startDate ?? input.startDate));
  if (!cancelled() && !state.closeRequested) {
    await setStatus('active');
    await condition(() => cancelled() || state.closeRequested, until(input.endDate));
  }
  if (cancelled()) return finish();

  await setStatus('closing');
  if (patched('freeze-waits-only-for-seen-receipts')) {
    // A draw on time: nothing the chain does not show can hold it, nor anything past the grace.
    await condition(() => cancelled() || confirming.size === 0, input.timing.gracePeriodMs);
  } else {
    // Before the patch: the grace period, then a poll until no receipt at all was pending.
    await condition(cancelled, input.timing.gracePeriodMs);
    while (!cancelled() && (await countPendingReceipts(input.roundId)) > 0) {
      await condition(cancelled, input.timing.pendingPollMs);
    }
  }
  if (cancelled()) return finish();

  freezing = true;
  const frozen = await freezeTicketSet(input.roundId);
  state.status = 'drawing';
  upsertSearchAttributes([{ key: BusinessStatus, value: 'drawing' }]);
  state.frozenTicketCount = frozen.frozenTicketCount;
  state.ticketDigest = frozen.ticketDigest;

  if (anchors) {
    // The digest is on chain before the beacon's block exists; the beacon is fixed by rule from its slot.
    const memo = await publishTicketDigest(input.roundId, anchors.beaconDelaySlots);
    state.digestMemo = { signature: memo.signature, slot: memo.slot };
    const beacon = await takeRuleBeacon(input.roundId, memo.slot, anchors.beaconDelaySlots);
    state.beaconSlot = beacon.slot;
  } else {
    const beacon = await takeDrawBeacon(input.roundId, frozen.freezeSlot);
    state.beaconSlot = beacon.slot;
  }

  if (input.drawingDate) await condition(() => state.drawRequested, until(input.drawingDate));
  else await condition(() => state.drawRequested);
  if (patched('reveal-deadline')) {
    const drawn = await drawOrAbandon();
    if (!drawn) return finish();
    state.draw = drawn;
  } else {
    state.draw = await drawLotteryWinner(input.roundId);
  }
  state.status = 'completed';
  upsertSearchAttributes([{ key: BusinessStatus, value: 'completed' }]);

  if (state.draw.winnerWallet) {
    await condition(() => state.prize !== null, input.timing.prizeWindowMs);
  }
  return finish();

  /**
   * Draws; if the seed cannot be revealed (SeedUnavailable), waits until the reveal deadline
   * past the drawing date (an admin `draw` retries sooner, e.g. once the seed is restored),
   * then cancels: everyone is refunded and nobody is drawn. Null when cancelled.
   */
  async function drawOrAbandon(): Promise<DrawOutcome | null> {
    const deadline =
      new Date(input.drawingDate ?? new Date().toISOString()).getTime() +
      (input.timing.revealDeadlineMs ?? DEFAULT_REVEAL_DEADLINE_MS);
    for (;;) {
      try {
        return await drawLotteryWinner(input.roundId);
      } catch (error) {
        if (!isSeedUnavailable(error)) throw error;
      }
      if (Date.now() >= deadline) break;
      state.drawRequested = false;
      await condition(() => state.drawRequested, Math.max(1, deadline - Date.now()));
    }
    await cancelUnrevealedRound(input.roundId);
    state.status = 'cancelled';
    upsertSearchAttributes([{ key: BusinessStatus, value: 'cancelled' }]);
    return null;
  }

  async function finish(): Promise<RoundState> {
    await condition(allHandlersFinished);
    return state;
  }
}
