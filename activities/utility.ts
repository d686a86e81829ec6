/**
 * Utility Factory activities, run by workflows/utility-project.ts. Each writes one
 * transaction (src/db/utility.ts) and returns the outbox e-mails it queued; the
 * workflow then starts their deliveries (`startEmailDeliveryWorkflows`).
 *
 * Who inserts the project row: this workflow's first activity, never the API. The API
 * validates the submission and starts `utility-project:{projectId}` with it; the workflow's
 * first step is `recordProjectSubmission` (idempotent on the project id), retried until
 * PostgreSQL takes it. So there is no row without a workflow (only the workflow writes one)
 * and no workflow without a row (its first act is writing it, and a retry after the commit
 * finds it). The other order cannot promise both: a row committed by the API before a start
 * that fails (Temporal down, process killed) is a project nobody will ever review. The cost:
 * the submission (name, e-mail, details) is in the workflow's history, which only operators
 * see; a payload codec encrypts it if that must change.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { isDomainError } from '../src/domain/errors';
import { formatDuration } from '../src/domain/utility/submission';
import {
  queueReviewReminders,
  recordProjectChange as recordChange,
  recordSubmittedProject,
  type ProjectChangeRecord,
  type QueuedEmails,
  type ReviewReminder,
  type SubmittedProject,
} from '../src/db/utility';
import type { ActivityDeps } from './index';

/** Permanent failures: retrying cannot help (the workflow's state and the database disagree). */
function permanent(error: unknown): never {
  if (isDomainError(error)) {
    throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true });
  }
  throw error;
}

export function createUtilityActivities({ config, logger, orm }: ActivityDeps) {
  const em = () => orm.em.fork() as EntityManager;
  const log = logger.child({ area: 'utility' });
  /** What the e-mails promise: UTILITY_REVIEW_SLA in words. */
  const reviewWithin = formatDuration(config.utility.reviewSlaMs);

  return {
    /** Inserts the submitted project (idempotent), queues `projectSubmitted`, records the event. */
    async recordProjectSubmission(project: SubmittedProject): Promise<QueuedEmails> {
      const result = await recordSubmittedProject(em(), project, config, reviewWithin).catch(permanent);
      if (result.created) log.info({ projectId: project.projectId }, 'utility project recorded');
      return { emailIds: result.emailIds };
    },

    /** Applies one planned change with its update row, e-mail and events (idempotent on changeId). */
    async recordProjectChange(change: ProjectChangeRecord): Promise<QueuedEmails> {
      const result = await recordChange(em(), change, config).catch(permanent);
      log.info(
        {
          projectId: change.projectId,
          event: change.event,
          from: change.from,
          to: change.to,
          applied: result.applied,
        },
        'utility project changed',
      );
      return { emailIds: result.emailIds };
    },

    /** Queues review reminder number N to ADMIN_EMAILS while the project still waits for review. */
    async queueReviewReminder(reminder: ReviewReminder): Promise<QueuedEmails> {
      const result = await queueReviewReminders(
        em(),
        reminder,
        config.auth.adminEmails,
        config,
        reviewWithin,
      );
      if (result.skipped) {
        log.warn({ projectId: reminder.projectId, reason: result.skipped }, 'review reminder not queued');
      }
      return { emailIds: result.emailIds };
    },
  };
}
