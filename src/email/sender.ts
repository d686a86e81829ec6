/**
 * One delivery attempt of one outbox row, and the writes that record its outcome. Temporal
 * specifics live in activities/email.ts and workflows/email-delivery.ts; this file is the
 * exactly-once logic they run:
 *
 *   claim (one UPDATE: pending|sending → sending, attempts+1)  →  provider  →  record sent
 *
 * The claim commits before the provider is called, so a sender that dies mid-send leaves the
 * row `sending`. The next attempt sees that (`previousStatus === 'sending'`): the e-mail may
 * already be out. It is resent only with the SAME idempotency key and only when the transport
 * says a repeat cannot produce a second e-mail (`safeToResend`: the provider dedupes on the
 * key, as the mail sink does); otherwise the row is failed as "outcome unknown" rather than
 * risk a duplicate, and an admin can requeue it. SendGrid's public v3 API has no idempotency
 * key, so against it we choose at-most-once for that narrow window.
 *
 * The idempotency key is `<row id>.<claimedAt ms>`: `claimedAt` is set by the first claim of
 * a delivery and kept by later claims and by retries after a refused send, so every attempt
 * of one delivery shares the key. `requeueFailedEmail` clears it, so a resend an admin asked
 * for gets a fresh key and is not deduped away.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '../analytics/record-event';
import type { EmailStatus } from '../db/entities/email-notification';
import { EmailTransportError, TransientEmailError, type EmailTransport } from './transport';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ERROR_LENGTH = 2000;

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

export type ClaimResult =
  | { claimed: ClaimedEmail }
  | { claimed: null; status: Exclude<EmailStatus, 'pending' | 'sending'> | 'missing' };

export const idempotencyKeyFor = (id: string, claimedAt: Date): string => `${id}.${claimedAt.getTime()}`;

/**
 * Claims a row for sending in one statement. The CTE locks the row first, so of two racing
 * claims the second sees the first's `sending` and learns that a send may be in flight.
 */
export async function claimEmail(em: EntityManager, id: string): Promise<ClaimResult> {
  if (!UUID.test(id)) return { claimed: null, status: 'missing' };
  const connection = em.getConnection();
  const rows = await connection.execute<
    {
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
    }[]
  >(
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
    'all',
    em.getTransactionContext(),
  );
  const row = rows[0];
  if (!row) {
    const current = await connection.execute<{ status: EmailStatus }[]>(
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
  await em.getConnection().execute(
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
  await em.getConnection().execute(
    `update email_notifications set error_message = ?, next_attempt_at = ?, updated_at = now()
        where id = ? and status = 'sending'`,
    [truncate(error), nextAttemptAt, id],
  );
}

/** `sending` → `sent` with the provider's id, and `email.sent`, in one transaction. Idempotent. */
export async function recordEmailSent(
  em: EntityManager,
  id: string,
  providerMessageId: string | null,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const rows = await tx
      .getConnection()
      .execute<{ template: string | null; user_id: string | null; attempts: number }[]>(
        `update email_notifications
          set status = 'sent', sent_at = now(), provider_message_id = ?, error_message = null, updated_at = now()
        where id = ? and status = 'sending'
        returning template, user_id, attempts`,
        [providerMessageId, id],
        'all',
        tx.getTransactionContext(),
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
    const rows = await tx
      .getConnection()
      .execute<{ template: string | null; user_id: string | null; attempts: number }[]>(
        `update email_notifications set status = 'failed', error_message = ?, updated_at = now()
        where id = ? and status in ('pending', 'sending')
        returning template, user_id, attempts`,
        [truncate(reason), id],
        'all',
        tx.getTransactionContext(),
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
  const rows = await em.getConnection().execute<{ id: string }[]>(
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

// ---------------------------------------------------------------------------------------
// One attempt
// ---------------------------------------------------------------------------------------

export type DeliveryAttempt =
  /** Handed to the provider; the caller records it sent (recordEmailSent). */
  | { kind: 'accepted'; providerMessageId: string | null; attempts: number; resent: boolean }
  /** Nothing to do: already sent, failed, suppressed, or no such row. */
  | { kind: 'not-claimable'; status: Exclude<EmailStatus, 'pending' | 'sending'> | 'missing' }
  /** Give up now; the caller records it failed (recordEmailFailure). */
  | { kind: 'give-up'; reason: string }
  /** Try again later (the row says when and why). */
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

export interface AttemptOptions {
  from: string;
  /** When the next attempt will be if this one must retry (for `next_attempt_at`); gets Retry-After if any. */
  nextAttemptDelayMs(retryAfterMs: number | undefined): number;
}

export async function attemptDelivery(
  em: EntityManager,
  transport: EmailTransport,
  emailId: string,
  options: AttemptOptions,
): Promise<DeliveryAttempt> {
  const claim = await claimEmail(em, emailId);
  if (!claim.claimed) return { kind: 'not-claimable', status: claim.status };
  const email = claim.claimed;

  const resending = email.previousStatus === 'sending';
  if (resending && !transport.safeToResend) {
    return {
      kind: 'give-up',
      reason:
        'delivery outcome unknown: an earlier attempt stopped after handing the e-mail to the provider, ' +
        'which does not dedupe; not resent to avoid a duplicate (requeue it if the recipient did not get it)',
    };
  }

  try {
    const { providerMessageId } = await transport.send(
      {
        emailId: email.id,
        to: email.to,
        from: options.from,
        subject: email.subject,
        text: email.text,
        html: email.html,
        template: email.template,
      },
      { idempotencyKey: email.idempotencyKey },
    );
    return { kind: 'accepted', providerMessageId, attempts: email.attempts, resent: resending };
  } catch (error) {
    if (error instanceof EmailTransportError && error.kind === 'permanent') {
      return { kind: 'give-up', reason: error.message };
    }
    const reason = error instanceof Error ? error.message : String(error);
    const retryAfterMs = error instanceof TransientEmailError ? error.retryAfterMs : undefined;
    const nextAttemptAt = new Date(Date.now() + options.nextAttemptDelayMs(retryAfterMs));
    // Anything but an error answer from the provider may have reached it (a timeout, or the
    // sender failing after the call): the row stays `sending` so the next attempt knows.
    const certainlyRefused = error instanceof TransientEmailError && !error.maybeAccepted;
    if (certainlyRefused) await releaseClaim(em, email.id, reason, nextAttemptAt);
    else await noteUncertainSend(em, email.id, reason, nextAttemptAt);
    return { kind: 'retry', reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

function truncate(text: string, max = MAX_ERROR_LENGTH): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
