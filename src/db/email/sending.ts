/**
 * The outbox row's side of a delivery (the attempt itself is src/email/sender.ts):
 *
 *   claim (one UPDATE: pending|sending → sending, attempts+1)  →  provider  →  record sent
 *
 * The claim commits before the provider is called, so a sender that dies mid-send leaves the
 * row `sending`, and the next claim reports it (`previousStatus === 'sending'`).
 *
 * The idempotency key is `<row id>.<claimedAt ms>`: `claimedAt` is set by the first claim of
 * a delivery and kept by later claims and by retries after a refused send, so every attempt
 * of one delivery shares the key. `requeueFailedEmail` (./admin.ts) clears it, so a resend an
 * admin asked for gets a fresh key and is not deduped away.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '../analytics';
import type { EmailDeliveryStatus, EmailStatus } from '../../domain/email/statuses';
import { sql } from '../sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ERROR_LENGTH = 2000;

/** Outbox row ids are uuids; anything else names no row (and must not reach a uuid column). */
export const isEmailId = (value: string): boolean => UUID.test(value);

export interface ClaimedEmail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  template: string | null;
  userId: string | null;
  attempts: number;
  idempotencyKey: string;
  /** `sending` means an earlier attempt claimed it and may have handed it to the provider. */
  previousStatus: 'pending' | 'sending';
}

export type ClaimResult = { claimed: ClaimedEmail } | { claimed: null; status: EmailDeliveryStatus };

export const idempotencyKeyFor = (id: string, claimedAt: Date): string => `${id}.${claimedAt.getTime()}`;

/**
 * Claims a row for sending in one statement. The CTE locks the row first, so of two racing
 * claims the second sees the first's `sending` and learns that a send may be in flight.
 */
export async function claimEmail(em: EntityManager, id: string): Promise<ClaimResult> {
  if (!isEmailId(id)) return { claimed: null, status: 'missing' };
  const rows = await sql<{
    id: string;
    recipient_email: string;
    subject: string;
    body: string;
    text_body: string;
    template: string | null;
    user_id: string | null;
    attempts: number;
    claimed_at: Date;
    previous_status: 'pending' | 'sending';
  }>(
    em,
    `with previous as (
       select id, status from email_notifications where id = ? for update
     )
     update email_notifications e
        set status = 'sending', attempts = e.attempts + 1,
            claimed_at = coalesce(e.claimed_at, now()), updated_at = now()
       from previous
      where e.id = previous.id and previous.status in ('pending', 'sending')
     returning e.id, e.recipient_email, e.subject, e.body, e.text_body, e.template, e.user_id,
               e.attempts, e.claimed_at, previous.status as previous_status`,
    [id],
  );
  const row = rows[0];
  if (!row) {
    const current = await sql<{ status: EmailStatus }>(
      em,
      'select status from email_notifications where id = ?',
      [id],
    );
    const status = current[0]?.status;
    if (status === undefined) return { claimed: null, status: 'missing' };
    // Requeued between the two statements: let the caller's retry claim it.
    if (status === 'pending' || status === 'sending')
      throw new Error(`e-mail ${id} changed while being claimed`);
    return { claimed: null, status };
  }
  return {
    claimed: {
      id: row.id,
      to: row.recipient_email,
      subject: row.subject,
      html: row.body,
      text: row.text_body,
      template: row.template,
      userId: row.user_id,
      attempts: row.attempts,
      idempotencyKey: idempotencyKeyFor(row.id, new Date(row.claimed_at)),
      previousStatus: row.previous_status,
    },
  };
}

/** The provider certainly did not accept it: back to `pending` until the next attempt. */
export async function releaseClaim(
  em: EntityManager,
  id: string,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await sql(
    em,
    `update email_notifications set status = 'pending', error_message = ?, next_attempt_at = ?, updated_at = now()
        where id = ? and status = 'sending'`,
    [truncate(error), nextAttemptAt, id],
  );
}

/** The send may or may not have gone out: keep `sending` (the next attempt decides), note why. */
export async function noteUncertainSend(
  em: EntityManager,
  id: string,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await sql(
    em,
    `update email_notifications set error_message = ?, next_attempt_at = ?, updated_at = now()
        where id = ? and status = 'sending'`,
    [truncate(error), nextAttemptAt, id],
  );
}

interface OutcomeRow {
  template: string | null;
  user_id: string | null;
  attempts: number;
}

/** `sending` → `sent` with the provider's id, and `email.sent`, in one transaction. Idempotent. */
export async function recordEmailSent(
  em: EntityManager,
  id: string,
  providerMessageId: string | null,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const rows = await sql<OutcomeRow>(
      tx,
      `update email_notifications
          set status = 'sent', sent_at = now(), provider_message_id = ?, error_message = null, updated_at = now()
        where id = ? and status = 'sending'
        returning template, user_id, attempts`,
      [providerMessageId, id],
    );
    const row = rows[0];
    if (!row) return false;
    recordEvent(tx, {
      type: 'email.sent',
      userId: row.user_id,
      metadata: { emailId: id, template: row.template, attempts: row.attempts, providerMessageId },
    });
    return true;
  });
}

/** `pending|sending` → `failed` with the reason, and `email.failed`, in one transaction. Idempotent. */
export async function recordEmailFailure(em: EntityManager, id: string, reason: string): Promise<boolean> {
  return em.transactional(async (tx) => {
    const rows = await sql<OutcomeRow>(
      tx,
      `update email_notifications set status = 'failed', error_message = ?, updated_at = now()
        where id = ? and status in ('pending', 'sending')
        returning template, user_id, attempts`,
      [truncate(reason), id],
    );
    const row = rows[0];
    if (!row) return false;
    recordEvent(tx, {
      type: 'email.failed',
      userId: row.user_id,
      metadata: {
        emailId: id,
        template: row.template,
        attempts: row.attempts,
        reason: truncate(reason, 500),
      },
    });
    return true;
  });
}

export interface DueEmailsQuery {
  limit: number;
  /** Pending rows younger than this are left to the code that enqueued them. */
  graceMs: number;
  /** A `sending` row untouched this long has lost its sender (its workflow is gone). */
  staleSendingMs: number;
}

/** Rows that need a delivery started: pending and due, or stuck in `sending`. Oldest first. */
export async function findDueEmailIds(em: EntityManager, query: DueEmailsQuery): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    em,
    `(select id, next_attempt_at as due from email_notifications
       where status = 'pending' and next_attempt_at <= now() - (? * interval '1 millisecond')
       order by next_attempt_at limit ?)
     union all
     (select id, updated_at as due from email_notifications
       where status = 'sending' and updated_at <= now() - (? * interval '1 millisecond')
       order by updated_at limit ?)
     order by due limit ?`,
    [query.graceMs, query.limit, query.staleSendingMs, query.limit, query.limit],
  );
  return rows.map((r) => r.id);
}

function truncate(text: string, max = MAX_ERROR_LENGTH): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
