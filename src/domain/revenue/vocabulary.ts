/**
 * The Revenue Pass vocabulary, defined once: distribution and claim statuses (the entities,
 * the SQL, the workflow and the API all use these lists), the claim limits, the payout key
 * of a claim, and the "claims open" rule that both the claim route and the claim activity
 * apply. Pure: safe in workflows and the browser.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

export const DISTRIBUTION_STATUSES = [
  'draft',
  'snapshotting',
  'awaiting_approval',
  'open',
  'closed',
  'cancelled',
] as const;
export type DistributionStatus = (typeof DISTRIBUTION_STATUSES)[number];

/** What the public sees: months whose claims opened (and maybe closed since). */
export const PUBLIC_DISTRIBUTION_STATUSES = [
  'open',
  'closed',
] as const satisfies readonly DistributionStatus[];
export const isPublicDistributionStatus = (status: DistributionStatus): boolean =>
  (PUBLIC_DISTRIBUTION_STATUSES as readonly DistributionStatus[]).includes(status);

/** Before its snapshot ends a month has no pass count, so no per-pass amount: it is not split yet. */
export const UNSPLIT_DISTRIBUTION_STATUSES = [
  'draft',
  'snapshotting',
] as const satisfies readonly DistributionStatus[];
export const isSplitDistributionStatus = (status: DistributionStatus): boolean =>
  !(UNSPLIT_DISTRIBUTION_STATUSES as readonly DistributionStatus[]).includes(status);

export const CLAIM_STATUSES = ['pending', 'paid', 'failed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Passes one claim request may name (or that a wallet claims at once). */
export const MAX_PASSES_PER_CLAIM = 500;

/**
 * The payout of one pass's claim in one month (the business key of the payout path), as
 * `revenueClaim` runs started before claims were paid per wallet still use it.
 */
export const claimPayoutKey = (month: string, passMint: string): string => `claim:${month}:${passMint}`;

/**
 * A claim batch: the passes one wallet claims in one request, named by a digest of their
 * sorted mints, so the same request again (a retry, a double click) names the same batch and
 * joins its run, while passes claimed later form a batch (and a payout) of their own.
 */
export const claimBatchOf = (passMints: readonly string[]): string =>
  bytesToHex(sha256(utf8ToBytes([...passMints].sort().join(',')))).slice(0, 16);

/** The one payout of a wallet's claim batch in one month: every pass of the batch, one transfer. */
export const walletClaimPayoutKey = (month: string, wallet: string, batch: string): string =>
  `claim:${month}:${wallet}:${batch}`;

/** Why a claim is refused (non-retryable failure types; src/api/failures.ts gives their statuses). */
export const CLAIM_FAILURE_TYPES = [
  'DistributionNotFound',
  'ClaimsNotOpen',
  'ClaimsClosed',
  'NotInSnapshot',
  'NotSnapshotOwner',
  'NothingToClaim',
  'AlreadyClaimed',
] as const;
export type ClaimFailureType = (typeof CLAIM_FAILURE_TYPES)[number];

/** Why a distribution step is refused. */
export const DISTRIBUTION_FAILURE_TYPES = [
  'DistributionNotFound',
  'InvalidDistributionState',
  'FundingAlreadyUsed',
] as const;
export type DistributionFailureType = (typeof DISTRIBUTION_FAILURE_TYPES)[number];

/** Whether a claim can be recorded now, and if not the failure type that says why. */
export type ClaimsOpenVerdict =
  | { open: true }
  | {
      open: false;
      failure: Extract<ClaimFailureType, 'DistributionNotFound' | 'ClaimsClosed' | 'ClaimsNotOpen'>;
    };

/**
 * The "claims open" rule: a distribution takes claims while it is `open` and its claim
 * deadline has not passed; a closed one, or an open one past its deadline, is closed; a
 * cancelled one does not exist for claimants; any other is not open yet.
 */
export function claimsOpenAt(
  d: { status: DistributionStatus; claimDeadline: Date | string | null },
  now: number,
): ClaimsOpenVerdict {
  if (d.status === 'cancelled') return { open: false, failure: 'DistributionNotFound' };
  const deadlinePassed = d.claimDeadline !== null && new Date(d.claimDeadline).getTime() <= now;
  if (d.status === 'closed' || (d.status === 'open' && deadlinePassed)) {
    return { open: false, failure: 'ClaimsClosed' };
  }
  if (d.status !== 'open') return { open: false, failure: 'ClaimsNotOpen' };
  return { open: true };
}
