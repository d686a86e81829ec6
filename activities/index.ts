import type { Redis } from 'ioredis';
import type { ChainDeps } from '../src/chain/deps';
import type { Config } from '../src/config';
import type { Orm } from '../src/db/orm';
import type { Logger } from '../src/logger';
import { createAnchorActivities } from './anchors';
import { createEmailActivities } from './email';
import { createLotteryActivities } from './lottery';
import { createPayoutActivities } from './payouts';
import { createRefundActivities } from './refunds';
import { createRevenueActivities } from './revenue';
import { createUtilityActivities } from './utility';

/** What activities need from the outside world; the worker builds it once. */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
  /** The API's read caches, told here of what activities write (src/wallet-tickets-cache.ts). */
  redis: Redis;
  /** Solana RPC and payout signer (src/chain/deps.ts); built from config on first use when absent. */
  chain?: ChainDeps;
}

/** Every activity, from the per-domain factories. Workflows proxy `Activities` by type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnchorActivities(deps),
    ...createEmailActivities(deps),
    ...createPayoutActivities(deps),
    ...createUtilityActivities(deps),
    ...createLotteryActivities(deps),
    ...createRefundActivities(deps),
    ...createRevenueActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
