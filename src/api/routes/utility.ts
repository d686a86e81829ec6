/**
 * Public Utility Factory API (the original design's contract): submit a project, read its
 * status. A submission starts `utility-project:{projectId}`, whose first activity inserts the
 * row (activities/utility.ts says why the workflow and not the API writes it).
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { findProject, findRecentSubmission, projectUpdates } from '../../db/utility';
import { MULTILINE_TEXT, SINGLE_LINE_TEXT } from '../../domain/utility/project-changes';
import { PROJECT_STATUSES, type ProjectStatus } from '../../domain/utility/project-state';
import {
  DUPLICATE_SUBMISSION_WINDOW_MS,
  PACKAGES,
  PROJECT_ID_PATTERN,
  PROJECT_ID_RANDOM_BYTES,
  SERVICES,
  SUBMISSION_LIMITS,
  canonicalSubmission,
  formatDuration,
  isProjectId,
  projectIdFromBytes,
  usdToCents,
  type ProjectSubmission,
} from '../../domain/utility/submission';
import { startWorkflow, workflowHandle } from '../../temporal/calls';
import { workflowIds } from '../../temporal/workflow-ids';
import type { UtilityProjectInput } from '../../../workflows/utility-project.api';
import type { AppDeps, RouteModule } from '../app';
import { notFound, unavailable } from '../errors';
import { optionalAuthMiddleware } from '../middleware/auth';
import { byIp, createLimiter, rateLimitOutcomes, spend } from '../middleware/rate-limit';
import { addRoute } from '../route';
import { requestMeta } from './auth';

// ---------------------------------------------------------------------------------------
// Schemas (shared with the admin routes)
// ---------------------------------------------------------------------------------------

/** Trimmed, non-empty, at most `max` characters, one line. */
export const singleLineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(SINGLE_LINE_TEXT, 'must be one line without control characters');

/** Trimmed, non-empty, at most `max` characters; line breaks and tabs allowed. */
export const multilineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(MULTILINE_TEXT, 'must not contain control characters other than line breaks and tabs');

export const projectIdSchema = z
  .string()
  .regex(PROJECT_ID_PATTERN, 'must be a project id: UF- and 16 characters A-Z, 2-7')
  .meta({ description: 'Project id from the submission', example: 'UF-K7Q2M4XW9PBD3TRA' });

export const projectStatusSchema = z.enum(PROJECT_STATUSES);

const SubmissionSchema = z
  .strictObject({
    projectName: singleLineText(SUBMISSION_LIMITS.projectName),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email('must be an e-mail address').max(SUBMISSION_LIMITS.email)),
    package: z.enum(PACKAGES),
    services: z
      .array(z.enum(SERVICES))
      .min(1, 'choose at least one service')
      .refine((list) => new Set(list).size === list.length, 'must not list a service twice')
      .meta({ description: `One or more of: ${SERVICES.join(', ')}` }),
    paymentMethod: singleLineText(SUBMISSION_LIMITS.paymentMethod).meta({
      description: 'How the client intends to pay, e.g. SOL, USDC, card',
    }),
    details: multilineText(SUBMISSION_LIMITS.details),
    timeline: singleLineText(SUBMISSION_LIMITS.timeline).nullish(),
    budget: z
      .number({ error: 'must be a number of US dollars' })
      .superRefine((value, ctx) => {
        try {
          usdToCents(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        }
      })
      .nullish()
      .meta({ description: 'US dollars, at most 2 decimals (stored exactly as cents)', example: 2500 }),
  })
  .meta({ id: 'ProjectSubmissionRequest' });

type SubmissionBody = z.output<typeof SubmissionSchema>;

const SubmissionResponse = z
  .object({
    success: z.literal(true),
    projectId: z.string(),
    status: projectStatusSchema,
    estimatedReviewTime: z.string().meta({ example: '24 hours' }),
  })
  .meta({ id: 'ProjectSubmissionResponse' });

const ProjectStatusResponse = z
  .object({
    projectId: z.string(),
    status: projectStatusSchema,
    progress: z.number().int().min(0).max(100),
    estimatedCompletion: z.string().optional().meta({ description: 'YYYY-MM-DD, once approved' }),
    updates: z.array(
      z.object({ message: z.string(), progress: z.number().int().nullable(), createdAt: z.string() }),
    ),
  })
  .meta({ id: 'ProjectStatusResponse' });

// ---------------------------------------------------------------------------------------
// Submission
// ---------------------------------------------------------------------------------------

const toSubmission = (body: SubmissionBody): ProjectSubmission => ({
  projectName: body.projectName,
  email: body.email,
  package: body.package,
  services: body.services,
  paymentMethod: body.paymentMethod,
  details: body.details,
  timeline: body.timeline ?? null,
  budgetCents: body.budget === null || body.budget === undefined ? null : usdToCents(body.budget).toString(),
});

/** The same submission from the same client (IP address + signed-in wallet) hashes the same. */
const fingerprintOf = (submission: ProjectSubmission, ip: string, wallet: string | null) =>
  crypto
    .createHash('sha256')
    .update(`${canonicalSubmission(submission)}\n${ip}\n${wallet ?? ''}`)
    .digest('hex');

const newProjectId = () => projectIdFromBytes(crypto.randomBytes(PROJECT_ID_RANDOM_BYTES));

/**
 * Duplicate protection: the first submission claims its fingerprint in Redis for the window
 * (SET NX, atomic across API processes, so two simultaneous identical requests get one id);
 * a later one within the window gets the claimed id. A row with the fingerprint is checked
 * first, so a flushed Redis still finds recorded projects; with Redis down, only those, and
 * with both down every submission is new.
 */
async function claimProjectId(
  deps: Pick<AppDeps, 'orm' | 'redis' | 'logger'>,
  fingerprint: string,
): Promise<{ projectId: string; duplicate: boolean; recorded: boolean; status: ProjectStatus }> {
  // PostgreSQL down is no reason to refuse a submission: the workflow writes the row when it is back.
  const recent = await findRecentSubmission(
    deps.orm.em.fork() as EntityManager,
    fingerprint,
    DUPLICATE_SUBMISSION_WINDOW_MS,
  ).catch((err: Error) => {
    deps.logger.warn({ err: err.message }, 'duplicate-submission lookup unavailable (PostgreSQL)');
    return null;
  });
  if (recent) return { ...recent, duplicate: true, recorded: true };
  // Not recorded yet, so nothing can have changed it (its updates wait for the row).
  const status = 'pending_review';
  const candidate = newProjectId();
  const key = `utility:submission:${fingerprint}`;
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const set = await deps.redis.set(key, candidate, 'PX', DUPLICATE_SUBMISSION_WINDOW_MS, 'NX');
      if (set === 'OK') return { projectId: candidate, duplicate: false, recorded: false, status };
      const claimed = await deps.redis.get(key);
      if (isProjectId(claimed)) return { projectId: claimed, duplicate: true, recorded: false, status };
      // The claim expired between the two commands: claim again.
    }
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'duplicate-submission claim unavailable (Redis)');
  }
  return { projectId: candidate, duplicate: false, recorded: false, status };
}

/**
 * Starts `utility-project:{projectId}`, or joins it running (`joinRunning`): a duplicate whose
 * first request died between claiming the id and starting the workflow is started here, with
 * the same content. The id is new or claimed, so "already started" only ever means this project.
 */
async function startProjectWorkflow(
  client: Client,
  config: Config,
  input: UtilityProjectInput,
): Promise<void> {
  try {
    await startWorkflow(client, config.temporal.taskQueue, 'utilityProject', {
      workflowId: workflowIds.utilityProject(input.projectId),
      args: [input],
      policy: 'joinRunning',
      summary: `Utility Factory project ${input.projectId} (${input.submission.package})`,
    });
  } catch (err) {
    throw unavailable(
      `Could not start the project (workflow service unavailable: ${(err as Error).message}); send the same submission again to retry`,
    );
  }
}

export const utilityRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const { config, redis, temporal } = deps;
  // Two budgets per client address, so a client's refused attempts never use up the budget of
  // its accepted ones: refused submissions (400) are counted before validation; accepted ones
  // only once the body is valid, given back if the project could not be started.
  const invalidSubmitLimit = rateLimitOutcomes(
    createLimiter(redis, {
      name: 'utility-submit-invalid',
      points: config.rateLimits.invalidSubmitPerHour,
      durationSeconds: 3600,
    }),
    byIp,
    (status) => status === 400,
  );
  const submitLimiter = createLimiter(redis, {
    name: 'utility-submit',
    points: config.rateLimits.submitPerHour,
    durationSeconds: 3600,
  });
  const em = () => deps.orm.em.fork() as EntityManager;
  const tags = ['utility factory'];
  const windowText = formatDuration(DUPLICATE_SUBMISSION_WINDOW_MS);

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/utility-factory/project',
      tags,
      summary: 'Submit a Utility Factory project',
      description: [
        `Starts the project's review. Rate-limited per IP address: accepted submissions (RATE_LIMIT_SUBMIT_PER_HOUR) ` +
          `and refused ones (400, RATE_LIMIT_INVALID_SUBMIT_PER_HOUR) each have their own budget.`,
        `Services: ${SERVICES.join(', ')}. Text is trimmed and stored as sent (e-mails escape it).`,
        `When signed in (optional Bearer token), the wallet is kept as the project's contact wallet.`,
        ``,
        `**Duplicate protection:** the same body (after trimming text, lower-casing the e-mail and ` +
          `ignoring the order of services) from the same client (IP address and signed-in wallet, if any) ` +
          `within ${windowText} of the first returns the first project (status 200) instead of creating ` +
          `another (201). Resending after a 503 is therefore safe.`,
      ].join('\n'),
      before: [invalidSubmitLimit, optionalAuthMiddleware(config, redis)],
      body: SubmissionSchema,
      responses: {
        201: { description: 'Project created', schema: SubmissionResponse },
        200: {
          description: `The same submission within ${windowText}: the existing project`,
          schema: SubmissionResponse,
        },
      },
      errors: [401, 429, 503],
    },
    async ({ body }, req: Request, res) => {
      const submission = toSubmission(body);
      const { ip, userAgent } = requestMeta(req);
      const contactWallet = req.auth?.wallet ?? null;
      const budgetKey = byIp(req);
      await spend(submitLimiter, budgetKey);
      let claim: Awaited<ReturnType<typeof claimProjectId>>;
      try {
        const fingerprint = fingerprintOf(submission, ip ?? 'unknown', contactWallet);
        claim = await claimProjectId(deps, fingerprint);
        if (!claim.recorded) {
          await startProjectWorkflow(temporal, config, {
            projectId: claim.projectId,
            submission,
            contactWallet,
            client: { ip, userAgent },
            fingerprint,
            submittedAt: new Date().toISOString(),
            reviewSlaMs: config.utility.reviewSlaMs,
          });
        }
      } catch (err) {
        // Not accepted (the workflow service is down): it does not count.
        await submitLimiter.reward(budgetKey).catch(() => undefined);
        throw err;
      }
      res.status(claim.duplicate ? 200 : 201);
      return {
        success: true as const,
        projectId: claim.projectId,
        status: claim.status,
        estimatedReviewTime: formatDuration(config.utility.reviewSlaMs),
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/utility-factory/project/:projectId',
      tags,
      summary: "A project's status, progress, estimated completion and updates (no personal data)",
      params: z.object({ projectId: projectIdSchema }),
      responses: { 200: { description: 'The project', schema: ProjectStatusResponse } },
      errors: [404],
    },
    async ({ params }) => {
      const project = await findProject(em(), params.projectId);
      if (!project) {
        // Submitted a moment ago: the workflow has not written the row yet, and nothing can
        // have changed it before that (its updates wait for the row).
        if (await workflowExists(temporal, params.projectId)) {
          return { projectId: params.projectId, status: 'pending_review' as const, progress: 0, updates: [] };
        }
        throw notFound(`No project ${params.projectId}`);
      }
      const updates = await projectUpdates(em(), project.id);
      return {
        projectId: project.id,
        status: project.status,
        progress: project.progress,
        ...(project.estimatedCompletion ? { estimatedCompletion: project.estimatedCompletion } : {}),
        updates: updates.map((u) => ({ message: u.message, progress: u.progress, createdAt: u.createdAt })),
      };
    },
  );
};

async function workflowExists(client: Client, projectId: string): Promise<boolean> {
  try {
    await workflowHandle(client, 'utilityProject', workflowIds.utilityProject(projectId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw unavailable('Could not read the project: the workflow service is unavailable');
  }
}
