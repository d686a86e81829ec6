/**
 * Refund activities, run by workflows/lottery-refunds.ts: which refunds of a round to pay,
 * and the payout row of each (src/db/lottery/refunds.ts). The send is `sendPayout`
 * (activities/payouts.ts), the exactly-once payout path. A refusal (RefundNotFound,
 * NoRefundOwed) is a non-retryable ApplicationFailure typed by its code.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { isChainError, toActivityFailure } from '../src/chain/errors';
import { recordRefundPayout, refundsToPay, refundToPay, type RefundToPay } from '../src/db/lottery/refunds';
import { isDomainError } from '../src/domain/errors';
import type { ActivityDeps } from './index';

/** Domain and chain refusals are permanent, typed by their code; anything else retries. */
function failure(error: unknown): never {
  if (isChainError(error)) throw toActivityFailure(error);
  if (isDomainError(error)) {
    throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
  }
  throw error;
}

export function createRefundActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork() as EntityManager;
  return {
    /** The refund owed on `signature` in the round, or every refund owed in it (signature null). */
    async listRefundsToPay(roundId: string, signature: string | null): Promise<RefundToPay[]> {
      if (signature === null) return refundsToPay(em(), roundId);
      return [await refundToPay(em(), roundId, signature).catch(failure)];
    },

    /** Writes the refund's payout row (key `refund:<signature>`) and links it from the receipt. */
    async recordRefundPayout(roundId: string, signature: string): Promise<RefundToPay> {
      return recordRefundPayout(em(), roundId, signature).catch(failure);
    },
  };
}
