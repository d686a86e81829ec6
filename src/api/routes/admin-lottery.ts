/**
 * Admin lottery API under /api/v1/admin/lottery/...: create a round (starts
 * `lottery-round:{id}`), list rounds with sales, a round's tickets (paginated or CSV), refunds
 * owed, and every state change as a workflow update — the same as
 * `temporal workflow update execute --workflow-id lottery-round:<id> --name draw`.
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { refundsOwed } from '../../db/lottery/receipts';
import { refundProgress, refundToPay } from '../../db/lottery/refunds';
import {
  findRound,
  listRoundsWithSales,
  refuseOverlappingRound,
  type RoundSales,
} from '../../db/lottery/rounds';
import { ticketsOfRound, ticketsOfRoundAfter } from '../../db/lottery/tickets';
import { ticketSales } from '../../db/overview';
import { PAYOUT_STATUSES } from '../../db/entities/payout';
import { ROUND_STATUSES } from '../../domain/lottery/vocabulary';
import { amountFromDisplayNumber, CURRENCY_CODES } from '../../domain/money';
import { firstStepWithin, startWorkflow } from '../../temporal/calls';
import { workflowIds, workflowUiUrl } from '../../temporal/workflow-ids';
import {
  cancelUpdate,
  closeUpdate,
  drawUpdate,
  payPrizeUpdate,
  payRefundsUpdate,
  roundStatusQuery,
  updatePrizePoolUpdate,
  type LotteryRoundInput,
  type PayRefundsRequest,
} from '../../../workflows/lottery.api';
import { addAdminAction } from '../admin-action';
import type { RouteModule } from '../app';
import { streamCsv } from '../csv';
import { STREAM_PAGE_ROWS } from '../stream';
import { badRequest, conflict, notFound } from '../errors';
import { adminMiddleware, authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { addRoundReconciliationRoute } from './admin-lottery-reconciliation';
import { baseUnitsString, pagination, positiveBaseUnits, roundId, txSignature } from '../schemas';
import { ChainReceiptSchema, chainReceipt, roundBody } from './lottery';

const isoDate = z.iso.datetime({ offset: true });

const text = z.string();
const nullableText = z.string().nullable();
const nullableInt = z.number().int().nullable();

const AdminRoundSchema = z
  .object({
    id: text,
    status: z.enum(ROUND_STATUSES),
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
    prizePayout: z
      .object({
        key: text,
        status: z.enum(PAYOUT_STATUSES),
        signature: nullableText,
        recipient: text,
        amountBaseUnits: text,
        confirmedAt: nullableText,
      })
      .nullable()
      .meta({ description: 'The prize payout from the payouts table (null until `pay-prize`)' }),
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
    status: z.enum(ROUND_STATUSES),
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

const REFUND_STATES = ['owed', 'sending', 'paid', 'failed'] as const;

const RefundSchema = ChainReceiptSchema.extend({
  refundState: z.enum(REFUND_STATES).meta({
    description:
      'owed: not paid yet (nothing is owed for a late burn); sending: its payout is being sent; paid: confirmed on chain; failed: the payout landed but failed',
  }),
  refundPayoutKey: nullableText.meta({ description: 'The payout row (`refund:<signature>`), once paying' }),
  refundPayoutSignature: nullableText.meta({
    description: 'The payout transaction (the landed one, once paid)',
  }),
}).meta({ id: 'LotteryRefund' });

const RefundPaidSchema = z.object({
  signature: text,
  payoutKey: text,
  recipient: text,
  currency: z.enum(CURRENCY_CODES),
  amountBaseUnits: text,
  payoutSignature: text,
});

const RefundsPaidSchema = z.object({ roundId: text, refunds: z.array(RefundPaidSchema) }).meta({
  id: 'LotteryRefundsPaid',
  description: 'The refunds paid by this request (each exactly once, ever)',
});

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

export const adminLotteryRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const tags = ['admin: lottery'];
  const em = () => deps.orm.em.fork() as EntityManager;
  const params = z.object({ id: roundId });
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
      description:
        'Sales open once the commitment memo is on chain (anchored rounds): at startDate when the memo lands ' +
        'before it, else the first whole second after the memo, and that is the startDate the round, its ' +
        'proof and the admin views show. A round asked to start in the past is answered once its sales are ' +
        'open (within a bound; `status` says), with that startDate. A round whose window ends before its ' +
        'memo lands is cancelled (nothing could be sold).',
      secured: true,
      before: admin,
      body: z
        .object({
          id: roundId.optional(),
          prizePool: z.number().min(0).max(1e9).optional(),
          prizePoolLamports: baseUnitsString.optional(),
          startDate: isoDate,
          endDate: isoDate,
          drawingDate: isoDate.optional(),
          ticketPriceLamports: positiveBaseUnits,
          ticketPriceUsdc: positiveBaseUnits,
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
            status: z.enum(ROUND_STATUSES),
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
          revealDeadlineMs: deps.config.lottery.revealDeadlineMs,
        },
        // Anchored on chain whenever a signer is configured (issue 19); verify-draw --rpc fails an unanchored round.
        anchors: deps.config.solana.payerKeyFile
          ? { beaconDelaySlots: deps.config.lottery.beaconDelaySlots }
          : null,
      };
      if (await findRound(em(), id)) throw conflict(`id: round ${id} already exists`);
      // One round sells at a time (RoundOverlaps names the other round); checked again under
      // a lock when the run writes the row, which answers a create that lost a race.
      await refuseOverlappingRound(em(), input.startDate, input.endDate);
      const run = await startWorkflow(deps.temporal, deps.config.temporal.taskQueue, 'lotteryRound', {
        workflowId: workflowIds.lotteryRound(id),
        args: [input],
        policy: 'once',
        summary: `Lottery round ${id}: ${input.startDate} → ${input.endDate}`,
      });
      if (!run) throw conflict(`id: round ${id} already exists`);
      // The create activity publishes the commitment; the status query says when it has. A
      // refused creation (RoundOverlaps) fails the run and is answered as refused.
      const commitment = await firstStepWithin(
        run,
        async () => (await run.query(roundStatusQuery)).seedCommitment,
        15_000,
      );
      // A start that has passed: sales open once the commitment is on chain (the second after
      // it). Answered once the run has opened the round (or cancelled it), within a bound, so a
      // client can sell at once and sees when sales opened.
      const opened =
        Date.parse(input.startDate) <= Date.now()
          ? await firstStepWithin(
              run,
              async () => {
                const round = await findRound(em(), id);
                return round && round.status !== 'scheduled' ? round : null;
              },
              15_000,
            )
          : null;
      res.status(201).json({
        id,
        workflowId: workflowIds.lotteryRound(id),
        seedCommitment: commitment,
        ...input,
        startDate: opened?.startDate ?? input.startDate,
        status: opened?.status ?? 'scheduled',
      });
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
          roundId: roundId.optional(),
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
      query: z.object({ roundId: roundId.optional() }).strict(),
      responses: {
        200: {
          description: 'Receipts owed refunds, each with where its refund stands (owed / sending / paid)',
          schema: z.object({ refunds: z.array(RefundSchema) }),
        },
      },
      errors: [403],
    },
    async ({ query }) => {
      const owed = await refundsOwed(em(), query.roundId);
      const progress = await refundProgress(
        em(),
        owed.map((r) => r.signature),
      );
      return {
        refunds: owed.map((r) => {
          const p = progress.get(r.signature);
          return {
            ...chainReceipt(r),
            refundState: p?.state ?? 'owed',
            refundPayoutKey: p?.payoutKey ?? null,
            refundPayoutSignature: p?.payoutSignature ?? null,
          };
        }),
      };
    },
  );

  addRoundReconciliationRoute({ deps, router, registry, basePath }, admin, tags);

  // Every state change is a workflow update; a finished round's run is closed: say why rather than "not found".
  const action = { router, registry, basePath, temporal: deps.temporal, tags, before: admin };
  const roundAction = {
    params,
    workflowId: (p: z.output<typeof params>) => workflowIds.lotteryRound(p.id),
    whenNoRun: async (p: z.output<typeof params>) => {
      const round = await findRound(em(), p.id);
      return round
        ? conflict(`round ${p.id} is ${round.status}: its workflow has finished and accepts no changes`)
        : notFound('no running workflow for this round');
    },
  };
  const noBody = z.object({}).strict();

  addAdminAction(action, {
    ...roundAction,
    path: '/admin/lottery/rounds/:id/close',
    summary: 'End sales now (workflow update `close`)',
    body: noBody,
    response: RoundStateSchema,
    update: closeUpdate,
    args: () => [],
  });
  addAdminAction(action, {
    ...roundAction,
    path: '/admin/lottery/rounds/:id/draw',
    summary: 'Draw now (workflow update `draw`); returns the winner',
    body: noBody,
    response: DrawOutcomeSchema,
    update: drawUpdate,
    args: () => [],
  });
  addAdminAction(action, {
    ...roundAction,
    path: '/admin/lottery/rounds/:id/cancel',
    summary: 'Cancel before the freeze (workflow update `cancel`); accepted payments become owed refunds',
    body: z.object({ reason: z.string().max(500).optional() }).strict(),
    response: RoundStateSchema,
    update: cancelUpdate,
    args: (b): [{ reason?: string }] => [{ reason: b.reason }],
  });
  addAdminAction(action, {
    ...roundAction,
    path: '/admin/lottery/rounds/:id/pay-prize',
    summary: 'Pay the prize to the winner exactly once (workflow update `payPrize`)',
    body: noBody,
    response: PrizeOutcomeSchema,
    update: payPrizeUpdate,
    args: () => [],
  });
  addAdminAction(action, {
    ...roundAction,
    path: '/admin/lottery/rounds/:id/prize-pool',
    summary: 'Change the prize pool before the draw (workflow update `updatePrizePool`)',
    body: z.object({ prizePoolLamports: baseUnitsString }).strict(),
    response: RoundStateSchema,
    update: updatePrizePoolUpdate,
    args: (b) => [{ prizePoolLamports: b.prizePoolLamports }],
  });

  // Refunds are paid by their own run (`lottery-refunds:{id}`): the round's run may have
  // ended (cancelled, past its prize window), so the update starts it when it is not running.
  const refundsAction = {
    workflowId: (p: { id: string }) => workflowIds.lotteryRefunds(p.id),
    startIfAbsent: (p: { id: string }) => ({
      taskQueue: deps.config.temporal.taskQueue,
      type: 'lotteryRefunds' as const,
      request: {
        workflowId: workflowIds.lotteryRefunds(p.id),
        args: [{ roundId: p.id }] as [{ roundId: string }],
        policy: 'rerun' as const,
        summary: `Refunds of lottery round ${p.id}`,
      },
    }),
    whenNoRun: async () => notFound('no refunds run for this round'),
    body: noBody,
    response: RefundsPaidSchema,
    update: payRefundsUpdate,
  };
  const roundMustExist = async (id: string) => {
    if (!(await findRound(em(), id))) throw notFound(`round ${id} does not exist`);
  };
  addAdminAction(action, {
    ...refundsAction,
    params,
    path: '/admin/lottery/rounds/:id/refunds/pay',
    summary:
      'Pay every refund owed in the round, each exactly once (workflow update `payRefunds` on `lottery-refunds:{id}`)',
    description:
      "Refund everyone (e.g. a cancelled round): each refund owed is paid to the payer recorded on its receipt, the amount owed in the payment's currency, through the payout path (key `refund:<signature>`). Already paid ones are answered as paid and not paid again.",
    precheck: async (p) => roundMustExist(p.id),
    args: (_b, wallet): [PayRefundsRequest] => [{ signature: null, requestedBy: wallet }],
  });
  const refundParams = z.object({ id: roundId, signature: txSignature });
  addAdminAction(action, {
    ...refundsAction,
    params: refundParams,
    path: '/admin/lottery/rounds/:id/refunds/:signature/pay',
    summary:
      'Pay the refund owed on one payment, exactly once (workflow update `payRefunds` on `lottery-refunds:{id}`)',
    description:
      "Pays the payer recorded on the receipt the amount owed, in the payment's currency, through the payout path (key `refund:<signature>`). 404 `RefundNotFound` when the round has no such payment, 409 `NoRefundOwed` when it is owed nothing; paying a paid one again answers it as paid.",
    precheck: async (p) => {
      await roundMustExist(p.id);
      await refundToPay(em(), p.id, p.signature);
    },
    args: (_b, wallet, p): [PayRefundsRequest] => [{ signature: p.signature, requestedBy: wallet }],
  });
};
