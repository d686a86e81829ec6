/**
 * The one table from a failure type (a workflow's or activity's ApplicationFailure type, a
 * receipt's rejection code, a domain error code) to the HTTP answer: status and code. Codes
 * are PascalCase everywhere, the same word as the failure type. A type not listed is a 422:
 * the request was understood and the chain or the business rules say no.
 */
import {
  ServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '../domain/errors';
import { ApiError } from './errors';

const FAILURE_STATUS: Record<string, number> = {
  // Bad input the workflow or domain found (the API's own checks usually catch it first).
  InvalidSignature: 400,
  InvalidAddress: 400,
  InvalidProjectChange: 400,
  // Not allowed for this wallet.
  NotSnapshotOwner: 403,
  NotAdminWallet: 403,
  // Missing.
  RoundNotFound: 404,
  DistributionNotFound: 404,
  NotInSnapshot: 404,
  ProjectNotFound: 404,
  RefundNotFound: 404,
  // Not on chain (yet) within the verification window: submit it again once it has landed.
  TransactionNotFound: 404,
  // In conflict with the current state.
  AlreadyUsed: 409,
  LatePayment: 409,
  InvalidRoundState: 409,
  RoundFrozen: 409,
  InvalidDistributionState: 409,
  DuplicateApproval: 409,
  FundingAlreadyUsed: 409,
  RoundOverlaps: 409,
  ClaimsNotOpen: 409,
  ClaimsClosed: 409,
  NothingToClaim: 409,
  AlreadyClaimed: 409,
  InvalidTransition: 409,
  WorkflowClosed: 409,
  NoRefundOwed: 409,
  // Everything else the chain or the rules refuse (PaymentTooSmall, NotSignedByWallet...): 422.
};

export const DEFAULT_FAILURE_STATUS = 422;

export const statusOfFailure = (type: string): number => FAILURE_STATUS[type] ?? DEFAULT_FAILURE_STATUS;

/** The API error for a failure of `type` (a workflow failure, a receipt's rejection code). */
export const failureError = (type: string, message: string, details?: unknown): ApiError =>
  new ApiError(statusOfFailure(type), type, message, details);

/** An ApplicationFailure's type and message, or undefined for any other cause. */
function applicationFailure(
  cause: unknown,
): { type: string; message: string; details?: unknown } | undefined {
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
  const [details] = cause.details ?? [];
  return { type: cause.type, message: cause.message, details };
}

export interface FailureContext {
  /** What to say when there is no run (or no record) to act on. */
  notFound?: string;
}

/**
 * The API error for `err` if it is a known failure: a failed run, a refused update, a
 * domain error, a run that does not exist, Temporal unreachable (503). Anything else (Temporal down, a bug) is returned
 * as is (the error middleware answers 500 and logs it).
 */
export function apiErrorOf(err: unknown, context: FailureContext = {}): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowFailedError || err instanceof WorkflowUpdateFailedError) {
    // A run failed by a refused activity (a creation refused by the database) says why.
    const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
    const failure = applicationFailure(cause);
    if (failure) return failureError(failure.type, failure.message, failure.details);
    return new ApiError(409, 'Refused', err.cause?.message ?? err.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(404, 'NotFound', context.notFound ?? 'no running workflow for this resource');
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new ApiError(503, 'Unavailable', 'the workflow did not answer in time; try again');
  }
  if (isDomainError(err)) return failureError(err.code, err.message, err.details);
  if (err instanceof ServiceError) {
    return new ApiError(503, 'Unavailable', 'the workflow service is unavailable; try again shortly');
  }
  return err;
}
