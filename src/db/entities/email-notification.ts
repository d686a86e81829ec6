import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { EMAIL_STATUSES, type EmailStatus } from '../../domain/email/statuses';
import { createdAt, updatedAt } from './columns';

export interface EmailNotification {
  id: string;
  dedupeKey: string;
  recipientEmail: string;
  subject: string;
  body: string;
  textBody: string;
  template?: string | null;
  data?: Record<string, unknown> | null;
  userId?: string | null;
  status: EmailStatus;
  attempts: number;
  nextAttemptAt: Date;
  claimedAt?: Date | null;
  sentAt?: Date | null;
  providerMessageId?: string | null;
  errorMessage?: string | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const EmailNotificationSchema = new EntitySchema<EmailNotification>({
  name: 'EmailNotification',
  tableName: 'email_notifications',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    dedupeKey: { type: 'string', length: 200, unique: 'email_notifications_dedupe_key_unique' },
    recipientEmail: { type: 'string', length: 255, index: 'idx_emails_recipient' },
    subject: { type: 'string', length: 500 },
    body: { type: 'text' },
    textBody: { type: 'text' },
    template: { type: 'string', length: 100, nullable: true, index: 'idx_emails_template' },
    data: { type: 'json', nullable: true },
    userId: { kind: 'm:1', entity: 'User', joinColumn: 'user_id', mapToPk: true, nullable: true },
    status: { enum: true, items: () => EMAIL_STATUSES, defaultRaw: `'pending'`, index: 'idx_emails_status' },
    attempts: { type: 'integer', defaultRaw: '0' },
    nextAttemptAt: { type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() },
    claimedAt: { type: 'datetime', nullable: true },
    sentAt: { type: 'datetime', nullable: true },
    providerMessageId: { type: 'string', length: 200, nullable: true },
    errorMessage: { type: 'text', nullable: true },
    createdAt: { ...createdAt(), index: 'idx_emails_created' },
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'idx_emails_due', properties: ['status', 'nextAttemptAt'] }],
});
