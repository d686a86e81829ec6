/**
 * The lottery's words, defined once: round and receipt statuses, what a round id looks like,
 * how many tickets one purchase may ask for. The entities, the SQL in src/db/lottery, the
 * workflows (through workflows/lottery.api.ts) and the routes all import these. Pure.
 */
import type { Problem } from '../values';

export const ROUND_STATUSES = [
  'scheduled',
  'active',
  'closing',
  'drawing',
  'completed',
  'cancelled',
] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
/** A round in one of these never changes status again. */
export const FINAL_ROUND_STATUSES = ['completed', 'cancelled'] as const satisfies readonly RoundStatus[];

/** A chain receipt's life: written `pending` when submitted, then decided once. */
export const RECEIPT_STATUSES = ['pending', 'accepted', 'late', 'rejected'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];
/** What a purchase or burn ended as: the business result, never a workflow failure. */
export type ReceiptOutcomeStatus = Exclude<ReceiptStatus, 'pending'>;

/** The receipt kinds the lottery writes (chain_receipts also holds funding and payout rows). */
export const LOTTERY_RECEIPT_KINDS = ['purchase', 'burn'] as const;
export type LotteryReceiptKind = (typeof LOTTERY_RECEIPT_KINDS)[number];

/** Most tickets one purchase may ask for: keeps a single issue transaction small. */
export const MAX_TICKETS_PER_PURCHASE = 10_000;

const ROUND_ID = /^[A-Za-z0-9_-]{1,50}$/;

/** A round id: 1..50 letters, digits, "_" or "-" (it is part of workflow ids and URLs). */
export const roundIdProblem = (value: unknown): Problem =>
  typeof value === 'string' && ROUND_ID.test(value) ? undefined : 'must be 1..50 letters, digits, "_" or "-"';

export const isLotteryReceiptKind = (kind: string): kind is LotteryReceiptKind =>
  LOTTERY_RECEIPT_KINDS.some((k) => k === kind);
