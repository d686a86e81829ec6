/**
 * One delivery attempt of one outbox row. Temporal specifics live in activities/email.ts and
 * workflows/email-delivery.ts; the row's claim and outcome writes in src/db/email/sending.ts.
 * This file is the exactly-once logic between them:
 *
 *   claim (src/db)  →  provider (./transport)  →  the caller records the outcome (src/db)
 *
 * A claim that finds the row `sending` means an earlier attempt may already have handed the
 * e-mail to the provider. It is resent only with the SAME idempotency key and only when the
 * transport says a repeat cannot produce a second e-mail (`safeToResend`: the provider dedupes
 * on the key, as the mail sink does); otherwise the row is failed as "outcome unknown" rather
 * than risk a duplicate, and an admin can requeue it. SendGrid's public v3 API has no
 * idempotency key, so against it we choose at-most-once for that narrow window.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { claimEmail, noteUncertainSend, releaseClaim } from '../db/email/sending';
import type { EmailDeliveryStatus } from '../domain/email/statuses';
import { EmailTransportError, TransientEmailError, type EmailTransport } from './transport';

export type DeliveryAttempt =
  /** Handed to the provider; the caller records it sent (recordEmailSent). */
  | { kind: 'accepted'; providerMessageId: string | null; attempts: number; resent: boolean }
  /** Nothing to do: already sent, failed, suppressed, or no such row. */
  | { kind: 'not-claimable'; status: EmailDeliveryStatus }
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
