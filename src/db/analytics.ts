import type { EntityManager } from '@mikro-orm/postgresql';
import { AnalyticsEventSchema } from './entities';
import type { AnalyticsEventType } from '../domain/analytics-events';

export interface AnalyticsEventInput {
  type: AnalyticsEventType;
  wallet?: string | null;
  userId?: string | null;
  metadata?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Records an analytics event in the caller's unit of work (it is flushed with the business
 * change it describes, so an event never exists without its change or the reverse).
 */
export function recordEvent(em: EntityManager, event: AnalyticsEventInput): void {
  em.create(AnalyticsEventSchema, {
    eventType: event.type,
    walletAddress: event.wallet ?? null,
    userId: event.userId ?? null,
    metadata: event.metadata ?? null,
    ipAddress: event.ip ?? null,
    userAgent: event.userAgent?.slice(0, 500) ?? null,
  });
}
