/**
 * Admin Utility Factory API under /api/v1/admin/utility/...: the review queue, one project
 * with its history, and every change as an update of `utility-project:{projectId}` — the
 * same as `temporal workflow update execute --workflow-id utility-project:<id> --name review
 * --input '{...}'`. The workflow's validator decides: a change the state machine forbids is
 * a 409 with its reason, and nothing is written.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { findProject, listProjects, projectDetail } from '../../db/utility';
import { CENTS_TEXT, CHANGE_LIMITS, isIsoDate } from '../../domain/utility/project-changes';
import { assertTransition, isTerminalStatus, type ProjectEvent } from '../../domain/utility/project-state';
import { workflowIds, workflowUiUrl } from '../../temporal/workflow-ids';
import {
  assignUpdate,
  cancelUpdate,
  completeUpdate,
  postUpdateUpdate,
  resumeReviewUpdate,
  reviewUpdate,
  type ProjectStatusView,
} from '../../../workflows/utility-project.api';
import { addAdminAction, type AdminActionContext } from '../admin-action';
import type { RouteModule } from '../app';
import { badRequest, notFound } from '../errors';
import { failureError } from '../failures';
import { adminMiddleware, authMiddleware } from '../middleware/auth';
import { addRoute } from '../route';
import { pagination } from '../schemas';
import { multilineText, projectIdSchema, projectStatusSchema, singleLineText } from './utility';

const message = multilineText(CHANGE_LIMITS.message);
const name = singleLineText(CHANGE_LIMITS.name);
/** The only words of an admin action the client sees (public status and e-mail). */
const clientMessage = message.optional().meta({
  description:
    'What the client sees on the public project status and in the e-mail (a standard sentence if omitted)',
});
const internal = (what: string) => `${what}: internal, shown in the admin view only, never to the client`;
const isoDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD').meta({ example: '2026-03-01' });

const ReviewBody = z
  .discriminatedUnion('decision', [
    z.strictObject({
      decision: z.literal('approve'),
      assignee: name.meta({ description: 'Who builds it (developer or team)' }),
      estimatedCompletion: isoDate,
      totalCostCents: z
        .string()
        .regex(CENTS_TEXT, 'must be a whole number of US cents as a string, e.g. "250000"')
        .meta({ description: 'Total cost in US cents', example: '250000' }),
      note: message.optional().meta({ description: internal('Review note') }),
      clientMessage,
    }),
    z.strictObject({
      decision: z.literal('reject'),
      reason: message.meta({ description: internal('Why') }),
      clientMessage,
    }),
    z.strictObject({
      decision: z.literal('request_info'),
      message: message.meta({ description: internal('What information is needed') }),
      clientMessage,
    }),
  ])
  .meta({ id: 'ProjectReview' });

const StatusViewSchema = z
  .object({
    projectId: z.string(),
    status: projectStatusSchema,
    progress: z.number().int(),
    estimatedCompletion: z.string().nullable(),
    assignedTo: z.string().nullable(),
    totalCostCents: z.string().nullable(),
    statusReason: z.string().nullable(),
    reminders: z.number().int(),
    updates: z.array(
      z.object({ message: z.string(), progress: z.number().int().nullable(), createdAt: z.string() }),
    ),
  })
  .meta({ id: 'ProjectWorkflowStatus' });

const ListItemSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  email: z.string(),
  contactWallet: z.string().nullable(),
  package: z.string(),
  services: z.array(z.string()),
  status: projectStatusSchema,
  progress: z.number().int(),
  assignedTo: z.string().nullable(),
  budget: z.number().nullable().meta({ description: 'US dollars (display)' }),
  budgetCents: z.string().nullable().meta({ description: 'US cents, exact' }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const DetailSchema = ListItemSchema.extend({
  paymentMethod: z.string(),
  details: z.string(),
  timeline: z.string().nullable(),
  estimatedCompletion: z.string().nullable(),
  actualCompletion: z.string().nullable(),
  totalCost: z.number().nullable(),
  totalCostCents: z.string().nullable(),
  statusReason: z.string().nullable(),
  updates: z.array(
    z.object({
      id: z.string(),
      message: z.string(),
      progress: z.number().int().nullable(),
      createdBy: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  history: z.array(
    z.object({
      event: z.string(),
      from: projectStatusSchema.nullable(),
      to: projectStatusSchema,
      by: z.string().nullable(),
      note: z.string().nullable().meta({ description: 'The internal note or reason, if any' }),
      at: z.string(),
    }),
  ),
  emails: z.array(
    z.object({
      id: z.string(),
      template: z.string().nullable(),
      recipientEmail: z.string(),
      subject: z.string(),
      status: z.string(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
  workflow: z.object({ workflowId: z.string(), url: z.string() }),
}).meta({ id: 'AdminProject' });

export const adminUtilityRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const { config, temporal } = deps;
  const admin = [authMiddleware(config, deps.redis), adminMiddleware(config)];
  const tags = ['admin: utility factory'];
  const em = () => deps.orm.em.fork() as EntityManager;
  const params = z.object({ projectId: projectIdSchema });

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/utility/projects',
      tags,
      summary: 'The project queue: filter by status, oldest (default) or newest first, paginated',
      secured: true,
      before: admin,
      query: pagination
        .extend({
          status: z
            .string()
            .max(200)
            .optional()
            .meta({ description: 'One status or several, comma-separated, e.g. pending_review,needs_info' }),
          sort: z.enum(['oldest', 'newest']).default('oldest'),
        })
        .strict(),
      responses: {
        200: {
          description: 'A page of projects',
          schema: z.object({
            projects: z.array(ListItemSchema),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
      errors: [403],
    },
    async ({ query }) => {
      const statuses = query.status
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const parsed = z.array(projectStatusSchema).safeParse(statuses ?? []);
      if (!parsed.success) {
        throw badRequest(
          `query.status: each status must be one of ${projectStatusSchema.options.join(', ')}`,
        );
      }
      const page = await listProjects(em(), {
        statuses: parsed.data,
        sort: query.sort,
        page: query.page,
        pageSize: query.pageSize,
      });
      return { ...page, page: query.page, pageSize: query.pageSize };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/utility/projects/:projectId',
      tags,
      summary:
        'One project: submission (with e-mail), state, updates, status history, e-mails, workflow link',
      secured: true,
      before: admin,
      params,
      responses: { 200: { description: 'The project', schema: DetailSchema } },
      errors: [403, 404],
    },
    async ({ params: { projectId } }) => {
      const detail = await projectDetail(em(), projectId);
      if (!detail) throw notFound(`No project ${projectId}`);
      const workflowId = workflowIds.utilityProject(projectId);
      return { ...detail, workflow: { workflowId, url: workflowUiUrl(config.temporal, workflowId) } };
    },
  );

  const actions: AdminActionContext = { router, registry, basePath, temporal, tags, before: admin };

  /**
   * One admin action = one update of the project's run. A final project's run has ended, so
   * it is refused here with the state machine's reason; a project whose run has ended
   * although its status is not final (only an operator's terminate or a bug does that; the
   * Web UI shows which) is `WorkflowClosed`, one that does not exist 404.
   */
  function changeRoute<B extends z.ZodType, I>(spec: {
    path: string;
    summary: string;
    event: ProjectEvent | ((body: z.output<B>) => ProjectEvent);
    body: B;
    update: UpdateDefinition<ProjectStatusView, [I]>;
    input: (body: z.output<B>, wallet: string) => I;
  }) {
    addAdminAction(actions, {
      path: `/admin/utility/projects/:projectId/${spec.path}`,
      summary: spec.summary,
      params,
      body: spec.body,
      response: StatusViewSchema,
      update: spec.update,
      workflowId: ({ projectId }) => workflowIds.utilityProject(projectId),
      args: (body, wallet) => [spec.input(body, wallet)],
      precheck: async ({ projectId }, body) => {
        const project = await findProject(em(), projectId);
        if (!project || !isTerminalStatus(project.status)) return;
        const event = typeof spec.event === 'function' ? spec.event(body) : spec.event;
        const refused = assertTransition(project.status, event);
        if (!refused.ok) throw failureError('InvalidTransition', refused.reason);
      },
      whenNoRun: async ({ projectId }) =>
        (await findProject(em(), projectId))
          ? failureError(
              'WorkflowClosed',
              `The workflow of project ${projectId} has ended; see it in the Temporal UI`,
            )
          : notFound(`No project ${projectId}`),
    });
  }

  changeRoute({
    path: 'review',
    summary:
      'Review: approve (assignee, estimated completion, total cost), reject (reason) or request information',
    event: (body) => body.decision,
    body: ReviewBody,
    update: reviewUpdate,
    input: (body, wallet) => ({ ...body, reviewer: wallet }),
  });

  changeRoute({
    path: 'resume-review',
    summary: 'Back to review after the client answered a request for information',
    event: 'resume_review',
    body: z.strictObject({
      note: message.optional().meta({ description: internal('Note') }),
      clientMessage,
    }),
    update: resumeReviewUpdate,
    input: (body, wallet) => ({ ...body, by: wallet }),
  });

  changeRoute({
    path: 'assign',
    summary: 'Assign (or reassign) an approved or in-progress project',
    event: 'assign',
    body: z.strictObject({ assignee: name }),
    update: assignUpdate,
    input: (body, wallet) => ({ ...body, by: wallet }),
  });

  changeRoute({
    path: 'updates',
    summary: 'Post an update to the client (e-mailed); the first one starts the work (in_progress)',
    event: 'post_update',
    body: z.strictObject({
      message,
      progress: z.number().int('must be a whole number').min(0).max(100).optional(),
    }),
    update: postUpdateUpdate,
    input: (body, wallet) => ({ ...body, author: wallet }),
  });

  changeRoute({
    path: 'complete',
    summary: 'Mark an in-progress project completed (progress 100)',
    event: 'complete',
    body: z.strictObject({ message: message.optional() }),
    update: completeUpdate,
    input: (body, wallet) => ({ ...body, by: wallet }),
  });

  changeRoute({
    path: 'cancel',
    summary: 'Cancel a project that waits for information, is approved or in progress',
    event: 'cancel',
    body: z.strictObject({ reason: message.meta({ description: internal('Why') }), clientMessage }),
    update: cancelUpdate,
    input: (body, wallet) => ({ ...body, by: wallet }),
  });
};
