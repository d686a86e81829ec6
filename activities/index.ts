import type { Config } from '../src/config';
import type { Orm } from '../src/db/orm';
import type { Logger } from '../src/logger';
import { createAnalyticsActivities } from './analytics';

/** What activities need from the outside world; the worker builds it once. */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
}

/** Every activity, from the per-domain factories. Workflows proxy `Activities` by type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnalyticsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
