/**
 * Public lottery API (the original design's contract, DESIGN §3/§6). Purchases and burn
 * claims start `ticket-purchase:{signature}` / `burn-claim:{signature}` (USE_EXISTING: a
 * re-submitted signature joins the same run and gets the same tickets), wait a bounded time
 * for the outcome, and answer 200 with tickets or 202 with a status URL.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  findCurrentRound,
  findReceipt,
  findRound,
  frozenTicketsAfter,
  type FrozenTicket,
  ticketsOfWallet,
  walletTicketCount,
  type RoundView,
} from '../../db/lottery';
import { DRAW_ALGORITHM } from '../../domain/lottery/fair-draw';
import { amountFromDisplayNumber, toDisplayNumber, type Currency } from '../../domain/money';
import { workflowIds } from '../../temporal/workflow-ids';
import type { ReceiptOutcome } from '../../../workflows/lottery.api';
import type { AppDeps, RouteModule } from '../app';
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../errors';
import { assertSelfOrAdmin, authMiddleware, signedInWallet } from '../middleware/auth';
import { microCache } from '../micro-cache';
import { STREAM_PAGE_ROWS, streamPages } from '../stream';
import { addRoute } from '../route';
import { mintAddress, txSignature, walletAddress } from '../schemas';

export const roundIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1..50 letters, digits, "_" or "-"');

/** Most tickets one purchase may ask for: keeps a single issue transaction small. */
export const MAX_TICKETS_PER_PURCHASE = 10_000;

/** Failure types of the purchase/burn workflows → HTTP status. */
const REJECTION_STATUS: Record<string, number> = {
  AlreadyUsed: 409,
  InvalidSignature: 400,
  InvalidAddress: 400,
  RoundNotFound: 404,
};

/** Starts (or joins) a workflow run by id; a finished run with that id is joined too. */
export async function startOrJoin<A extends unknown[]>(
  deps: AppDeps,
  workflowType: string,
  workflowId: string,
  args: A,
  staticSummary: string,
): Promise<WorkflowHandle> {
  const client: Client = deps.temporal;
  try {
    return await client.workflow.start(workflowType, {
      taskQueue: deps.config.temporal.taskQueue,
      workflowId,
      args,
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A completed run answers for its signature forever; a failed one (the submitter had not
      // signed the transaction) must not stop the real payer from claiming it.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      staticSummary,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
    throw err;
  }
}

/** The run's result if it finishes within `ms`, else undefined (the long poll is aborted). */
export async function resultWithin<T>(
  deps: AppDeps,
  handle: WorkflowHandle,
  ms: number,
): Promise<T | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return (await deps.temporal.withAbortSignal(abort.signal, () => handle.result())) as T;
  } catch (err) {
    if (abort.signal.aborted) return undefined;
    if (
      err instanceof WorkflowFailedError &&
      err.cause instanceof ApplicationFailure &&
      err.cause.nonRetryable
    ) {
      const submitterRefusal = ['NotSignedByWallet', 'NotPaidByWallet', 'PaymentMethodMismatch'];
      const status = submitterRefusal.includes(err.cause.type ?? '') ? 422 : 409;
      throw new ApiError(status, err.cause.type ?? 'Rejected', err.cause.message, err.cause.details?.[0]);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export function roundBody(round: RoundView, deps: AppDeps) {
  return {
    id: round.id,
    prizePool: toDisplayNumber(BigInt(round.prizePoolLamports), 'SOL'),
    prizePoolLamports: round.prizePoolLamports,
    startDate: round.startDate,
    endDate: round.endDate,
    drawingDate: round.drawingDate,
    totalTicketsSold: round.totalTicketsSold,
    status: round.status,
    treasuryWallet: deps.config.solana.treasuryWallet ?? null,
    usdcMint: deps.config.solana.usdcMint,
    ticketPrice: {
      SOL: toDisplayNumber(BigInt(round.ticketPriceLamports), 'SOL'),
      USDC: toDisplayNumber(BigInt(round.ticketPriceUsdc), 'USDC'),
    },
    ticketPriceLamports: round.ticketPriceLamports,
    ticketPriceUsdcBaseUnits: round.ticketPriceUsdc,
    ticketsPerBurn: round.ticketsPerBurn,
    seedCommitment: round.seedCommitment,
    frozenTicketCount: round.frozenTicketCount,
    ticketDigest: round.ticketDigest,
    beaconSlot: round.beaconSlot,
    beaconBlockhash: round.beaconBlockhash,
    winnerTicket: round.winnerTicket,
    winnerWallet: round.winnerWallet,
    revealedSeed: round.revealedSeed,
  };
}

const RoundSchema = z
  .object({
    id: z.string(),
    prizePool: z.number(),
    prizePoolLamports: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    drawingDate: z.string().nullable(),
    totalTicketsSold: z.number(),
    status: z.string(),
    treasuryWallet: z.string().nullable(),
    usdcMint: z.string(),
    ticketPrice: z.object({ SOL: z.number(), USDC: z.number() }),
    ticketPriceLamports: z.string(),
    ticketPriceUsdcBaseUnits: z.string(),
    ticketsPerBurn: z.number(),
    seedCommitment: z.string(),
  })
  .passthrough()
  .meta({ id: 'LotteryRound' });

const DrawProofSchema = z
  .object({
    algorithm: z.string(),
    roundId: z.string(),
    seedCommitment: z.string(),
    revealedSeed: z.string(),
    beaconSlot: z.number().int().nullable(),
    beaconBlockhash: z.string(),
    ticketDigest: z.string(),
    ticketCount: z.number().int(),
    winnerIndex: z.number().int().nullable(),
    winnerTicketNumber: z.number().int().nullable(),
    winnerWallet: z.string().nullable(),
    tickets: z.array(z.object({ ticketNumber: z.number().int(), wallet: z.string() })),
  })
  .meta({ id: 'DrawProof' });

const PurchaseResultSchema = z
  .object({
    success: z.boolean(),
    ticketsIssued: z.array(z.number()),
    totalTickets: z.number(),
    transactionVerified: z.boolean(),
    status: z.string(),
    roundId: z.string(),
    transactionSignature: z.string(),
    amountPaid: z.number().nullable(),
    amountBaseUnits: z.string().nullable(),
    refundOwedBaseUnits: z.string(),
  })
  .meta({ id: 'PurchaseTicketsResponse' });

const PendingSchema = z.object({
  status: z.literal('pending'),
  statusUrl: z.string(),
  transactionSignature: z.string(),
});

/** The round a submission is for: the one named, or the current one; it must have opened. */
async function submissionRound(em: EntityManager, roundId: string | undefined): Promise<RoundView> {
  const round = roundId ? await findRound(em, roundId) : await findCurrentRound(em);
  if (!round)
    throw notFound(roundId ? `roundId: round ${roundId} does not exist` : 'there is no lottery round');
  // A round past its start takes submissions even if its workflow has not flipped the status
  // yet. One past its end, frozen, drawn or cancelled still takes them: the money was sent, so
  // the payment is verified and recorded `late` (owed a refund) rather than forgotten.
  if (new Date(round.startDate) > new Date()) {
    throw conflict(`round ${round.id} has not started: it opens at ${round.startDate}`, {
      roundId: round.id,
      status: round.status,
    });
  }
  return round;
}

/** A finished outcome as the response (or the error it maps to). */
function outcomeResponse(outcome: ReceiptOutcome, totalTickets: number) {
  if (outcome.status === 'rejected') {
    const status = REJECTION_STATUS[outcome.code ?? ''] ?? 422;
    throw new ApiError(status, outcome.code ?? 'Rejected', outcome.reason ?? 'transaction rejected', {
      transactionSignature: outcome.signature,
      amountBaseUnits: outcome.amountBaseUnits,
      amountPaid:
        outcome.amountBaseUnits && outcome.currency
          ? toDisplayNumber(BigInt(outcome.amountBaseUnits), outcome.currency)
          : null,
      refundOwedBaseUnits: outcome.refundOwedBaseUnits,
      ...(outcome.details ?? {}),
    });
  }
  if (outcome.status === 'late') {
    throw new ApiError(
      409,
      'LatePayment',
      `transaction ${outcome.signature} is late: ${outcome.reason ?? ''}; its refund is owed`,
      {
        transactionSignature: outcome.signature,
        amountBaseUnits: outcome.amountBaseUnits,
        refundOwedBaseUnits: outcome.refundOwedBaseUnits,
        roundId: outcome.roundId,
      },
    );
  }
  return {
    success: true,
    ticketsIssued: outcome.ticketNumbers,
    totalTickets,
    transactionVerified: true,
    status: outcome.status,
    roundId: outcome.roundId,
    transactionSignature: outcome.signature,
    amountPaid:
      outcome.amountBaseUnits && outcome.currency
        ? toDisplayNumber(BigInt(outcome.amountBaseUnits), outcome.currency)
        : null,
    amountBaseUnits: outcome.amountBaseUnits,
    refundOwedBaseUnits: outcome.refundOwedBaseUnits,
    ...(outcome.kind === 'burn' ? { nftsBurned: outcome.mints } : {}),
  };
}

export const lotteryRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const auth = authMiddleware(deps.config, deps.redis);
  const tags = ['lottery'];
  const em = () => deps.orm.em.fork() as EntityManager;
  /** The hottest public read (every client page load): shared for LOTTERY_CURRENT_CACHE. */
  const currentRound = microCache(deps.config.lottery.currentRoundCacheMs, async () => {
    const round = await findCurrentRound(em());
    return round && roundBody(round, deps);
  });
  const statusUrl = (signature: string) => `${basePath}/lottery/purchases/${signature}`;

  const assertSubmitter = (req: Request, wallet: string) => {
    if (signedInWallet(req) !== wallet) {
      throw new ApiError(403, 'Forbidden', 'walletAddress: must be the signed-in wallet');
    }
  };

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/lottery/purchase',
      tags,
      summary: 'Submit a payment transaction for tickets; verified on chain before tickets are issued',
      description:
        'Answers 200 with the tickets when verification finishes within the bounded wait, else 202 with a status URL. ' +
        'Re-submitting a signature returns the same tickets. 422: the chain shows a different or too small amount ' +
        '(the error carries the chain figure; the receipt is recorded as owed a refund). 409: late or already used.',
      secured: true,
      before: [auth],
      body: z
        .object({
          walletAddress,
          ticketCount: z.number().int().min(1).max(MAX_TICKETS_PER_PURCHASE),
          paymentMethod: z.enum(['SOL', 'USDC']),
          transactionSignature: txSignature,
          amountPaid: z.number().positive().max(1e12).optional(),
          roundId: roundIdSchema.optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Tickets issued', schema: PurchaseResultSchema },
        202: { description: 'Still verifying; poll statusUrl', schema: PendingSchema },
      },
      errors: [403, 404, 409, 422, 503],
    },
    async ({ body }, req, res) => {
      assertSubmitter(req, body.walletAddress);
      const currency: Currency = body.paymentMethod;
      let claimed: bigint | null = null;
      if (body.amountPaid !== undefined) {
        try {
          claimed = amountFromDisplayNumber(body.amountPaid, currency);
        } catch (err) {
          throw badRequest(`amountPaid: ${(err as Error).message}`);
        }
      }
      const round = await submissionRound(em(), body.roundId);
      const handle = await startOrJoin(
        deps,
        'ticketPurchase',
        workflowIds.ticketPurchase(body.transactionSignature),
        [
          {
            signature: body.transactionSignature,
            roundId: round.id,
            wallet: body.walletAddress,
            ticketCount: body.ticketCount,
            currency,
            claimedAmountBaseUnits: claimed === null ? null : claimed.toString(),
            verifyWindowMs: deps.config.lottery.verifyWindowMs,
          },
        ],
        `Purchase of ${body.ticketCount} ticket(s) in round ${round.id} by ${body.walletAddress} (${currency})`,
      );
      const outcome = await resultWithin<ReceiptOutcome>(deps, handle, deps.config.lottery.purchaseWaitMs);
      if (!outcome) {
        res.status(202).json({
          status: 'pending',
          statusUrl: statusUrl(body.transactionSignature),
          transactionSignature: body.transactionSignature,
        });
        return;
      }
      if (outcome.wallet !== body.walletAddress) {
        throw conflict(`transactionSignature: already submitted by another wallet`, {
          transactionSignature: outcome.signature,
        });
      }
      return outcomeResponse(outcome, await walletTicketCount(em(), outcome.wallet, outcome.roundId));
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/lottery/burn-claim',
      tags,
      summary: 'Claim tickets for burned Stoned Rabbits NFTs (one claim per burn transaction)',
      secured: true,
      before: [auth],
      body: z
        .object({
          walletAddress,
          nftsBurned: z.array(mintAddress).min(1).max(50),
          transactionSignatures: z.array(txSignature).min(1).max(20),
          ticketsClaimed: z.number().int().min(1).max(MAX_TICKETS_PER_PURCHASE),
          roundId: roundIdSchema.optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Tickets issued', schema: PurchaseResultSchema.passthrough() },
        202: { description: 'Still verifying; poll statusUrl', schema: PendingSchema },
      },
      errors: [403, 404, 409, 422, 503],
    },
    async ({ body }, req, res) => {
      assertSubmitter(req, body.walletAddress);
      const round = await submissionRound(em(), body.roundId);
      const mints = new Set(body.nftsBurned);
      if (mints.size !== body.nftsBurned.length) throw badRequest('nftsBurned: contains duplicates');
      if (new Set(body.transactionSignatures).size !== body.transactionSignatures.length) {
        throw badRequest('transactionSignatures: contains duplicates');
      }
      if (body.ticketsClaimed !== mints.size * round.ticketsPerBurn) {
        throw unprocessable(
          'TicketsClaimedMismatch',
          `ticketsClaimed: ${mints.size} NFT(s) × ${round.ticketsPerBurn} ticket(s) per burn = ${mints.size * round.ticketsPerBurn}, not ${body.ticketsClaimed}`,
        );
      }
      const handles = await Promise.all(
        body.transactionSignatures.map((signature) =>
          startOrJoin(
            deps,
            'burnClaim',
            workflowIds.burnClaim(signature),
            [
              {
                signature,
                roundId: round.id,
                wallet: body.walletAddress,
                verifyWindowMs: deps.config.lottery.verifyWindowMs,
              },
            ],
            `Burn claim in round ${round.id} by ${body.walletAddress}`,
          ),
        ),
      );
      const outcomes = await Promise.all(
        handles.map((h) => resultWithin<ReceiptOutcome>(deps, h, deps.config.lottery.purchaseWaitMs)),
      );
      if (outcomes.some((o) => !o)) {
        res.status(202).json({
          status: 'pending',
          statusUrl: statusUrl(body.transactionSignatures[0]!),
          transactionSignature: body.transactionSignatures[0]!,
          statusUrls: body.transactionSignatures.map(statusUrl),
        });
        return;
      }
      const done = outcomes as ReceiptOutcome[];
      const failed = done.find((o) => o.status !== 'accepted' || o.wallet !== body.walletAddress);
      const total = await walletTicketCount(em(), body.walletAddress, round.id);
      if (failed)
        outcomeResponse(
          failed.wallet === body.walletAddress
            ? failed
            : { ...failed, status: 'rejected', code: 'AlreadyUsed' },
          total,
        );
      const burned = done.flatMap((o) => o.mints);
      return {
        success: true,
        ticketsIssued: done.flatMap((o) => o.ticketNumbers),
        totalTickets: total,
        transactionVerified: true,
        status: 'accepted',
        roundId: round.id,
        nftsBurned: burned,
        transactionSignatures: body.transactionSignatures,
        unverifiedNfts: body.nftsBurned.filter((m) => !burned.includes(m)),
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/lottery/tickets/:walletAddress',
      tags,
      summary: "A wallet's tickets (own wallet or admin)",
      secured: true,
      before: [auth],
      params: z.object({ walletAddress }),
      query: z.object({ roundId: roundIdSchema.optional() }).strict(),
      responses: {
        200: {
          description: 'Tickets',
          schema: z.object({
            walletAddress: z.string(),
            totalTickets: z.number(),
            ticketNumbers: z.array(z.number()),
            entries: z.array(z.record(z.string(), z.unknown())),
          }),
        },
      },
      errors: [403],
    },
    async ({ params, query }, req) => {
      assertSelfOrAdmin(deps.config, req, params.walletAddress);
      const tickets = await ticketsOfWallet(em(), params.walletAddress, query.roundId);
      return {
        walletAddress: params.walletAddress,
        totalTickets: tickets.length,
        ticketNumbers: tickets.map((t) => t.ticketNumber),
        entries: tickets.map((t) => ({
          ...t,
          amountPaid:
            t.amountPaidBaseUnits && t.paymentMethod
              ? toDisplayNumber(BigInt(t.amountPaidBaseUnits), t.paymentMethod as Currency)
              : null,
        })),
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/lottery/rounds/current',
      tags,
      summary:
        'The current round, with what a client needs to pay (treasury, prices, USDC mint, seed commitment)',
      responses: { 200: { description: 'The round', schema: RoundSchema } },
      errors: [404],
    },
    async () => {
      const round = await currentRound();
      if (!round) throw notFound('there is no lottery round');
      return round;
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/lottery/rounds/:id',
      tags,
      summary: 'A round by id',
      params: z.object({ id: roundIdSchema }),
      responses: { 200: { description: 'The round', schema: RoundSchema } },
      errors: [404],
    },
    async ({ params }) => {
      const round = await findRound(em(), params.id);
      if (!round) throw notFound(`round ${params.id} does not exist`);
      return roundBody(round, deps);
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/lottery/rounds/:id/proof',
      tags,
      summary:
        'Everything needed to recompute the draw: commitment, revealed seed, beacon, ordered tickets, winner',
      params: z.object({ id: roundIdSchema }),
      responses: {
        200: {
          description: 'The draw proof (see src/domain/lottery/fair-draw.ts for the byte layout)',
          schema: DrawProofSchema,
        },
      },
      errors: [404, 409],
    },
    async ({ params }, _req, res) => {
      const round = await findRound(em(), params.id);
      if (!round) throw notFound(`round ${params.id} does not exist`);
      if (
        !round.drawnAt ||
        round.revealedSeed === null ||
        round.beaconBlockhash === null ||
        round.ticketDigest === null
      ) {
        throw conflict(`round ${params.id} is not drawn yet (status ${round.status})`);
      }
      const count = round.frozenTicketCount ?? 0;
      const head: Omit<z.output<typeof DrawProofSchema>, 'tickets'> = {
        algorithm: DRAW_ALGORITHM,
        roundId: round.id,
        seedCommitment: round.seedCommitment,
        revealedSeed: round.revealedSeed,
        beaconSlot: round.beaconSlot,
        beaconBlockhash: round.beaconBlockhash,
        ticketDigest: round.ticketDigest,
        ticketCount: count,
        winnerIndex: round.winnerIndex,
        winnerTicketNumber: round.winnerTicket,
        winnerWallet: round.winnerWallet,
      };
      // Streamed: a round of a million tickets is tens of MB of JSON, never built in memory.
      res.type('application/json');
      await streamPages<FrozenTicket>(res, {
        head: `${JSON.stringify(head).slice(0, -1)},"tickets":[`,
        nextPage: (last) =>
          frozenTicketsAfter(em(), round.id, count, last?.ticketNumber ?? 0, STREAM_PAGE_ROWS),
        render: (rows, first) => (first ? '' : ',') + rows.map((t) => JSON.stringify(t)).join(','),
        tail: ']}',
      });
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/lottery/purchases/:signature',
      tags,
      summary: 'Status of a submitted purchase or burn claim (pending, accepted, late, rejected)',
      params: z.object({ signature: txSignature }),
      responses: { 200: { description: 'The receipt and its tickets' } },
      errors: [404],
    },
    async ({ params }) => {
      const receipt = await findReceipt(em(), params.signature);
      if (!receipt || (receipt.kind !== 'purchase' && receipt.kind !== 'burn')) {
        throw notFound(`no purchase or burn claim with signature ${params.signature}`);
      }
      return receipt;
    },
  );
};
