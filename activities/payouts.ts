/**
 * Payout activities: record a payout under its business key, and send it exactly once
 * (src/chain/payout.ts). Results and failures carry keys, signatures, addresses and amounts
 * only: never signed bytes or key material, since they enter workflow history.
 *
 * Suggested options for workflows (the send is safe to retry at any point):
 *   recordPayout: { startToCloseTimeout: '10s', retry: { maximumAttempts: 5 } }
 *   sendPayout:   { startToCloseTimeout: '2m', heartbeatTimeout: '60s',
 *                   retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' } }
 * Permanent failures (PayoutFailed, PayoutKeyConflict, InvalidPayout, PayerKeyUnavailable,
 * PayoutNotFound, InvalidAddress) are non-retryable ApplicationFailures of that type; the rest retry.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { toActivityFailure } from '../src/chain/errors';
import { createPayout, sendPayout, type PayoutOutcome } from '../src/chain/payout';
import type { PayoutKind } from '../src/db/entities';
import { parseBaseUnits, type Currency } from '../src/domain/money';
import type { ActivityDeps } from './index';

export interface RecordPayoutInput {
  key: string;
  kind: PayoutKind;
  recipient: string;
  currency: Currency;
  /** Base units as a decimal string (bigints do not survive workflow payloads). */
  amountBaseUnits: string;
}

export interface RecordedPayout {
  key: string;
  status: string;
  signature: string | null;
}

export function createPayoutActivities(deps: ActivityDeps) {
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(deps.config, deps.logger));
  const logger = deps.logger.child({ area: 'payouts' });

  return {
    /** Creates the payout row (idempotent on key; a different payload under the same key fails). */
    async recordPayout(input: RecordPayoutInput): Promise<RecordedPayout> {
      try {
        const em = deps.orm.em.fork() as EntityManager;
        const row = await createPayout(em, {
          ...input,
          amountBaseUnits: parseBaseUnits(input.amountBaseUnits),
        });
        return { key: row.key, status: row.status, signature: row.signature ?? null };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Sends payout `key` exactly once and waits for it at the configured commitment. */
    async sendPayout(key: string): Promise<PayoutOutcome> {
      const context = asyncLocalStorage.getStore();
      try {
        return await sendPayout(deps.orm.em.fork() as EntityManager, chainDeps(), key, {
          logger,
          signal: context?.cancellationSignal,
          onProgress: context ? (state) => context.heartbeat(state) : undefined,
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  };
}
