import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent, type AnalyticsEventInput } from '../src/analytics/record-event';
import type { ActivityDeps } from './index';

export function createAnalyticsActivities({ orm }: ActivityDeps) {
  return {
    /** Records an event a workflow observed (draws, status changes) outside any other write. */
    async recordAnalyticsEvent(event: AnalyticsEventInput): Promise<void> {
      const em = orm.em.fork() as EntityManager;
      recordEvent(em, event);
      await em.flush();
    },
  };
}
