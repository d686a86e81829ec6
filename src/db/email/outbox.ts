/**
 * The e-mail outbox (DESIGN §7): business code calls `enqueueEmail` inside the transaction
 * that makes the change the e-mail is about, so the row commits (or rolls back) with it.
 * After the commit the caller starts the row's delivery (`startEmailDeliveries`, see
 * src/email/delivery.ts); if Temporal cannot be reached then, the sweeper starts it later.
 *
 * Typical use in an activity:
 *
 *   const email = await em.transactional(async (tx) => {
 *     ...the business change...
 *     return enqueueEmail(tx, { dedupeKey: `tickets:${signature}`, to, template: 'ticketsPurchased',
 *                              data, userId, preference: 'emailTicketReceipts' }, config);
 *   });
 *   await startEmailDeliveries(Context.current().client, config, [email.id]);
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { UserPreferences } from '../entities/user';
import { DomainError } from '../../domain/errors';
import type { EmailStatus } from '../../domain/email/statuses';
import {
  renderEmail,
  type EmailTemplateData,
  type EmailTemplateName,
  type RenderContext,
} from '../../domain/email/templates';
import { sql } from '../sql';

/** The user preference that governs an e-mail; absent in the user's record means "yes". */
export type EmailPreference = keyof UserPreferences;

export interface EnqueueEmailInput<K extends EmailTemplateName = EmailTemplateName> {
  /**
   * Business identity of the e-mail, e.g. `tickets:<signature>`, `distribution:2026-02:<wallet>`.
   * The same key twice enqueues once (the first one wins; later data is ignored).
   */
  dedupeKey: string;
  to: string;
  template: K;
  data: EmailTemplateData[K];
  /** The recipient's user row, when known; else looked up by e-mail address. */
  userId?: string | null;
  /** Checked against the recipient's preferences; an opted-out recipient's row is `suppressed`. */
  preference?: EmailPreference;
}

export interface EnqueuedEmail {
  id: string;
  status: EmailStatus;
  /** False when a row with this dedupe key already existed (nothing was written). */
  created: boolean;
}

export type OutboxErrorCode = 'EmailNotInTransaction' | 'EmailRecipientInvalid' | 'EmailDedupeKeyInvalid';

const recipientSchema = z.email().max(255);

/**
 * Writes an `email_notifications` row in the caller's transaction, rendered from the template
 * (the templates escape every value). Insert-or-nothing on the dedupe key: a second call, or a
 * concurrent transaction with the same key, writes nothing and returns the existing row (a
 * concurrent insert waits for the first transaction and then does nothing, or inserts if that
 * one rolled back). Must run inside `em.transactional(...)`: outside one the row would commit
 * on its own, before or without the business change.
 */
export async function enqueueEmail<K extends EmailTemplateName>(
  em: EntityManager,
  input: EnqueueEmailInput<K>,
  /** Where links point (APP_URL); pass `config`. */
  context: RenderContext,
): Promise<EnqueuedEmail> {
  if (!em.isInTransaction()) {
    throw new DomainError<OutboxErrorCode>(
      'EmailNotInTransaction',
      'enqueueEmail must run inside em.transactional(...) so the e-mail commits with the business change',
    );
  }
  const dedupeKey = input.dedupeKey;
  if (typeof dedupeKey !== 'string' || dedupeKey.length === 0 || dedupeKey.length > 200) {
    throw new DomainError<OutboxErrorCode>('EmailDedupeKeyInvalid', 'dedupeKey must be 1..200 characters');
  }
  const to = recipientSchema.safeParse(input.to);
  if (!to.success) {
    throw new DomainError<OutboxErrorCode>(
      'EmailRecipientInvalid',
      `recipient ${JSON.stringify(input.to)} is not an e-mail address`,
    );
  }
  // Renders (and so validates the data) before anything is written.
  const rendered = renderEmail(input.template, input.data, context);

  const recipient = await findRecipient(em, input.userId ?? null, to.data);
  const optedOut = input.preference !== undefined && recipient?.preferences[input.preference] === false;

  const inserted = await sql<{ id: string; status: EmailStatus }>(
    em,
    `insert into email_notifications
       (dedupe_key, recipient_email, subject, body, text_body, template, data, user_id, status, error_message)
     values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
     on conflict (dedupe_key) do nothing
     returning id, status`,
    [
      dedupeKey,
      to.data,
      rendered.subject,
      rendered.html,
      rendered.text,
      input.template,
      JSON.stringify(input.data),
      recipient?.id ?? null,
      optedOut ? 'suppressed' : 'pending',
      optedOut ? `recipient opted out (${input.preference})` : null,
    ],
  );
  const row = inserted[0];
  if (row) return { id: row.id, status: row.status, created: true };

  const existing = await sql<{ id: string; status: EmailStatus }>(
    em,
    'select id, status from email_notifications where dedupe_key = ?',
    [dedupeKey],
  );
  const found = existing[0];
  // Only under REPEATABLE READ or stricter can the conflicting row be invisible here.
  if (!found) throw new Error(`e-mail ${dedupeKey} conflicts with a row this transaction cannot see`);
  return { id: found.id, status: found.status, created: false };
}

interface Recipient {
  id: string;
  preferences: UserPreferences;
}

/** The given user, or the only user with this e-mail address; null when there is none. */
async function findRecipient(
  em: EntityManager,
  userId: string | null,
  email: string,
): Promise<Recipient | null> {
  const rows = await sql<{ id: string; preferences: UserPreferences | null }>(
    em,
    userId
      ? 'select id, preferences from users where id = ?'
      : 'select id, preferences from users where email = ? limit 2',
    [userId ?? email],
  );
  const user = rows.length === 1 ? rows[0] : undefined;
  if (!user) {
    // A userId that names no user would break the foreign key: keep it out, keep the e-mail.
    return null;
  }
  return { id: user.id, preferences: user.preferences ?? {} };
}
