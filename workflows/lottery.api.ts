/**
 * The lottery's workflow messages, inputs and results, defined once (STYLE: one place per
 * message definition). Imported by the workflows, the API, the tests and the CLI helpers.
 * Deterministic and dependency-free apart from @temporalio/workflow's define* helpers.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Currency } from '../src/domain/money';
import type { LotteryReceiptKind, ReceiptOutcomeStatus, RoundStatus } from '../src/domain/lottery/vocabulary';

export type {
  LotteryReceiptKind,
  ReceiptOutcomeStatus,
  RoundStatus,
  ReceiptStatus,
} from '../src/domain/lottery/vocabulary';

/** Durations the round runs with, from config (`lottery.*`) at creation. */
export interface RoundTiming {
  gracePeriodMs: number;
  pendingPollMs: number;
  prizeWindowMs: number;
  /** Past the drawing date, how long a seed that cannot be revealed holds the round before it is cancelled (absent in older runs). */
  revealDeadlineMs?: number;
}

/** Anchoring on chain (issue 19): present when the round publishes its commitment and digest memos. */
export interface RoundAnchors {
  /** The beacon is the first block at or after the digest memo's slot + this many slots. */
  beaconDelaySlots: number;
}

export interface LotteryRoundInput {
  roundId: string;
  /** Base units as decimal strings (bigints do not survive workflow payloads). */
  prizePoolLamports: string;
  startDate: string;
  endDate: string;
  drawingDate: string | null;
  ticketPriceLamports: string;
  ticketPriceUsdc: string;
  ticketsPerBurn: number;
  createdBy: string | null;
  timing: RoundTiming;
  /** Null or absent: an unanchored round (no signer configured, or created before anchors). */
  anchors?: RoundAnchors | null;
}

export interface DrawOutcome {
  winnerIndex: number | null;
  winnerTicket: number | null;
  winnerWallet: string | null;
  ticketCount: number;
}

export interface PrizeOutcome {
  key: string;
  signature: string;
  recipient: string;
  amountBaseUnits: string;
}

export interface AnchorMemo {
  signature: string;
  slot: number;
}

export interface RoundState {
  roundId: string;
  status: RoundStatus;
  /**
   * When sales open: the input's start, or (anchored rounds) the first second after the
   * commitment memo landed when that start had passed (absent in older runs).
   */
  startDate?: string;
  /** Why the round was cancelled, when it was (absent in older runs). */
  cancelReason?: string | null;
  seedCommitment: string | null;
  closeRequested: boolean;
  drawRequested: boolean;
  frozenTicketCount: number | null;
  ticketDigest: string | null;
  beaconSlot: number | null;
  /** The anchors' memo signatures and slots, once published (absent in older runs). */
  commitMemo?: AnchorMemo | null;
  digestMemo?: AnchorMemo | null;
  draw: DrawOutcome | null;
  prize: PrizeOutcome | null;
  prizePoolLamports: string;
}

export const roundStatusQuery = defineQuery<RoundState>('status');
/** New prize pool in lamports (decimal string); allowed until the draw. */
export const updatePrizePoolUpdate = defineUpdate<RoundState, [{ prizePoolLamports: string }]>(
  'updatePrizePool',
);
/** Ends sales now (before endDate); allowed while scheduled or active. */
export const closeUpdate = defineUpdate<RoundState, []>('close');
/** Draws as soon as the beacon is known (before drawingDate); returns once drawn. */
export const drawUpdate = defineUpdate<DrawOutcome, []>('draw');
/** Cancels the round; only before the ticket set is frozen. */
export const cancelUpdate = defineUpdate<RoundState, [{ reason?: string }]>('cancel');
/** Pays the prize to the winner through the exactly-once payout path. */
export const payPrizeUpdate = defineUpdate<PrizeOutcome, []>('payPrize');

/**
 * From a purchase or burn run to its round: the chain shows the submission's transaction
 * inside the sales window, not yet at the required commitment, so the freeze waits for it
 * (at most the grace period after the close).
 */
export const receiptConfirmingSignal = defineSignal<[{ signature: string }]>('receiptConfirming');
/** From the same run once its receipt is decided (or released): the freeze stops waiting for it. */
export const receiptDecidedSignal = defineSignal<[{ signature: string }]>('receiptDecided');

export interface TicketPurchaseInput {
  signature: string;
  roundId: string;
  /** The signed-in wallet that submitted it; verification proves it signed and paid. */
  wallet: string;
  ticketCount: number;
  currency: Currency;
  /** The client's `amountPaid` in base units, checked against the chain; null = not given. */
  claimedAmountBaseUnits: string | null;
  verifyWindowMs: number;
}

export interface BurnClaimInput {
  signature: string;
  roundId: string;
  wallet: string;
  verifyWindowMs: number;
}

export interface ReceiptOutcome {
  signature: string;
  kind: LotteryReceiptKind;
  roundId: string;
  wallet: string;
  status: ReceiptOutcomeStatus;
  ticketNumbers: number[];
  currency: Currency | null;
  /** What the chain shows was paid, in base units (null when unknown). */
  amountBaseUnits: string | null;
  refundOwedBaseUnits: string;
  /** Burned mints (burn claims). */
  mints: string[];
  /** Failure type for rejected ones (PaymentTooSmall, AmountMismatch, AlreadyUsed, ...). */
  code: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  /**
   * The wallet's tickets in the round when the receipt was decided (read in the same
   * transaction), so the API answers without reading again. Absent in results recorded
   * before the field existed.
   */
  totalTickets?: number;
}

// ---- Refunds: `lottery-refunds:{roundId}` (workflows/lottery-refunds.ts) ----

export interface LotteryRefundsInput {
  roundId: string;
}

/** Which refunds of the round to pay: one signature, or every one owed (null). */
export interface PayRefundsRequest {
  signature: string | null;
  /** The admin wallet that asked (recorded in history for audit). */
  requestedBy: string;
}

/** A refund paid through the payout path (key `refund:<signature>`), JSON-safe for history. */
export interface RefundPaid {
  signature: string;
  payoutKey: string;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
  payoutSignature: string;
}

export interface RefundsPaid {
  roundId: string;
  refunds: RefundPaid[];
}

/** What the run has paid so far (query `refunds`). */
export interface RefundsState {
  roundId: string;
  paid: RefundPaid[];
  /** Signatures being paid now. */
  sending: string[];
}

export const payRefundsUpdate = defineUpdate<RefundsPaid, [PayRefundsRequest]>('payRefunds');

export const refundsStateQuery = defineQuery<RefundsState>('refunds');
