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
import {
  findRound,
  listRoundsWithSales,
  refundsOwed,
  ticketsOfRound,
  ticketsOfRoundAfter,
  type RoundSales,
} from '../../db/lottery';
import { ticketSales } from '../../db/overview';
import { amountFromDisplayNumber } from '../../domain/money';
import { workflowIds, workflowUiUrl } from '../../temporal/workflow-ids';
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
import { streamCsv } from '../csv';
import { STREAM_PAGE_ROWS } from '../stream';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { adminMiddleware, authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { baseUnitsString, pagination } from '../schemas';
import { roundBody, roundIdSchema } from './lottery';

const isoDate = z.iso.datetime({ offset: true });

const text = z.string();
const nullableText = z.string().nullable();
const nullableInt = z.number().int().nullable();

const AdminRoundSchema = z
  .object({
    id: text,
    status: text,
    prizePool: z.number().meta({ description: 'SOL (display)' }),
    prizePoolLamports: text,
    startDate: text,
    endDate: text,
    drawingDate: nullableText,
    totalTicketsSold: z.number().int(),
    treasuryWallet: nullableText,
    usdcMint: text,
    ticketPrice: z.object({ SOL: z.number(), USDC: z.number() }),
    ticketPriceLamports: text,
    ticketPriceUsdcBaseUnits: text,
    ticketsPerBurn: z.number().int(),
    seedCommitment: text,
    revealedSeed: nullableText,
    frozenAt: nullableText,
    frozenTicketCount: nullableInt,
    ticketDigest: nullableText,
    beaconSlot: nullableInt,
    beaconBlockhash: nullableText,
    winnerIndex: nullableInt,
    winnerTicket: nullableInt,
    winnerWallet: nullableText,
    drawnAt: nullableText,
    prizePayoutKey: nullableText,
    createdAt: text,
    receipts: z.record(z.string(), z.number()).meta({ description: 'Chain receipts per status' }),
    receivedLamports: text,
    receivedUsdc: text,
    refundsOwedLamports: text,
    refundsOwedUsdc: text,
    workflow: z.object({ workflowId: text, url: text.meta({ description: 'The run in the Temporal UI' }) }),
  })
  .meta({ id: 'AdminLotteryRound' });

const TicketSchema = z
  .object({
    roundId: text,
    ticketNumber: z.number().int(),
    walletAddress: text,
    acquisitionMethod: text,
    paymentMethod: nullableText,
    transactionSignature: text,
    amountPaidBaseUnits: nullableText,
    nftBurned: nullableText,
    createdAt: text,
  })
  .meta({ id: 'LotteryTicket' });

const ReceiptSchema = z
  .object({
    signature: text,
    kind: text,
    roundId: nullableText,
    walletAddress: text,
    status: text,
    currency: nullableText,
    amountBaseUnits: nullableText,
    refundOwedBaseUnits: text,
    requestedTickets: nullableInt,
    reason: nullableText,
    blockTime: nullableText,
    ticketNumbers: z.array(z.number().int()),
  })
  .meta({ id: 'ChainReceipt' });

const drawOutcome = z.object({
  winnerIndex: nullableInt,
  winnerTicket: nullableInt,
  winnerWallet: nullableText,
  ticketCount: z.number().int(),
});
// Registered under an id apart from its nullable use: zod-to-openapi would make the component itself nullable.
const DrawOutcomeSchema = drawOutcome.meta({ id: 'DrawOutcome' });

const RoundStateSchema = z
  .object({
    roundId: text,
    status: text,
    seedCommitment: nullableText,
    closeRequested: z.boolean(),
    drawRequested: z.boolean(),
    frozenTicketCount: nullableInt,
    ticketDigest: nullableText,
    beaconSlot: nullableInt,
    draw: drawOutcome.nullable(),
    prize: z.object({ key: text, signature: text, recipient: text, amountBaseUnits: text }).nullable(),
    prizePoolLamports: text,
  })
  .meta({ id: 'LotteryRoundState', description: "The round workflow's state (query `status`)" });

const PrizeOutcomeSchema = z
  .object({ key: text, signature: text, recipient: text, amountBaseUnits: text })
  .meta({ id: 'PrizeOutcome' });

const SalesSchema = z
  .object({
    bucket: z.enum(['hour', 'day']),
    since: text,
    roundId: nullableText,
    points: z.array(
      z.object({
        at: text.meta({ description: 'Start of the UTC hour or day' }),
        tickets: z.number().int(),
        burned: z.number().int(),
        lamports: text,
        usdcBaseUnits: text,
      }),
    ),
  })
  .meta({ id: 'TicketSales' });

const TICKET_CSV_COLUMNS = [
  'ticketNumber',
  'walletAddress',
  'acquisitionMethod',
  'paymentMethod',
  'amountPaidBaseUnits',
  'transactionSignature',
  'nftBurned',
  'createdAt',
] as const;

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

export const adminLotteryRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const tags = ['admin: lottery'];
  const em = () => deps.orm.em.fork() as EntityManager;
  const handle = (id: string) => deps.temporal.workflow.getHandle(workflowIds.lotteryRound(id));
  const params = z.object({ id: roundIdSchema });
  const adminRound = (r: RoundSales): z.output<typeof AdminRoundSchema> => {
    const workflowId = workflowIds.lotteryRound(r.id);
    return {
      ...r,
      ...roundBody(r, deps),
      workflow: { workflowId, url: workflowUiUrl(deps.config.temporal, workflowId) },
    };
  };

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
      responses: {
        201: {
          description: 'Created',
          schema: z.looseObject({
            id: text,
            workflowId: text,
            seedCommitment: nullableText,
            startDate: text,
            endDate: text,
            drawingDate: nullableText,
            prizePoolLamports: text,
          }),
        },
      },
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
      responses: {
        200: {
          description: 'Rounds',
          schema: z.object({ rounds: z.array(AdminRoundSchema), page: z.number(), pageSize: z.number() }),
        },
      },
      errors: [403],
    },
    async ({ query }) => ({
      rounds: (await listRoundsWithSales(em(), query.page, query.pageSize)).map(adminRound),
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
      path: '/admin/lottery/rounds/:id',
      tags,
      summary: 'One round with its sales, fairness fields and a link to its workflow',
      secured: true,
      before: admin,
      params,
      responses: { 200: { description: 'The round', schema: AdminRoundSchema } },
      errors: [403, 404],
    },
    async ({ params: p }) => {
      const [round] = await listRoundsWithSales(em(), 1, 1, p.id);
      if (!round) throw notFound(`round ${p.id} does not exist`);
      return adminRound(round);
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/lottery/sales',
      tags,
      summary: 'Tickets issued per UTC hour or day (sales over time), all rounds or one',
      secured: true,
      before: admin,
      query: z
        .object({
          bucket: z.enum(['hour', 'day']).default('day'),
          days: z.coerce.number().int().min(1).max(90).default(14),
          roundId: roundIdSchema.optional(),
        })
        .strict()
        .refine((q) => q.bucket === 'day' || q.days <= 7, {
          message: 'at most 7 days of hourly buckets',
          path: ['days'],
        }),
      responses: { 200: { description: 'The series, oldest first', schema: SalesSchema } },
      errors: [403],
    },
    async ({ query }): Promise<z.output<typeof SalesSchema>> => {
      const since = new Date(Date.now() - query.days * 86_400_000);
      const points = await ticketSales(em(), { bucket: query.bucket, since, roundId: query.roundId });
      return { bucket: query.bucket, since: since.toISOString(), roundId: query.roundId ?? null, points };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/lottery/rounds/:id/tickets',
      tags,
      summary: "A round's tickets in number order (paginated; format=csv exports every ticket, streamed)",
      secured: true,
      before: admin,
      params,
      query: pagination.extend({ format: z.enum(['json', 'csv']).default('json') }).strict(),
      responses: {
        200: {
          description: 'Tickets (or text/csv)',
          schema: z.object({
            roundId: text,
            tickets: z.array(TicketSchema),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
      errors: [403, 404],
    },
    async ({ params: p, query }, _req, res) => {
      if (!(await findRound(em(), p.id))) throw notFound(`round ${p.id} does not exist`);
      if (query.format === 'csv') {
        await streamCsv(res, `${p.id}-tickets.csv`, TICKET_CSV_COLUMNS, (last) =>
          ticketsOfRoundAfter(em(), p.id, last?.ticketNumber ?? 0, STREAM_PAGE_ROWS),
        );
        return;
      }
      const { tickets, total } = await ticketsOfRound(em(), p.id, query.page, query.pageSize);
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
      responses: {
        200: { description: 'Receipts owed refunds', schema: z.object({ refunds: z.array(ReceiptSchema) }) },
      },
      errors: [403],
    },
    async ({ query }) => ({ refunds: await refundsOwed(em(), query.roundId) }),
  );

  const update = (
    path: string,
    summary: string,
    schema: z.ZodType,
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
        responses: { 200: { description: 'The update result', schema } },
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

  update('close', 'End sales now (workflow update `close`)', RoundStateSchema, (id) =>
    handle(id).executeUpdate(closeUpdate),
  );
  update('draw', 'Draw now (workflow update `draw`); returns the winner', DrawOutcomeSchema, (id) =>
    handle(id).executeUpdate(drawUpdate),
  );
  update(
    'cancel',
    'Cancel before the freeze (workflow update `cancel`); accepted payments become owed refunds',
    RoundStateSchema,
    (id, b) => handle(id).executeUpdate(cancelUpdate, { args: [{ reason: b.reason as string | undefined }] }),
    z.object({ reason: z.string().max(500).optional() }).strict(),
  );
  update(
    'pay-prize',
    'Pay the prize to the winner exactly once (workflow update `payPrize`)',
    PrizeOutcomeSchema,
    (id) => handle(id).executeUpdate(payPrizeUpdate),
  );
  update(
    'prize-pool',
    'Change the prize pool before the draw (workflow update `updatePrizePool`)',
    RoundStateSchema,
    (id, b) =>
      handle(id).executeUpdate(updatePrizePoolUpdate, {
        args: [{ prizePoolLamports: b.prizePoolLamports as string }],
      }),
    z.object({ prizePoolLamports: baseUnitsString }).strict(),
  );
};
