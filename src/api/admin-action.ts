/**
 * One admin action = one workflow update, the same way in every area: validate the body,
 * send the update to the run that owns the resource, answer its result, and map a refusal
 * through the one failure table (src/api/failures.ts).
 */
import type { Request, RequestHandler, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { ApiError } from './errors';
import { apiErrorOf } from './failures';
import { signedInWallet } from './middleware/auth';
import { addRoute } from './route';
import { sendUpdate, sendUpdateWithStart, type StartForUpdate, type WorkflowType } from '../temporal/calls';

/** How long an action waits for the workflow to accept and apply the update. */
export const UPDATE_WAIT_MS = 30_000;

export interface AdminActionContext {
  router: Router;
  registry: OpenAPIRegistry;
  basePath: string;
  temporal: Client;
  tags: string[];
  /** Auth and admin middleware. */
  before: RequestHandler[];
}

export interface AdminActionSpec<P extends z.ZodType, B extends z.ZodType, Ret, Args extends unknown[]> {
  path: string;
  summary: string;
  description?: string;
  params: P;
  body: B;
  response: z.ZodType;
  update: UpdateDefinition<Ret, Args>;
  /** The id of the run that owns the resource named by the path. */
  workflowId: (params: z.output<P>) => string;
  /** The update's arguments; `wallet` is the signed-in admin. */
  args: (body: z.output<B>, wallet: string, params: z.output<P>) => Args;
  /** The answer when the run is gone: the resource's run has ended (409) or it does not exist (404). */
  whenNoRun: (params: z.output<P>, body: z.output<B>) => Promise<ApiError>;
  /**
   * The run to start when none is running (update-with-start), for actions whose run exists
   * only to carry them out (e.g. paying refunds after the round's own run ended); optional.
   */
  startIfAbsent?: (params: z.output<P>) => StartForUpdate<WorkflowType>;
  /** Refuses early (e.g. a final resource) by throwing; optional. */
  precheck?: (params: z.output<P>, body: z.output<B>) => Promise<void>;
}

export function addAdminAction<P extends z.ZodType, B extends z.ZodType, Ret, Args extends unknown[]>(
  ctx: AdminActionContext,
  spec: AdminActionSpec<P, B, Ret, Args>,
): void {
  addRoute(
    ctx.router,
    ctx.registry,
    ctx.basePath,
    {
      method: 'post',
      path: spec.path,
      tags: ctx.tags,
      summary: spec.summary,
      description:
        spec.description ??
        `Sent to the workflow as the update \`${spec.update.name}\`; a change its state does not allow is refused (409) with the reason, and nothing is written.`,
      secured: true,
      before: ctx.before,
      params: spec.params,
      body: spec.body,
      responses: { 200: { description: 'The update result', schema: spec.response } },
      errors: [403, 404, 409, 422, 503],
    },
    async ({ params: rawParams, body: rawBody }, req: Request) => {
      const params = rawParams as z.output<P>;
      const body = rawBody as z.output<B>;
      await spec.precheck?.(params, body);
      const args = spec.args(body, signedInWallet(req), params);
      const start = spec.startIfAbsent?.(params);
      try {
        return await ctx.temporal.withDeadline(Date.now() + UPDATE_WAIT_MS, () =>
          start
            ? sendUpdateWithStart(ctx.temporal, start, spec.update, ...args)
            : sendUpdate(ctx.temporal.workflow.getHandle(spec.workflowId(params)), spec.update, ...args),
        );
      } catch (err) {
        const mapped = apiErrorOf(err);
        if (mapped instanceof ApiError && mapped.code === 'NotFound')
          throw await spec.whenNoRun(params, body);
        throw mapped;
      }
    },
  );
}
