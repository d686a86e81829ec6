import type { Opt } from '@mikro-orm/core';
import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { address, createdAt } from './columns';

export interface AnalyticsEvent {
  id: bigint;
  eventType: string;
  userId?: string | null;
  walletAddress?: string | null;
  metadata?: Record<string, unknown> | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  createdAt: Opt<Date>;
}

export const AnalyticsEventSchema = new EntitySchema<AnalyticsEvent>({
  name: 'AnalyticsEvent',
  tableName: 'analytics_events',
  properties: {
    id: { type: new BigIntType('bigint'), primary: true, autoincrement: true },
    eventType: { type: 'string', length: 100, index: 'idx_events_type' },
    userId: { kind: 'm:1', entity: 'User', joinColumn: 'user_id', mapToPk: true, nullable: true },
    walletAddress: { ...address(), nullable: true, index: 'idx_events_wallet' },
    metadata: { type: 'json', nullable: true },
    ipAddress: { type: 'string', columnType: 'inet', nullable: true },
    userAgent: { type: 'text', nullable: true },
    createdAt: { ...createdAt(), index: 'idx_events_created' },
  },
});
