/**
 * Admin lottery API under /api/v1/admin/lottery/...: create a round (starts
 * `lottery-round:{id}`), list rounds with sales, a round's tickets (paginated or CSV), refunds
 * owed, and every state change as a workflow update — the same as
 * `temporal workflow update execute --workflow-id lottery-round:<id> --name draw`.
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { findRound, listRoundsWithSales, refundsOwed, ticketsOfRound } from '../../db/lottery';
import { amountFromDisplayNumber } from '../../domain/money';
import { workflowIds } from '../../temporal/workflow-ids';
import {
  cancelUpdate,
  closeUpdate,
  drawUpdate,
  payPrizeUpdate,
  roundStatusQuery,
  updatePrizePoolUpdate,
  type LotteryRoundInput,
} from '../../../workflows/lottery.api';
import type { RouteModule } from '../app';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { adminMiddleware, authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { baseUnitsString, pagination } from '../schemas';
import { roundBody, roundIdSchema } from './lottery';

const isoDate = z.iso.datetime({ offset: true });

/** A workflow update's failure as an API error: an invalid state is a 409 with the workflow's reason. */
function updateError(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError) return notFound('no running workflow for this round');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const status = cause.type === 'InvalidRoundState' || cause.type === 'RoundFrozen' ? 409 : 422;
      return new ApiError(status, cause.type ?? 'update_failed', cause.message);
    }
    return new ApiError(409, 'update_failed', cause?.message ?? err.message);
  }
  return err;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const adminLotteryRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const tags = ['admin: lottery'];
  const em = () => deps.orm.em.fork() as EntityManager;
  const handle = (id: string) => deps.temporal.workflow.getHandle(workflowIds.lotteryRound(id));
  const params = z.object({ id: roundIdSchema });

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/admin/lottery/rounds',
      tags,
      summary: 'Create a round (starts its workflow; the seed commitment is published at once)',
      secured: true,
      before: admin,
      body: z
        .object({
          id: roundIdSchema.optional(),
          prizePool: z.number().min(0).max(1e9).optional(),
          prizePoolLamports: baseUnitsString.optional(),
          startDate: isoDate,
          endDate: isoDate,
          drawingDate: isoDate.optional(),
          ticketPriceLamports: baseUnitsString.refine((v) => BigInt(v) > 0n, 'must be positive'),
          ticketPriceUsdc: baseUnitsString.refine((v) => BigInt(v) > 0n, 'must be positive'),
          ticketsPerBurn: z.number().int().min(0).max(1000).default(1),
        })
        .strict(),
      responses: { 201: { description: 'Created' } },
      errors: [403, 409],
    },
    async ({ body }, req, res) => {
      const start = new Date(body.startDate);
      const end = new Date(body.endDate);
      if (end <= start) throw badRequest('endDate: must be after startDate');
      if (body.drawingDate && new Date(body.drawingDate) < end)
        throw badRequest('drawingDate: must not be before endDate');
      if ((body.prizePool === undefined) === (body.prizePoolLamports === undefined)) {
        throw badRequest('prizePool: give exactly one of prizePool (SOL) or prizePoolLamports');
      }
      const prize =
        body.prizePoolLamports ?? amountFromDisplayNumber(body.prizePool as number, 'SOL').toString();
      const id =
        body.id ?? `round-${start.toISOString().slice(0, 10)}-${crypto.randomBytes(3).toString('hex')}`;
      const input: LotteryRoundInput = {
        roundId: id,
        prizePoolLamports: prize,
        startDate: start.toISOString(),
        endDate: end.toISOString(),
        drawingDate: body.drawingDate ? new Date(body.drawingDate).toISOString() : null,
        ticketPriceLamports: body.ticketPriceLamports,
        ticketPriceUsdc: body.ticketPriceUsdc,
        ticketsPerBurn: body.ticketsPerBurn,
        createdBy: signedInWallet(req),
        timing: {
          gracePeriodMs: deps.config.lottery.gracePeriodMs,
          pendingPollMs: deps.config.lottery.pendingPollMs,
          prizeWindowMs: deps.config.lottery.prizeWindowMs,
        },
      };
      if (await findRound(em(), id)) throw conflict(`id: round ${id} already exists`);
      try {
        await deps.temporal.workflow.start('lotteryRound', {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: workflowIds.lotteryRound(id),
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Lottery round ${id}: ${input.startDate} → ${input.endDate}`,
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          throw conflict(`id: round ${id} already exists`);
        throw err;
      }
      // The create activity publishes the commitment; the status query says when it has.
      const deadline = Date.now() + 15_000;
      let commitment: string | null = null;
      for (let wait = 20; !commitment && Date.now() < deadline; wait = Math.min(wait * 2, 500)) {
        commitment = (await handle(id).query(roundStatusQuery)).seedCommitment;
        if (!commitment) await new Promise((r) => setTimeout(r, wait));
      }
      res
        .status(201)
        .json({ id, workflowId: workflowIds.lotteryRound(id), seedCommitment: commitment, ...input });
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/lottery/rounds',
      tags,
      summary: 'Rounds with sales (receipts by status, received and owed amounts in base units)',
      secured: true,
      before: admin,
      query: pagination.strict(),
      responses: { 200: { description: 'Rounds' } },
      errors: [403],
    },
    async ({ query }) => ({
      rounds: (await listRoundsWithSales(em(), query.page, query.pageSize)).map((r) => ({
        ...r,
        ...roundBody(r, deps),
      })),
      page: query.page,
      pageSize: query.pageSize,
    }),
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/lottery/rounds/:id/tickets',
      tags,
      summary: "A round's tickets in number order (paginated; format=csv for an export of the page)",
      secured: true,
      before: admin,
      params,
      query: pagination
        .extend({
          pageSize: z.coerce.number().int().min(1).max(100_000).default(50),
          format: z.enum(['json', 'csv']).default('json'),
        })
        .strict(),
      responses: { 200: { description: 'Tickets' } },
      errors: [403, 404],
    },
    async ({ params: p, query }, _req, res) => {
      if (!(await findRound(em(), p.id))) throw notFound(`round ${p.id} does not exist`);
      const { tickets, total } = await ticketsOfRound(em(), p.id, query.page, query.pageSize);
      if (query.format === 'csv') {
        const header =
          'ticketNumber,walletAddress,acquisitionMethod,paymentMethod,amountPaidBaseUnits,transactionSignature,nftBurned,createdAt';
        const lines = tickets.map((t) =>
          [
            t.ticketNumber,
            t.walletAddress,
            t.acquisitionMethod,
            t.paymentMethod,
            t.amountPaidBaseUnits,
            t.transactionSignature,
            t.nftBurned,
            t.createdAt,
          ]
            .map(csvCell)
            .join(','),
        );
        res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${p.id}-tickets.csv"`);
        res.send([header, ...lines].join('\n') + '\n');
        return;
      }
      return { roundId: p.id, tickets, total, page: query.page, pageSize: query.pageSize };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/lottery/refunds',
      tags,
      summary: 'Late payments and receipts owed a refund (excess, underpayment, cancelled round)',
      secured: true,
      before: admin,
      query: z.object({ roundId: roundIdSchema.optional() }).strict(),
      responses: { 200: { description: 'Receipts owed refunds' } },
      errors: [403],
    },
    async ({ query }) => ({ refunds: await refundsOwed(em(), query.roundId) }),
  );

  const update = (
    path: string,
    summary: string,
    run: (id: string, body: Record<string, unknown>) => Promise<unknown>,
    body?: z.ZodType,
  ) =>
    addRoute(
      router,
      registry,
      basePath,
      {
        method: 'post',
        path: `/admin/lottery/rounds/:id/${path}`,
        tags,
        summary,
        secured: true,
        before: admin,
        params,
        body: body ?? z.object({}).strict(),
        responses: { 200: { description: 'The update result' } },
        errors: [403, 404, 409, 422],
      },
      async ({ params: p, body: b }) => {
        try {
          return await run(p.id, (b ?? {}) as Record<string, unknown>);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) {
            // A finished round's workflow is closed: say why rather than "not found".
            const round = await findRound(em(), p.id);
            if (round)
              throw conflict(
                `round ${p.id} is ${round.status}: its workflow has finished and accepts no changes`,
              );
          }
          throw updateError(err);
        }
      },
    );

  update('close', 'End sales now (workflow update `close`)', (id) => handle(id).executeUpdate(closeUpdate));
  update('draw', 'Draw now (workflow update `draw`); returns the winner', (id) =>
    handle(id).executeUpdate(drawUpdate),
  );
  update(
    'cancel',
    'Cancel before the freeze (workflow update `cancel`); accepted payments become owed refunds',
    (id, b) => handle(id).executeUpdate(cancelUpdate, { args: [{ reason: b.reason as string | undefined }] }),
    z.object({ reason: z.string().max(500).optional() }).strict(),
  );
  update('pay-prize', 'Pay the prize to the winner exactly once (workflow update `payPrize`)', (id) =>
    handle(id).executeUpdate(payPrizeUpdate),
  );
  update(
    'prize-pool',
    'Change the prize pool before the draw (workflow update `updatePrizePool`)',
    (id, b) =>
      handle(id).executeUpdate(updatePrizePoolUpdate, {
        args: [{ prizePoolLamports: b.prizePoolLamports as string }],
      }),
    z.object({ prizePoolLamports: baseUnitsString }).strict(),
  );
};
