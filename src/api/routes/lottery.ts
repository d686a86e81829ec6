/**
 * Public lottery API (the original design's contract, DESIGN §3/§6). Purchases and burn
 * claims start `ticket-purchase:{signature}` / `burn-claim:{signature}` (policy `join`: a
 * re-submitted signature joins the same run and gets the same tickets), wait a bounded time
 * for the outcome, and answer 200 with tickets or 202 with a status URL. The answer is built
 * from the workflow's outcome alone (`purchaseAnswer`, the same function GET
 * /lottery/purchases/:signature answers with): nothing is read again after the run answered.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import { z } from 'zod';
import { countPendingOfWallet, readReceipt, type Receipt } from '../../db/lottery/receipts';
import { findCurrentRound, findRound, roundAnchors, type RoundView } from '../../db/lottery/rounds';
import { frozenTicketsAfter, walletTicketsJson, type FrozenTicket } from '../../db/lottery/tickets';
import { BEACON_RULE } from '../../domain/lottery/anchors';
import { DRAW_ALGORITHM } from '../../domain/lottery/fair-draw';
import {
  isLotteryReceiptKind,
  MAX_TICKETS_PER_PURCHASE,
  RECEIPT_STATUSES,
  ROUND_STATUSES,
  type ReceiptStatus,
} from '../../domain/lottery/vocabulary';
import { amountFromDisplayNumber, CURRENCY_CODES, toDisplayNumber, type Currency } from '../../domain/money';
import { resultWithin, startWorkflow, type StartRequest } from '../../temporal/calls';
import { workflowIds } from '../../temporal/workflow-ids';
import { walletTicketsCache } from '../../wallet-tickets-cache';
import type { ReceiptOutcome } from '../../../workflows/lottery.api';
import type { AppDeps, RouteModule } from '../app';
import { ApiError, badRequest, conflict, forbidden, notFound, unprocessable } from '../errors';
import { failureError } from '../failures';
import {
  assertSelfOrAdmin,
  authMiddleware,
  isAdmin,
  optionalAuthMiddleware,
  signedInWallet,
} from '../middleware/auth';
import { prepareJson, sendJsonText, toPlainJson } from '../json';
import { microCache } from '../micro-cache';
import { STREAM_PAGE_ROWS, streamPages } from '../stream';
import { addRoute } from '../route';
import { mintAddress, roundId, txSignature, walletAddress } from '../schemas';

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
    status: z.enum(ROUND_STATUSES),
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

const AnchorMemoSchema = z
  .object({ signature: z.string(), slot: z.number().int(), text: z.string() })
  .meta({ id: 'AnchorMemo' });

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
    startDate: z.string(),
    endDate: z.string(),
    anchors: z
      .object({
        commitMemo: AnchorMemoSchema.nullable(),
        digestMemo: AnchorMemoSchema.nullable(),
        beaconRule: z.object({
          name: z.literal(BEACON_RULE),
          delaySlots: z.number().int().nullable(),
          commitment: z.literal('finalized'),
        }),
      })
      .nullable()
      .describe('The on-chain anchors (issue 19); null for a round that was not anchored'),
    tickets: z.array(z.object({ ticketNumber: z.number().int(), wallet: z.string() })),
  })
  .meta({ id: 'DrawProof' });

const PurchaseResultSchema = z
  .object({
    success: z.boolean(),
    ticketsIssued: z.array(z.number()),
    totalTickets: z.number(),
    transactionVerified: z.boolean(),
    status: z.enum(RECEIPT_STATUSES),
    roundId: z.string().nullable(),
    transactionSignature: z.string(),
    amountPaid: z.number().nullable(),
    amountBaseUnits: z.string().nullable(),
    refundOwedBaseUnits: z.string(),
    nftsBurned: z.array(z.string()).optional(),
  })
  .meta({ id: 'PurchaseTicketsResponse' });

/** A chain receipt as stored (the admin refunds list; GET /lottery/purchases/:signature adds it). */
export const ChainReceiptSchema = z
  .object({
    signature: z.string(),
    kind: z.string(),
    roundId: z.string().nullable(),
    walletAddress: z.string(),
    status: z.enum(RECEIPT_STATUSES),
    currency: z.string().nullable(),
    amountBaseUnits: z.string().nullable(),
    refundOwedBaseUnits: z.string(),
    requestedTickets: z.number().int().nullable(),
    reason: z.string().nullable(),
    blockTime: z.string().nullable(),
    ticketNumbers: z.array(z.number().int()),
  })
  .meta({ id: 'ChainReceipt' });

/** What anyone holding the signature may see: no wallet, amounts or tickets. */
const PublicPurchaseStatusSchema = z
  .strictObject({
    signature: z.string(),
    transactionSignature: z.string(),
    status: z.enum(RECEIPT_STATUSES),
    roundId: z.string().nullable(),
  })
  .meta({ id: 'PublicPurchaseStatus' });

const PendingSchema = z.object({
  status: z.literal('pending'),
  statusUrl: z.string(),
  transactionSignature: z.string(),
});

/** What a purchase answer is made of: a workflow's outcome or a stored receipt. */
interface Answerable {
  signature: string;
  kind: string;
  status: ReceiptStatus;
  roundId: string | null;
  ticketNumbers: number[];
  currency: Currency | null;
  amountBaseUnits: string | null;
  refundOwedBaseUnits: string;
  mints: string[];
  /** The wallet's tickets in the round. */
  totalTickets: number;
}

const amountPaid = (r: Pick<Answerable, 'amountBaseUnits' | 'currency'>) =>
  r.amountBaseUnits && r.currency ? toDisplayNumber(BigInt(r.amountBaseUnits), r.currency) : null;

/** THE purchase / burn answer (original design's field names), for POST and GET alike. */
function purchaseAnswer(r: Answerable): z.output<typeof PurchaseResultSchema> {
  return {
    success: r.status === 'accepted',
    ticketsIssued: r.ticketNumbers,
    totalTickets: r.totalTickets,
    transactionVerified: r.status === 'accepted' || r.status === 'late',
    status: r.status,
    roundId: r.roundId,
    transactionSignature: r.signature,
    amountPaid: amountPaid(r),
    amountBaseUnits: r.amountBaseUnits,
    refundOwedBaseUnits: r.refundOwedBaseUnits,
    ...(r.kind === 'burn' ? { nftsBurned: r.mints } : {}),
  };
}

/** A stored receipt in the ChainReceipt shape. */
export function chainReceipt(r: Receipt): z.output<typeof ChainReceiptSchema> {
  return {
    signature: r.signature,
    kind: r.kind,
    roundId: r.roundId,
    walletAddress: r.wallet,
    status: r.status,
    currency: r.currency,
    amountBaseUnits: r.amountBaseUnits,
    refundOwedBaseUnits: r.refundOwedBaseUnits,
    requestedTickets: r.requestedTickets,
    reason: r.reason,
    blockTime: r.blockTime,
    ticketNumbers: r.ticketNumbers,
  };
}

/** A workflow's outcome as answerable (runs recorded before `totalTickets` existed count their own). */
const answerable = (outcome: ReceiptOutcome): Answerable => ({
  ...outcome,
  totalTickets: outcome.totalTickets ?? outcome.ticketNumbers.length,
});

/** Why a scheduled round takes no submission yet (the clock words the message, never decides). */
function notStartedReason(startDate: string, commitmentPending: boolean): string {
  const ahead = Date.parse(startDate) > Date.now();
  if (commitmentPending) {
    return ahead
      ? `it opens at ${startDate} at the earliest: its commitment is not on chain yet`
      : 'its commitment is not on chain yet (sales open once it is)';
  }
  return ahead ? `it opens at ${startDate}` : `it opens at ${startDate}: its run is opening it now`;
}

/** The round a submission is for: the one named, or the current one; it must have opened. */
async function submissionRound(em: EntityManager, id: string | undefined): Promise<RoundView> {
  const round = id ? await findRound(em, id) : await findCurrentRound(em);
  if (!round) throw notFound(id ? `roundId: round ${id} does not exist` : 'there is no lottery round');
  // Sales are open when the round's run has opened them (status active), never by the clock
  // here: an anchored round opens only once its commitment is on chain, and its recorded start
  // is when that happened. One past its end, frozen, drawn or cancelled still takes them: the
  // money was sent, so the payment is verified and recorded `late` (owed a refund) rather than
  // forgotten. So does one that was cancelled or closed before it opened: it never will, so
  // "not started" would turn a payment owed a refund away for good. Only a round still waiting
  // to open (scheduled) is refused.
  if (round.status === 'scheduled') {
    const anchors = await roundAnchors(em, round.id);
    const why = notStartedReason(round.startDate, anchors !== null && anchors.commitMemo === null);
    throw conflict(`round ${round.id} has not started: ${why}`, { roundId: round.id, status: round.status });
  }
  return round;
}

/** A finished outcome as the answer, or the error a rejected or late one maps to (src/api/failures.ts). */
function outcomeResponse(outcome: ReceiptOutcome): z.output<typeof PurchaseResultSchema> {
  if (outcome.status === 'rejected') {
    const code = outcome.code ?? 'Rejected';
    throw failureError(code, outcome.reason ?? 'transaction rejected', {
      transactionSignature: outcome.signature,
      amountBaseUnits: outcome.amountBaseUnits,
      amountPaid: amountPaid(outcome),
      refundOwedBaseUnits: outcome.refundOwedBaseUnits,
      ...(outcome.details ?? {}),
    });
  }
  if (outcome.status === 'late') {
    throw failureError(
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
  return purchaseAnswer(answerable(outcome));
}

/** Starts or joins the run for a submitted signature (policy `join`) and waits a bounded time. */
/**
 * One wallet may have only so many submissions verifying at once (each holds a workflow and,
 * until decided, the round's freeze): re-submitting one of them does not count again.
 */
async function assertPendingBudget(deps: AppDeps, em: EntityManager, wallet: string, signatures: string[]) {
  const limit = deps.config.lottery.maxPendingPerWallet;
  const pending = await countPendingOfWallet(em, wallet, signatures);
  if (pending + signatures.length > limit) {
    throw new ApiError(
      429,
      'TooManyPending',
      `walletAddress: ${pending} submission(s) of this wallet are still being verified; at most ${limit} at a time, ` +
        `a burn claim's signatures counting one each: submit again once they are decided`,
      { pending, submitted: signatures.length, limit },
      { 'Retry-After': '10' },
    );
  }
}

async function submit<K extends 'ticketPurchase' | 'burnClaim'>(
  deps: AppDeps,
  type: K,
  request: Omit<StartRequest<K>, 'policy'>,
) {
  const handle = await startWorkflow(deps.temporal, deps.config.temporal.taskQueue, type, {
    ...request,
    policy: 'join',
  });
  // `join` always answers a handle; undefined would mean the id is taken by something else.
  if (!handle) throw conflict(`workflow ${request.workflowId} cannot be joined`);
  return resultWithin(deps.temporal, handle, deps.config.lottery.purchaseWaitMs);
}

export const lotteryRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const auth = authMiddleware(deps.config, deps.redis);
  const tags = ['lottery'];
  const em = () => deps.orm.em.fork() as EntityManager;
  /** The hottest public read (every client page load): its bytes and ETag, shared for LOTTERY_CURRENT_CACHE. */
  const currentRound = microCache(deps.config.lottery.currentRoundCacheMs, async () => {
    const round = await findCurrentRound(em());
    return round ? prepareJson(toPlainJson(roundBody(round, deps)) as string) : undefined;
  });
  /** A wallet's tickets (every page load of its owner): Redis-held, forgotten as tickets are issued. */
  const walletTickets = walletTicketsCache(deps.redis, deps.config.lottery.walletTicketsCacheMs, deps.logger);
  const statusUrl = (signature: string) => `${basePath}/lottery/purchases/${signature}`;

  const assertSubmitter = (req: Request, wallet: string) => {
    if (signedInWallet(req) !== wallet) {
      throw forbidden('walletAddress: must be the signed-in wallet');
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
          paymentMethod: z.enum(CURRENCY_CODES),
          transactionSignature: txSignature,
          amountPaid: z.number().positive().max(1e12).optional(),
          roundId: roundId.optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Tickets issued', schema: PurchaseResultSchema },
        202: { description: 'Still verifying; poll statusUrl', schema: PendingSchema },
      },
      errors: [403, 404, 409, 422, 429, 503],
    },
    async ({ body }, req, res) => {
      assertSubmitter(req, body.walletAddress);
      const currency: Currency = body.paymentMethod;
      let claimed: bigint | null = null;
      if (body.amountPaid !== undefined) {
        try {
          claimed = amountFromDisplayNumber(body.amountPaid, currency);
        } catch (err) {
          throw badRequest(`amountPaid: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const round = await submissionRound(em(), body.roundId);
      await assertPendingBudget(deps, em(), body.walletAddress, [body.transactionSignature]);
      const waited = await submit(deps, 'ticketPurchase', {
        workflowId: workflowIds.ticketPurchase(body.transactionSignature),
        args: [
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
        summary: `Purchase of ${body.ticketCount} ticket(s) in round ${round.id} by ${body.walletAddress} (${currency})`,
      });
      if (!waited.done) {
        res.status(202).json({
          status: 'pending',
          statusUrl: statusUrl(body.transactionSignature),
          transactionSignature: body.transactionSignature,
        });
        return;
      }
      const outcome = waited.result;
      if (outcome.wallet !== body.walletAddress) {
        throw conflict(`transactionSignature: already submitted by another wallet`, {
          transactionSignature: outcome.signature,
        });
      }
      return outcomeResponse(outcome);
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
          roundId: roundId.optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Tickets issued', schema: PurchaseResultSchema.passthrough() },
        202: { description: 'Still verifying; poll statusUrl', schema: PendingSchema },
      },
      errors: [403, 404, 409, 422, 429, 503],
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
      await assertPendingBudget(deps, em(), body.walletAddress, body.transactionSignatures);
      const waited = await Promise.all(
        body.transactionSignatures.map((signature) =>
          submit(deps, 'burnClaim', {
            workflowId: workflowIds.burnClaim(signature),
            args: [
              {
                signature,
                roundId: round.id,
                wallet: body.walletAddress,
                verifyWindowMs: deps.config.lottery.verifyWindowMs,
              },
            ],
            summary: `Burn claim in round ${round.id} by ${body.walletAddress}`,
          }),
        ),
      );
      const done = waited.flatMap((w) => (w.done ? [w.result] : []));
      if (done.length < waited.length) {
        res.status(202).json({
          status: 'pending',
          statusUrl: statusUrl(body.transactionSignatures[0]!),
          transactionSignature: body.transactionSignatures[0]!,
          statusUrls: body.transactionSignatures.map(statusUrl),
        });
        return;
      }
      const failed = done.find((o) => o.status !== 'accepted' || o.wallet !== body.walletAddress);
      if (failed) {
        outcomeResponse(
          failed.wallet === body.walletAddress
            ? failed
            : { ...failed, status: 'rejected', code: 'AlreadyUsed' },
        );
      }
      const burned = done.flatMap((o) => o.mints);
      return {
        success: true,
        ticketsIssued: done.flatMap((o) => o.ticketNumbers),
        // The last issue committed saw every earlier one of the wallet (they serialise on the round row).
        totalTickets: Math.max(...done.map((o) => answerable(o).totalTickets)),
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
      query: z.object({ roundId: roundId.optional() }).strict(),
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
    async ({ params, query }, req, res) => {
      assertSelfOrAdmin(deps.config, req, params.walletAddress);
      const { walletAddress: wallet } = params;
      sendJsonText(
        res,
        await walletTickets(wallet, query.roundId, async () =>
          prepareJson(await walletTicketsJson(em(), wallet, query.roundId)),
        ),
      );
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
    async (_input, _req, res) => {
      const round = await currentRound();
      if (!round) throw notFound('there is no lottery round');
      sendJsonText(res, round);
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
      params: z.object({ id: roundId }),
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
      params: z.object({ id: roundId }),
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
        startDate: round.startDate,
        endDate: round.endDate,
        anchors: await roundAnchors(em(), round.id),
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
      description:
        'Anyone holding the signature sees its status and round. The wallet, amounts and tickets ' +
        'are shown only to that wallet signed in (optional Bearer token) or to an admin.',
      before: [optionalAuthMiddleware(deps.config, deps.redis)],
      params: z.object({ signature: txSignature }),
      responses: {
        200: {
          description:
            'For the owner or an admin: the purchase answer plus the stored receipt; for anyone else: its status only',
          schema: z.union([
            PurchaseResultSchema.extend(ChainReceiptSchema.shape).meta({ id: 'PurchaseStatus' }),
            PublicPurchaseStatusSchema,
          ]),
        },
      },
      errors: [401, 404],
    },
    async ({ params }, req) => {
      const receipt = await readReceipt(em(), params.signature);
      if (!receipt || !isLotteryReceiptKind(receipt.kind)) {
        throw notFound(`no purchase or burn claim with signature ${params.signature}`);
      }
      const wallet = req.auth?.wallet;
      if (wallet !== receipt.wallet && !isAdmin(deps.config, wallet)) {
        return {
          signature: receipt.signature,
          transactionSignature: receipt.signature,
          status: receipt.status,
          roundId: receipt.roundId,
        };
      }
      return {
        ...chainReceipt(receipt),
        ...purchaseAnswer({ ...receipt, totalTickets: receipt.walletTotalTickets }),
      };
    },
  );
};
