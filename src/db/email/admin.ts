/**
 * What the admin API reads and does with the outbox (`GET /api/v1/admin/emails`, resend, the
 * overview's e-mail backlog). Routes validate their input with zod and call these.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { EMAIL_STATUSES, type EmailStatus } from '../../domain/email/statuses';
import { EmailNotificationSchema, type EmailNotification } from '../entities/email-notification';
import { sql } from '../sql';
import { isEmailId } from './sending';

export const EMAIL_PAGE_DEFAULT = 25;
export const EMAIL_PAGE_MAX = 100;

export interface EmailListQuery {
  status?: EmailStatus;
  /** Case-insensitive substring of the recipient address. */
  recipient?: string;
  template?: string;
  userId?: string;
  /** 1..100, default 25. */
  limit?: number;
  offset?: number;
}

/** A row without its rendered body (see `getEmail` for that). */
export interface EmailSummary {
  id: string;
  dedupeKey: string;
  recipientEmail: string;
  subject: string;
  template: string | null;
  userId: string | null;
  status: EmailStatus;
  attempts: number;
  nextAttemptAt: Date;
  claimedAt: Date | null;
  sentAt: Date | null;
  providerMessageId: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EmailDetail extends EmailSummary {
  html: string;
  text: string;
  data: Record<string, unknown> | null;
}

export interface EmailPage {
  items: EmailSummary[];
  total: number;
  limit: number;
  offset: number;
}

const SUMMARY_FIELDS = [
  'id',
  'dedupeKey',
  'recipientEmail',
  'subject',
  'template',
  'userId',
  'status',
  'attempts',
  'nextAttemptAt',
  'claimedAt',
  'sentAt',
  'providerMessageId',
  'errorMessage',
  'createdAt',
  'updatedAt',
] as const;

/** Newest first, filtered by status / recipient / template / user, paginated. */
export async function listEmails(em: EntityManager, query: EmailListQuery = {}): Promise<EmailPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? EMAIL_PAGE_DEFAULT), 1), EMAIL_PAGE_MAX);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  const where: FilterQuery<EmailNotification> = {};
  if (query.status) where.status = query.status;
  if (query.template) where.template = query.template;
  if (query.userId) where.userId = query.userId;
  if (query.recipient) where.recipientEmail = { $ilike: `%${escapeLike(query.recipient)}%` };
  const [rows, total] = await em.findAndCount(EmailNotificationSchema, where, {
    fields: [...SUMMARY_FIELDS],
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit,
    offset,
  });
  return { items: rows.map(toSummary), total, limit, offset };
}

/** One row with its rendered HTML and text parts, or null. */
export async function getEmail(em: EntityManager, id: string): Promise<EmailDetail | null> {
  if (!isEmailId(id)) return null;
  const row = await em.findOne(EmailNotificationSchema, { id });
  if (!row) return null;
  return { ...toSummary(row), html: row.body, text: row.textBody, data: row.data ?? null };
}

/** Row counts per status, every status present (the overview's e-mail backlog). */
export async function countEmailsByStatus(em: EntityManager): Promise<Record<EmailStatus, number>> {
  const rows = await sql<{ status: EmailStatus; n: string }>(
    em,
    'select status, count(*) as n from email_notifications group by status',
  );
  const counts = Object.fromEntries(EMAIL_STATUSES.map((s) => [s, 0])) as Record<EmailStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * Puts a `failed` row back to `pending` for another delivery; null unless it was failed.
 * Attempts keep counting. `claimedAt` is cleared, which gives the resend a fresh provider
 * idempotency key (./sending.ts): with the old key an idempotent provider would
 * answer "already sent" and send nothing, which is right for a crashed retry but not for a
 * resend an admin asked for. The caller starts the delivery after its transaction commits
 * (`startEmailDeliveries(client, config, [id])`, src/email/delivery.ts); otherwise the sweeper does.
 */
export async function requeueFailedEmail(em: EntityManager, id: string): Promise<EmailSummary | null> {
  if (!isEmailId(id)) return null;
  const rows = await sql<{ id: string }>(
    em,
    `update email_notifications
        set status = 'pending', claimed_at = null, next_attempt_at = now(), error_message = null, updated_at = now()
      where id = ? and status = 'failed'
      returning id`,
    [id],
  );
  if (!rows[0]) return null;
  const row = await em.findOne(
    EmailNotificationSchema,
    { id },
    { fields: [...SUMMARY_FIELDS], refresh: true },
  );
  return row ? toSummary(row) : null;
}

function toSummary(row: Pick<EmailNotification, (typeof SUMMARY_FIELDS)[number]>): EmailSummary {
  return {
    id: row.id,
    dedupeKey: row.dedupeKey,
    recipientEmail: row.recipientEmail,
    subject: row.subject,
    template: row.template ?? null,
    userId: row.userId ?? null,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    claimedAt: row.claimedAt ?? null,
    sentAt: row.sentAt ?? null,
    providerMessageId: row.providerMessageId ?? null,
    errorMessage: row.errorMessage ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
