/**
 * The Revenue Pass workflow messages, inputs and results, defined once (STYLE: one place per
 * message definition). Imported by the workflows, the activities (types), the API and tests.
 * Deterministic and dependency-free apart from @temporalio/workflow's define* helpers.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Currency } from '../src/domain/money';

export type { ClaimFailureType, ClaimStatus, DistributionStatus } from '../src/domain/revenue/vocabulary';
import type { DistributionStatus } from '../src/domain/revenue/vocabulary';

export interface RevenueSourceInput {
  name: string;
  /** Base units as a decimal string (bigints do not survive workflow payloads). */
  amountBaseUnits: string;
}

export interface RevenueDistributionInput {
  /** YYYY-MM */
  month: string;
  currency: Currency;
  sources: RevenueSourceInput[];
  /** Share of revenue paid to holders, in basis points (0..10 000). */
  shareBps: number;
  createdBy: string | null;
  /** Distinct admins whose `approve` opens the claims (config at creation). */
  approvalsRequired: number;
  claimWindowMs: number;
  /** Pass mints per snapshot step. */
  snapshotChunkSize: number;
  /** Treasury → payer funding transaction to verify before opening, if any. */
  fundingSignature: string | null;
  /**
   * ADMIN_WALLETS at creation: only these may `approve` (checked in the update's validator,
   * also for approvals sent with the Temporal CLI). Absent in runs started before it existed;
   * there the approval activity checks the worker's ADMIN_WALLETS before it counts.
   */
  adminWallets?: string[];
  /**
   * Publish the distribution memo on chain at approval, before the claims open (issue 19):
   * set whenever a signer (PAYER_KEY_FILE) is configured. Absent in runs started before it.
   */
  anchored?: boolean;
}

export interface Approval {
  wallet: string;
  at: string;
}

export interface SnapshotProgressView {
  slot: number | null;
  /** Pass mints resolved so far / listed when the snapshot started. */
  done: number;
  total: number;
  /** Passes held by some wallet at the snapshot (the ones that earn). */
  holders: number;
}

export interface DistributionState {
  month: string;
  status: DistributionStatus;
  currency: Currency;
  totalRevenueBaseUnits: string;
  distributionAmountBaseUnits: string;
  perPassAmountBaseUnits: string | null;
  dustBaseUnits: string | null;
  passCount: number | null;
  snapshot: SnapshotProgressView;
  approvals: Approval[];
  approvalsRequired: number;
  fundingSignature: string | null;
  claimDeadline: string | null;
  closeRequested: boolean;
  unclaimedBaseUnits: string | null;
  cancelReason: string | null;
  /** The distribution memo's transaction once on chain (null before, or when not anchored). */
  memo: { signature: string; slot: number } | null;
}

export const distributionStatusQuery = defineQuery<DistributionState>('status');
/** One admin's approval; `approvalsRequired` distinct admins open the claims. */
export const approveUpdate = defineUpdate<
  DistributionState,
  [{ adminWallet: string; fundingSignature?: string }]
>('approve');
/** Cancels the distribution; only before claims open. */
export const cancelUpdate = defineUpdate<DistributionState, [{ reason?: string }]>('cancel');
/** Closes claims now (before the claim window ends) and records the unclaimed total. */
export const closeUpdate = defineUpdate<DistributionState, []>('close');

export interface RevenueClaimInput {
  month: string;
  passMint: string;
  /** The signed-in wallet that asked; it must be the pass's owner at the snapshot. */
  requestedBy: string;
}

export interface ClaimOutcome {
  month: string;
  passMint: string;
  /** The snapshot owner, who is paid. */
  wallet: string;
  currency: Currency;
  amountBaseUnits: string;
  payoutKey: string;
  signature: string;
}

export interface RevenueWalletClaimInput {
  month: string;
  /** The signed-in wallet that asked; it must be each pass's owner at the snapshot, and is paid. */
  requestedBy: string;
  /** The passes claimed in this request (up to MAX_PASSES_PER_CLAIM). */
  passMints: string[];
  /** `claimBatchOf(passMints)`: names the run and its one payout. */
  batch: string;
}

/** A pass of the request that this batch does not pay, and why (a claim failure type). */
export interface PassRefusalView {
  passMint: string;
  type: string;
  message: string;
}

export interface WalletClaimOutcome {
  month: string;
  wallet: string;
  currency: Currency;
  perPassAmountBaseUnits: string;
  /** The one payout: perPass × `passMints.length`. */
  amountBaseUnits: string;
  payoutKey: string;
  signature: string;
  /** The passes this payout paid. */
  passMints: string[];
  refused: PassRefusalView[];
}
