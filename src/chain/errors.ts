/**
 * The one error shape of the Solana layer: a DomainError whose `code` names the failure and
 * whose `transient` flag says whether trying again later can change the answer. Activities
 * turn it into an ApplicationFailure with `toActivityFailure` (type = code, non-retryable
 * unless transient), and the API maps the same codes to statuses.
 *
 * Messages carry the chain's own figures (amounts in base units, addresses, slots) and never
 * an RPC URL, a key or signed transaction bytes. Details are JSON-safe (bigints as strings)
 * because they travel into workflow history.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { DomainError } from '../domain/errors';

/** Trying again later may succeed: the RPC was unreachable or the chain has not caught up. */
export const TRANSIENT_CHAIN_CODES = [
  'NotFoundYet',
  'RpcUnavailable',
  'BeaconNotReady',
  'PayoutNotConfirmedYet',
  'MemoNotConfirmedYet',
] as const;

/**
 * Transient codes that are the normal wait for the chain to get somewhere (the beacon slot,
 * a commitment level), not trouble: their retries are BENIGN failures, which the worker logs
 * at DEBUG and leaves out of its failure metrics, so they raise no error or alert.
 * RpcUnavailable is not one of them: an unreachable RPC is worth seeing.
 */
export const EXPECTED_WAIT_CHAIN_CODES = [
  'NotFoundYet',
  'BeaconNotReady',
  'PayoutNotConfirmedYet',
  'MemoNotConfirmedYet',
] as const satisfies readonly TransientChainCode[];

/** The answer is final for this input: retrying cannot change it. */
export const PERMANENT_CHAIN_CODES = [
  'InvalidSignature',
  'InvalidAddress',
  'TransactionFailed',
  'NotSignedByWallet',
  /** The submitting wallet's own funds did not pay the treasury; details name who did. */
  'NotPaidByWallet',
  /** The submitting wallet paid the treasury in the other currency; details carry the chain's. */
  'PaymentMethodMismatch',
  'WrongRecipient',
  'WrongMint',
  'PaymentTooSmall',
  'UnverifiableAmount',
  'NoBurn',
  'WrongBurnAuthority',
  'BurnAmountNotOne',
  'NotInCollection',
  'AlreadyUsed',
  'RpcRejected',
  'InvalidPayout',
  'PayoutNotFound',
  'PayoutKeyConflict',
  'PayoutFailed',
  'PayerKeyUnavailable',
  'InvalidMemo',
  'MemoKeyConflict',
  'MemoFailed',
] as const;

export type TransientChainCode = (typeof TRANSIENT_CHAIN_CODES)[number];
export type PermanentChainCode = (typeof PERMANENT_CHAIN_CODES)[number];
export type ChainErrorCode = TransientChainCode | PermanentChainCode;

const TRANSIENT = new Set<string>(TRANSIENT_CHAIN_CODES);
const EXPECTED_WAIT = new Set<string>(EXPECTED_WAIT_CHAIN_CODES);

/** JSON values only (no bigint, no undefined): details travel into workflow history. */
export type ChainErrorDetailValue =
  | string
  | number
  | boolean
  | null
  | readonly ChainErrorDetailValue[]
  | { readonly [key: string]: ChainErrorDetailValue };

export type ChainErrorDetails = Readonly<Record<string, ChainErrorDetailValue>>;

export class ChainError extends DomainError<ChainErrorCode> {
  override readonly name: string = 'ChainError';
  readonly transient: boolean;

  constructor(code: ChainErrorCode, message: string, details?: ChainErrorDetails) {
    super(code, message, details);
    this.transient = TRANSIENT.has(code);
  }
}

export const isChainError = (value: unknown): value is ChainError => value instanceof ChainError;

export function chainError(code: ChainErrorCode, message: string, details?: ChainErrorDetails): ChainError {
  return new ChainError(code, message, details);
}

/**
 * The ApplicationFailure an activity throws for `error`: a ChainError keeps its code as the
 * failure type and is non-retryable unless transient, BENIGN when it is an expected wait
 * (EXPECTED_WAIT_CHAIN_CODES); anything else is returned unchanged
 * (Temporal retries unknown errors per the activity's retry policy).
 */
export function toActivityFailure(error: unknown): unknown {
  if (!isChainError(error)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.transient,
    details: error.details ? [error.details] : undefined,
    category: EXPECTED_WAIT.has(error.code) ? ApplicationFailureCategory.BENIGN : undefined,
  });
}
