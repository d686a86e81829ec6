/**
 * Outbox delivery activities (workflows/email-delivery.ts runs them). The exactly-once logic
 * is in src/email/sender.ts, the row's writes in src/db/email/sending.ts; here it meets Temporal: a refusal becomes a non-retryable
 * failure, a transient error a retryable one that carries the provider's Retry-After as
 * `nextRetryDelay`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { findDueEmailIds, recordEmailFailure, recordEmailSent } from '../src/db/email/sending';
import type { EmailDeliveryStatus } from '../src/domain/email/statuses';
import { emailBackoffMs, startEmailDeliveries } from '../src/email/delivery';
import { attemptDelivery } from '../src/email/sender';
import { createEmailTransport, type EmailTransport } from '../src/email/transport';
import { emailDeliveries } from '../src/metrics';
import type { ActivityDeps } from './index';

/** A Retry-After above this is taken as this: a misbehaving header must not park mail for days. */
const MAX_HONOURED_RETRY_AFTER_MS = 3_600_000;
const SWEEP_BATCH = 200;

export type SendOutboxEmailResult =
  | { kind: 'accepted'; providerMessageId: string | null; attempts: number }
  | { kind: 'not-claimable'; status: EmailDeliveryStatus };

export interface EmailActivityOptions {
  /** Replaces the transport the config names (tests wrap the real SendGrid transport). */
  transport?: EmailTransport;
}

export function createEmailActivities(
  { config, logger, orm }: ActivityDeps,
  options: EmailActivityOptions = {},
) {
  const email = config.email;
  const transport = options.transport ?? createEmailTransport(config, logger);
  const em = () => orm.em.fork() as EntityManager;

  return {
    /** Claims the row and hands it to the provider; the workflow records the outcome. */
    async sendOutboxEmail(emailId: string): Promise<SendOutboxEmailResult> {
      const attempt = await attemptDelivery(em(), transport, emailId, {
        from: email.from,
        nextAttemptDelayMs: (retryAfterMs) =>
          retryAfterMs !== undefined
            ? Math.min(retryAfterMs, MAX_HONOURED_RETRY_AFTER_MS)
            : emailBackoffMs(email.retry, Context.current().info.attempt),
      });
      if (attempt.kind !== 'not-claimable')
        emailDeliveries.inc({ outcome: attempt.kind === 'give-up' ? 'give_up' : attempt.kind });
      switch (attempt.kind) {
        case 'accepted':
          if (attempt.resent)
            logger.info({ emailId }, 'e-mail resent with its idempotency key after an interrupted send');
          return {
            kind: 'accepted',
            providerMessageId: attempt.providerMessageId,
            attempts: attempt.attempts,
          };
        case 'not-claimable':
          return { kind: 'not-claimable', status: attempt.status };
        case 'give-up':
          logger.warn({ emailId, reason: attempt.reason }, 'e-mail not deliverable');
          throw ApplicationFailure.create({
            message: attempt.reason,
            type: 'EmailNotDeliverable',
            nonRetryable: true,
          });
        case 'retry':
          logger.warn(
            { emailId, reason: attempt.reason, retryAfterMs: attempt.retryAfterMs },
            'e-mail send failed; will retry',
          );
          throw ApplicationFailure.create({
            message: attempt.reason,
            type: 'EmailSendFailed',
            nonRetryable: false,
            ...(attempt.retryAfterMs === undefined
              ? {}
              : { nextRetryDelay: Math.min(attempt.retryAfterMs, MAX_HONOURED_RETRY_AFTER_MS) }),
          });
      }
    },

    async recordEmailSent(emailId: string, providerMessageId: string | null): Promise<void> {
      await recordEmailSent(em(), emailId, providerMessageId);
    },

    async recordEmailFailure(emailId: string, reason: string): Promise<void> {
      await recordEmailFailure(em(), emailId, reason);
    },

    /** One sweep: starts deliveries for rows nobody started; says when to sweep next. */
    async sweepEmailOutbox(): Promise<{ started: number; nextSweepInMs: number }> {
      const ids = await findDueEmailIds(em(), {
        limit: SWEEP_BATCH,
        graceMs: email.sweepGraceMs,
        // Past the send activity's timeout a live run would have let go of it.
        staleSendingMs: email.sweepGraceMs + email.sendTimeoutMs + 30_000,
      });
      const { client, info } = Context.current();
      if (ids.length) {
        await startEmailDeliveries(client, config, ids, { taskQueue: info.taskQueue });
        logger.info({ count: ids.length }, 'outbox sweep started e-mail deliveries');
      }
      // A full batch means more are waiting: come back soon rather than after a full interval.
      return {
        started: ids.length,
        nextSweepInMs:
          ids.length === SWEEP_BATCH ? Math.min(1_000, email.sweepIntervalMs) : email.sweepIntervalMs,
      };
    },

    /** For workflows whose activity enqueued e-mails: starts their deliveries on this task queue. */
    async startEmailDeliveryWorkflows(emailIds: string[]): Promise<void> {
      const { client, info } = Context.current();
      await startEmailDeliveries(client, config, emailIds, { taskQueue: info.taskQueue });
    },
  };
}
