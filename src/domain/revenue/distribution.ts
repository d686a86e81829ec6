/**
 * Monthly Revenue Pass arithmetic (DESIGN §3, §5), all in base units of one currency.
 * Everything rounds down, so the system never promises more than it holds:
 *
 *   totalRevenue       = Σ sources
 *   distributionAmount = floor(totalRevenue × shareBps / 10 000)
 *   perPassAmount      = floor(distributionAmount / passCount)
 *   dust               = distributionAmount − perPassAmount × passCount   (0 ≤ dust < passCount)
 *   retainedAmount     = totalRevenue − distributionAmount
 *
 * and totalRevenue = retainedAmount + perPassAmount × passCount + dust, exactly.
 */
import { DomainError } from '../errors';
import { assertBaseUnits, MAX_BASE_UNITS, mulDivFloor } from '../money';

export const BPS_DENOMINATOR = 10_000;
export const MAX_SOURCE_NAME_LENGTH = 200;

export type DistributionErrorCode =
  'INVALID_SOURCE' | 'DUPLICATE_SOURCE' | 'INVALID_SHARE' | 'INVALID_PASS_COUNT' | 'AMOUNT_TOO_LARGE';

const distributionError = (code: DistributionErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError<DistributionErrorCode>(code, message, details);

export interface RevenueSource {
  name: string;
  amountBaseUnits: bigint;
}

export interface DistributionInput {
  sources: readonly RevenueSource[];
  /** Share of total revenue paid to pass holders, in basis points (0..10 000). */
  shareBps: number;
  /** Revenue Passes in the snapshot (≥ 1). */
  passCount: number;
}

export interface DistributionBreakdown {
  totalRevenue: bigint;
  shareBps: number;
  distributionAmount: bigint;
  /** Revenue not distributed (the treasury keeps it). */
  retainedAmount: bigint;
  passCount: number;
  perPassAmount: bigint;
  /** Remainder of the distribution that does not divide evenly among passes; recorded, not paid. */
  dust: bigint;
}

/** Splits a month's revenue among passes; validates every input and never rounds up. */
export function computeDistribution(input: DistributionInput): DistributionBreakdown {
  const { sources, shareBps, passCount } = input;
  if (!Array.isArray(sources)) throw distributionError('INVALID_SOURCE', 'sources must be a list');
  if (!Number.isSafeInteger(shareBps) || shareBps < 0 || shareBps > BPS_DENOMINATOR) {
    throw distributionError(
      'INVALID_SHARE',
      `distribution share must be an integer 0..${BPS_DENOMINATOR} basis points, got ${String(shareBps)}`,
    );
  }
  if (!Number.isSafeInteger(passCount) || passCount < 1) {
    throw distributionError(
      'INVALID_PASS_COUNT',
      `pass count must be an integer ≥ 1, got ${String(passCount)}`,
    );
  }

  const seen = new Set<string>();
  let totalRevenue = 0n;
  sources.forEach((source: RevenueSource, position: number) => {
    const name: unknown = source?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_SOURCE_NAME_LENGTH) {
      throw distributionError(
        'INVALID_SOURCE',
        `source ${position + 1}: name must be 1..${MAX_SOURCE_NAME_LENGTH} characters`,
      );
    }
    const key = name.trim();
    if (seen.has(key)) throw distributionError('DUPLICATE_SOURCE', `source "${key}" is listed twice`);
    seen.add(key);
    try {
      assertBaseUnits(source.amountBaseUnits, `source "${key}" amount`);
    } catch (error) {
      throw distributionError('INVALID_SOURCE', error instanceof Error ? error.message : String(error));
    }
    totalRevenue += source.amountBaseUnits;
  });
  if (totalRevenue > MAX_BASE_UNITS) {
    throw distributionError(
      'AMOUNT_TOO_LARGE',
      `total revenue ${totalRevenue} exceeds ${MAX_BASE_UNITS} base units`,
    );
  }

  const distributionAmount = mulDivFloor(totalRevenue, BigInt(shareBps), BigInt(BPS_DENOMINATOR));
  const passes = BigInt(passCount);
  const perPassAmount = distributionAmount / passes;
  return {
    totalRevenue,
    shareBps,
    distributionAmount,
    retainedAmount: totalRevenue - distributionAmount,
    passCount,
    perPassAmount,
    dust: distributionAmount - perPassAmount * passes,
  };
}
