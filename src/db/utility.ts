/**
 * Utility Factory projects in PostgreSQL. Writes (run by activities of the
 * `utility-project:{projectId}` workflow, which is the only writer) change the project, its
 * `project_updates`, the outbox e-mail and the analytics event in one transaction and are
 * idempotent, so an activity retried after its commit changes nothing twice. Reads serve
 * the public and admin APIs.
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from './analytics';
import type { RenderContext } from '../domain/email/templates';
import { DomainError } from '../domain/errors';
import type { PlannedChange } from '../domain/utility/project-changes';
import type { ProjectFailureType, ProjectStatus } from '../domain/utility/project-state';
import { centsToUsd, type ProjectSubmission } from '../domain/utility/submission';
import { isAddress } from '../domain/values';
import { enqueueEmail } from './email/outbox';
import {
  EmailNotificationSchema,
  ProjectUpdateSchema,
  UtilityProjectSchema,
  type UtilityProject,
} from './entities';
import { sql } from './sql';

/** `by` is an admin wallet (from the API) or a name (from the CLI); only wallets go in wallet columns. */
const walletOrNull = (by: string) => (isAddress(by) ? by : null);

/** The outbox dedupe keys of a project's e-mails all start with this (admin history finds them by it). */
const projectEmailKeyPrefix = (projectId: string) => `utility:${projectId}:`;

// ---------------------------------------------------------------------------------------
// Writes (activities)
// ---------------------------------------------------------------------------------------

export interface SubmittedProject {
  projectId: string;
  submission: ProjectSubmission;
  contactWallet: string | null;
  client: { ip: string | null; userAgent: string | null };
  fingerprint: string;
  submittedAt: string;
}

export interface QueuedEmails {
  /** Outbox rows whose delivery the caller starts after the commit. */
  emailIds: string[];
}

/**
 * Inserts the project (idempotent on its id), queues `projectSubmitted` to the client and
 * records `utility.project_submitted`, in one transaction. A second call inserts nothing and
 * returns the same e-mail (its delivery may still need starting).
 */
export async function recordSubmittedProject(
  em: EntityManager,
  project: SubmittedProject,
  context: RenderContext,
  reviewWithin: string,
): Promise<QueuedEmails & { created: boolean }> {
  const { projectId, submission } = project;
  return em.transactional(async (tx) => {
    const inserted = await sql<{ id: string }>(
      tx,
      `insert into utility_projects
         (id, project_name, email, contact_wallet, package, services, payment_method, budget_cents,
          timeline, details, submission_fingerprint, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do nothing
       returning id`,
      [
        projectId,
        submission.projectName,
        submission.email,
        project.contactWallet,
        submission.package,
        JSON.stringify(submission.services),
        submission.paymentMethod,
        submission.budgetCents,
        submission.timeline,
        submission.details,
        project.fingerprint,
        project.submittedAt,
        project.submittedAt,
      ],
    );
    const created = inserted.length > 0;
    if (created) {
      recordEvent(tx, {
        type: 'utility.project_submitted',
        wallet: project.contactWallet,
        metadata: {
          projectId,
          package: submission.package,
          services: submission.services,
          budgetCents: submission.budgetCents,
        },
        ip: project.client.ip,
        userAgent: project.client.userAgent,
      });
    }
    const email = await enqueueEmail(
      tx,
      {
        dedupeKey: `${projectEmailKeyPrefix(projectId)}submitted`,
        to: submission.email,
        template: 'projectSubmitted',
        data: { projectName: submission.projectName, projectId, reviewWithin },
      },
      context,
    );
    await tx.flush();
    return { created, emailIds: [email.id] };
  });
}

export interface ProjectChangeRecord extends PlannedChange {
  projectId: string;
  /** Unique per change (made by the workflow): the `project_updates` id and the e-mail's dedupe key. */
  changeId: string;
  /** ISO 8601: when the workflow made the change. */
  at: string;
}

/**
 * Applies a planned change to the row; for a change the client sees, also the
 * `project_updates` row and the e-mail (`projectUpdate` for updates, honouring the
 * recipient's `emailProjectUpdates` preference, else `projectStatusChanged`); and the
 * analytics events. All in one transaction under the project's row lock. The update row's id
 * is `changeId`, so a retry after the commit finds it and writes nothing.
 */
export async function recordProjectChange(
  em: EntityManager,
  change: ProjectChangeRecord,
  context: RenderContext,
): Promise<QueuedEmails & { applied: boolean }> {
  const { projectId, project: next } = change;
  const dedupeKey = `${projectEmailKeyPrefix(projectId)}change:${change.changeId}`;
  return em.transactional(async (tx) => {
    const rows = await sql<{ project_name: string; email: string }>(
      tx,
      'select project_name, email from utility_projects where id = ? for update',
      [projectId],
    );
    const row = rows[0];
    if (!row) {
      throw new DomainError<ProjectFailureType>('ProjectNotFound', `no utility project ${projectId}`);
    }
    if (change.clientUpdate) {
      const inserted = await sql<{ id: string }>(
        tx,
        `insert into project_updates (id, project_id, message, progress, created_by, created_at)
         values (?, ?, ?, ?, ?, ?)
         on conflict (id) do nothing
         returning id`,
        [
          change.changeId,
          projectId,
          change.clientUpdate.message,
          change.clientUpdate.progress,
          change.by,
          change.at,
        ],
      );
      if (inserted.length === 0) {
        // Applied by an earlier attempt of this activity: hand back its e-mail.
        const email = await tx.findOne(EmailNotificationSchema, { dedupeKey }, { fields: ['id'] });
        return { applied: false, emailIds: email ? [email.id] : [] };
      }
    }
    await sql(
      tx,
      `update utility_projects
          set status = ?, progress = ?, assigned_to = ?, estimated_completion = ?, actual_completion = ?,
              total_cost_cents = ?, status_reason = ?, updated_at = ?
        where id = ?`,
      [
        next.status,
        next.progress,
        next.assignedTo,
        next.estimatedCompletion,
        next.actualCompletion,
        next.totalCostCents,
        next.statusReason,
        change.at,
        projectId,
      ],
    );
    const wallet = walletOrNull(change.by);
    if (change.from !== change.to) {
      recordEvent(tx, {
        type: 'utility.status_changed',
        wallet,
        metadata: {
          projectId,
          from: change.from,
          to: change.to,
          event: change.event,
          by: change.by,
          at: change.at,
          // The admin's internal note or reason: shown in the admin history, never to the client.
          ...(change.note ? { note: change.note } : {}),
        },
      });
    }
    if (change.event === 'post_update') {
      recordEvent(tx, {
        type: 'utility.update_posted',
        wallet,
        metadata: {
          projectId,
          progress: change.clientUpdate?.progress ?? null,
          by: change.by,
          at: change.at,
        },
      });
    }
    const emailIds: string[] = [];
    if (change.clientUpdate) {
      const common = { projectName: row.project_name, projectId };
      const email =
        change.event === 'post_update'
          ? await enqueueEmail(
              tx,
              {
                dedupeKey,
                to: row.email,
                template: 'projectUpdate',
                data: {
                  ...common,
                  message: change.clientUpdate.message,
                  progress: change.clientUpdate.progress,
                  status: change.to,
                },
                preference: 'emailProjectUpdates',
              },
              context,
            )
          : await enqueueEmail(
              tx,
              {
                dedupeKey,
                to: row.email,
                template: 'projectStatusChanged',
                data: {
                  ...common,
                  status: change.to,
                  previousStatus: change.from,
                  note: change.clientUpdate.message,
                },
              },
              context,
            );
      emailIds.push(email.id);
    }
    await tx.flush();
    return { applied: true, emailIds };
  });
}

export interface ReviewReminder {
  projectId: string;
  /** 1 for the first reminder of the project, then 2, 3...: part of the dedupe key. */
  reminderNumber: number;
  /** ISO 8601: since when it has been waiting for review. */
  waitingSince: string;
}

/**
 * Queues reminder `reminderNumber` to every admin address, unless the project is no longer
 * waiting for review (a review that committed meanwhile). One dedupe key per reminder and
 * recipient, so a retry queues nothing twice.
 */
export async function queueReviewReminders(
  em: EntityManager,
  reminder: ReviewReminder,
  adminEmails: readonly string[],
  context: RenderContext,
  reviewWithin: string,
): Promise<QueuedEmails & { skipped?: string }> {
  return em.transactional(async (tx) => {
    const rows = await sql<{ project_name: string; status: ProjectStatus }>(
      tx,
      'select project_name, status from utility_projects where id = ?',
      [reminder.projectId],
    );
    const row = rows[0];
    if (!row) return { emailIds: [], skipped: 'project not found' };
    if (row.status !== 'pending_review') return { emailIds: [], skipped: `project is ${row.status}` };
    if (adminEmails.length === 0) return { emailIds: [], skipped: 'ADMIN_EMAILS is empty' };
    const emailIds: string[] = [];
    for (const to of new Set(adminEmails.map((address) => address.toLowerCase()))) {
      const recipient = crypto.createHash('sha256').update(to).digest('hex').slice(0, 16);
      const email = await enqueueEmail(
        tx,
        {
          dedupeKey: `${projectEmailKeyPrefix(reminder.projectId)}reminder:${reminder.reminderNumber}:${recipient}`,
          to,
          template: 'reviewReminder',
          data: {
            projectId: reminder.projectId,
            projectName: row.project_name,
            waitingSince: reminder.waitingSince,
            reviewWithin,
          },
        },
        context,
      );
      emailIds.push(email.id);
    }
    return { emailIds };
  });
}

// ---------------------------------------------------------------------------------------
// Reads (API)
// ---------------------------------------------------------------------------------------

/** The newest project with this fingerprint submitted within the window, if any. */
export async function findRecentSubmission(
  em: EntityManager,
  fingerprint: string,
  windowMs: number,
): Promise<{ projectId: string; status: ProjectStatus } | null> {
  const rows = await sql<{ id: string; status: ProjectStatus }>(
    em,
    `select id, status from utility_projects
      where submission_fingerprint = ? and created_at > now() - (? * interval '1 millisecond')
      order by created_at desc limit 1`,
    [fingerprint, windowMs],
  );
  const row = rows[0];
  return row ? { projectId: row.id, status: row.status } : null;
}

export interface ProjectUpdateRow {
  id: string;
  message: string;
  progress: number | null;
  createdBy: string | null;
  createdAt: string;
}

export async function findProject(em: EntityManager, projectId: string): Promise<UtilityProject | null> {
  return em.findOne(UtilityProjectSchema, { id: projectId });
}

export async function projectUpdates(em: EntityManager, projectId: string): Promise<ProjectUpdateRow[]> {
  const rows = await em.find(
    ProjectUpdateSchema,
    { projectId },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return rows.map((u) => ({
    id: u.id,
    message: u.message,
    progress: u.progress ?? null,
    createdBy: u.createdBy ?? null,
    createdAt: u.createdAt.toISOString(),
  }));
}

export type ProjectSort = 'oldest' | 'newest';

export interface ProjectListQuery {
  statuses?: ProjectStatus[];
  sort: ProjectSort;
  page: number;
  pageSize: number;
}

export interface ProjectListItem {
  projectId: string;
  projectName: string;
  email: string;
  contactWallet: string | null;
  package: string;
  services: string[];
  status: ProjectStatus;
  progress: number;
  assignedTo: string | null;
  budget: number | null;
  budgetCents: string | null;
  createdAt: string;
  updatedAt: string;
}

const listItem = (p: UtilityProject): ProjectListItem => ({
  projectId: p.id,
  projectName: p.projectName,
  email: p.email,
  contactWallet: p.contactWallet ?? null,
  package: p.package,
  services: p.services,
  status: p.status,
  progress: p.progress,
  assignedTo: p.assignedTo ?? null,
  budget: p.budgetCents === null || p.budgetCents === undefined ? null : centsToUsd(p.budgetCents),
  budgetCents: p.budgetCents === null || p.budgetCents === undefined ? null : String(p.budgetCents),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

/** The admin queue: optionally by status, oldest (default) or newest first, a page at a time. */
export async function listProjects(
  em: EntityManager,
  query: ProjectListQuery,
): Promise<{ projects: ProjectListItem[]; total: number }> {
  const where = query.statuses?.length ? { status: { $in: query.statuses } } : {};
  const direction = query.sort === 'newest' ? 'desc' : 'asc';
  const [rows, total] = await em.findAndCount(UtilityProjectSchema, where, {
    orderBy: { createdAt: direction, id: direction },
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { projects: rows.map(listItem), total };
}

export interface ProjectHistoryEntry {
  event: string;
  from: ProjectStatus | null;
  to: ProjectStatus;
  by: string | null;
  /** The admin's internal note or reason, if any (admin view only). */
  note: string | null;
  at: string;
}

export interface ProjectEmailRow {
  id: string;
  template: string | null;
  recipientEmail: string;
  subject: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

export interface ProjectDetail extends ProjectListItem {
  paymentMethod: string;
  details: string;
  timeline: string | null;
  estimatedCompletion: string | null;
  actualCompletion: string | null;
  totalCost: number | null;
  totalCostCents: string | null;
  statusReason: string | null;
  updates: ProjectUpdateRow[];
  history: ProjectHistoryEntry[];
  emails: ProjectEmailRow[];
}

/** Everything about one project: the submission, its state, updates, status history and e-mails. */
export async function projectDetail(em: EntityManager, projectId: string): Promise<ProjectDetail | null> {
  const project = await findProject(em, projectId);
  if (!project) return null;
  const [updates, events, emails] = await Promise.all([
    projectUpdates(em, projectId),
    sql<{ event_type: string; metadata: Record<string, unknown>; created_at: string }>(
      em,
      `select event_type, metadata, created_at from analytics_events
        where event_type in ('utility.project_submitted', 'utility.status_changed')
          and metadata->>'projectId' = ?
        order by id`,
      [projectId],
    ),
    em.find(
      EmailNotificationSchema,
      { dedupeKey: { $like: `${projectEmailKeyPrefix(projectId)}%` } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    ),
  ]);
  const history: ProjectHistoryEntry[] = events.map((e) => {
    const m = e.metadata;
    const at = typeof m.at === 'string' ? m.at : new Date(e.created_at).toISOString();
    return e.event_type === 'utility.project_submitted'
      ? {
          event: 'submit',
          from: null,
          to: 'pending_review',
          by: null,
          note: null,
          at: project.createdAt.toISOString(),
        }
      : {
          event: String(m.event),
          from: m.from as ProjectStatus,
          to: m.to as ProjectStatus,
          by: typeof m.by === 'string' ? m.by : null,
          note: typeof m.note === 'string' ? m.note : null,
          at,
        };
  });
  const cost = project.totalCostCents;
  return {
    ...listItem(project),
    paymentMethod: project.paymentMethod,
    details: project.details,
    timeline: project.timeline ?? null,
    estimatedCompletion: project.estimatedCompletion ?? null,
    actualCompletion: project.actualCompletion ?? null,
    totalCost: cost === null || cost === undefined ? null : centsToUsd(cost),
    totalCostCents: cost === null || cost === undefined ? null : String(cost),
    statusReason: project.statusReason ?? null,
    updates,
    history,
    emails: emails.map((e) => ({
      id: e.id,
      template: e.template ?? null,
      recipientEmail: e.recipientEmail,
      subject: e.subject,
      status: e.status,
      createdAt: e.createdAt.toISOString(),
      sentAt: e.sentAt ? e.sentAt.toISOString() : null,
    })),
  };
}
