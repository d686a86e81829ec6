/**
 * Public Revenue Pass API (the original design's contract, DESIGN §3/§6): distributions with
 * `totalDistributed`, one month with `claimedCount`, a wallet's claims (`totalClaimed`,
 * `claimHistory`), what the signed-in wallet can claim, and claims: one
 * `revenue-wallet-claim:{month}:{wallet}:{batch}` run per request pays every pass of the batch
 * to its SNAPSHOT owner in one payout, exactly once (a pass claimed before answers
 * AlreadyClaimed); the API waits a bounded time and answers 200 with signatures or 202 with a
 * status URL.
 *
 * Legacy fields (`totalRevenue`, `perPassAmount`, `amount`...) are display numbers of the
 * distribution's currency; the exact value travels beside each as a base-unit string.
 * `totalDistributed` / `totalClaimed` are SOL display numbers (the original had one currency);
 * `...ByCurrency` carries every currency exactly.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import {
  allocationPage,
  distributionMemoOf,
  publishedDistributionMemo,
  type AllocatedPass,
} from '../../db/revenue/allocation';
import {
  claimsOfWallet,
  findDistribution,
  listDistributions,
  snapshotOwners,
  snapshotPassesOf,
  type ClaimView,
  type DistributionView,
} from '../../db/revenue/reads';
import { CURRENCY_CODES, toDisplayNumber, type Currency } from '../../domain/money';
import { ALLOCATION_FORMAT, type PublishedAllocation } from '../../domain/revenue/allocation';
import {
  CLAIM_STATUSES,
  claimBatchOf,
  claimsOpenAt,
  isPublicDistributionStatus,
  MAX_PASSES_PER_CLAIM,
  PUBLIC_DISTRIBUTION_STATUSES,
} from '../../domain/revenue/vocabulary';
import { resultWithin, startWorkflow } from '../../temporal/calls';
import { BusinessStatus, DistributionMonth, WalletAddress } from '../../temporal/search-attributes';
import { workflowIds } from '../../temporal/workflow-ids';
import type { WalletClaimOutcome } from '../../../workflows/revenue.api';
import type { AppDeps, RouteModule } from '../app';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors';
import { apiErrorOf, failureError } from '../failures';
import { assertSelfOrAdmin, authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { mintAddress, month, walletAddress } from '../schemas';
import { STREAM_PAGE_ROWS, streamPages } from '../stream';

const display = (baseUnits: string | null, currency: Currency) =>
  baseUnits === null ? null : toDisplayNumber(BigInt(baseUnits), currency);

export function distributionBody(d: DistributionView) {
  return {
    month: d.month,
    status: d.status,
    currency: d.currency,
    totalRevenue: display(d.totalRevenueBaseUnits, d.currency),
    totalRevenueBaseUnits: d.totalRevenueBaseUnits,
    shareBps: d.shareBps,
    distributionAmount: display(d.distributionAmountBaseUnits, d.currency),
    distributionAmountBaseUnits: d.distributionAmountBaseUnits,
    perPassAmount: display(d.perPassAmountBaseUnits, d.currency),
    perPassAmountBaseUnits: d.perPassAmountBaseUnits,
    dustBaseUnits: d.dustBaseUnits,
    passCount: d.passCount,
    sources: d.sources.map((s) => ({
      name: s.name,
      amount: display(s.amountBaseUnits, d.currency),
      amountBaseUnits: s.amountBaseUnits,
    })),
    distributionDate: d.distributionDate,
    claimDeadline: d.claimDeadline,
    closedAt: d.closedAt,
    transactionSignature: d.transactionSignature,
    snapshotSlot: d.snapshotSlot,
    claimedCount: d.claimedCount,
    unclaimedBaseUnits: d.unclaimedBaseUnits,
  };
}

function claimBody(c: ClaimView) {
  return {
    month: c.month,
    passMint: c.passMint,
    walletAddress: c.walletAddress,
    currency: c.currency,
    amount: display(c.amountBaseUnits, c.currency),
    amountBaseUnits: c.amountBaseUnits,
    status: c.status,
    transactionSignature: c.transactionSignature,
    claimedAt: c.claimedAt,
    paidAt: c.paidAt,
  };
}

/** Sums base units per currency: `{SOL: {amount, baseUnits}, ...}`. */
function totalsByCurrency(items: { currency: Currency; baseUnits: string }[]) {
  const sums = new Map<Currency, bigint>();
  for (const i of items) sums.set(i.currency, (sums.get(i.currency) ?? 0n) + BigInt(i.baseUnits));
  return Object.fromEntries(
    [...sums].map(([currency, v]) => [
      currency,
      { amount: toDisplayNumber(v, currency), baseUnits: v.toString() },
    ]),
  );
}

/** A distribution whose claims are open now, or the 404/409 saying why not (claimsOpenAt's rule). */
function assertClaimsOpen(d: DistributionView | null, month: string): DistributionView {
  if (!d) throw notFound(`month: there is no revenue distribution for ${month}`);
  const verdict = claimsOpenAt(d, Date.now());
  if (verdict.open) return d;
  if (verdict.failure === 'DistributionNotFound') {
    throw notFound(`month: there is no revenue distribution for ${month}`);
  }
  if (verdict.failure === 'ClaimsClosed') {
    throw new ApiError(
      409,
      'ClaimsClosed',
      `claims for ${month} closed at ${d.closedAt ?? d.claimDeadline}: the claim window is over and unclaimed amounts stay in the treasury`,
      { month, closedAt: d.closedAt, claimDeadline: d.claimDeadline },
    );
  }
  throw new ApiError(409, 'ClaimsNotOpen', `claims for ${month} are not open yet (status ${d.status})`, {
    month,
    status: d.status,
  });
}

/**
 * Starts the run of the wallet's claim batch (these passes), or joins a running or paid one
 * (the same request again); a refused (failed) run is started afresh.
 */
async function startWalletClaim(deps: AppDeps, month: string, wallet: string, passMints: string[]) {
  const batch = claimBatchOf(passMints);
  const handle = await startWorkflow(deps.temporal, deps.config.temporal.taskQueue, 'revenueWalletClaimV2', {
    workflowId: workflowIds.revenueWalletClaim(month, wallet, batch),
    args: [{ month, requestedBy: wallet, passMints, batch }],
    policy: 'join',
    summary: `Revenue claim ${month} of ${passMints.length} pass(es) by ${wallet}`,
    // What the run would otherwise upsert first (workflows/claim-payout.ts ClaimReporting 'final').
    searchAttributes: [
      { key: DistributionMonth, value: month },
      { key: WalletAddress, value: wallet },
      { key: BusinessStatus, value: 'recording' },
    ],
  });
  // `join` always answers a run: a running or completed one, or the one it started.
  if (!handle) throw new Error(`revenue claim ${month}/${wallet}/${batch}: no run to join`);
  return handle;
}

const AllocationSchema = z
  .object({
    format: z.literal(ALLOCATION_FORMAT),
    month: z.string(),
    status: z.enum(PUBLIC_DISTRIBUTION_STATUSES),
    currency: z.enum(CURRENCY_CODES),
    /** The token whose transfers pay a USDC month (null for SOL). */
    tokenMint: z.string().nullable(),
    totalRevenueBaseUnits: z.string(),
    shareBps: z.number().int(),
    distributionAmountBaseUnits: z.string(),
    perPassAmountBaseUnits: z.string(),
    dustBaseUnits: z.string(),
    passCount: z.number().int(),
    snapshotSlot: z.number().int(),
    sources: z.array(z.object({ name: z.string(), amountBaseUnits: z.string() })),
    allocationDigest: z.string(),
    memo: z.string(),
    memoSignature: z
      .string()
      .nullable()
      .describe('The transaction that published `memo` on chain at approval (null for a month not anchored)'),
    memoSlot: z.number().int().nullable(),
    passes: z.array(
      z.object({
        passMint: z.string(),
        owner: z.string(),
        amountBaseUnits: z.string(),
        claimStatus: z.enum([...CLAIM_STATUSES, 'unclaimed']),
        payoutSignature: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'DistributionAllocation' });

type PassAnswer =
  | { passMint: string; status: 'paid'; amountBaseUnits: string; signature: string }
  | { passMint: string; status: 'refused'; error: ApiError };

export const revenueRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const auth = authMiddleware(deps.config, deps.redis);
  const tags = ['revenue-pass'];
  const em = () => deps.orm.em.fork() as EntityManager;

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/revenue-pass/distributions',
      tags,
      summary: 'Opened and closed monthly distributions, newest first, with totalDistributed',
      responses: { 200: { description: 'Distributions' } },
    },
    async () => {
      const distributions = await listDistributions(em(), PUBLIC_DISTRIBUTION_STATUSES);
      const byCurrency = totalsByCurrency(
        distributions.map((d) => ({ currency: d.currency, baseUnits: d.claimedBaseUnits })),
      );
      return {
        distributions: distributions.map(distributionBody),
        totalDistributed: byCurrency.SOL?.amount ?? 0,
        totalDistributedBaseUnits: byCurrency.SOL?.baseUnits ?? '0',
        totalDistributedByCurrency: byCurrency,
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/revenue-pass/distributions/:month',
      tags,
      summary: "One month's distribution with claimedCount",
      params: z.object({ month }),
      responses: { 200: { description: 'The distribution' } },
      errors: [404],
    },
    async ({ params }) => {
      const d = await findDistribution(em(), params.month);
      if (!d || !isPublicDistributionStatus(d.status)) {
        throw notFound(`month: there is no published revenue distribution for ${params.month}`);
      }
      return distributionBody(d);
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/revenue-pass/distributions/:month/allocation',
      tags,
      summary:
        "A month's allocation: declared figures, every pass → snapshot owner → amount in canonical order, its digest, claim status and payout",
      description:
        'Public (pass mints and owners are on chain anyway) once claims have opened. Passes are sorted by mint, ' +
        'byte-wise; `allocationDigest` is the SHA-256 of the lines `<passMint>,<owner>,<amountBaseUnits>\\n` in that ' +
        'order and `memo` the distribution memo text (src/domain/revenue/allocation.ts), published on chain at ' +
        'approval by the payout wallet (`memoSignature`, `memoSlot`). `npm run verify-distribution` ' +
        'recomputes all of it. Streamed: a month of 10 000 passes is never built in memory. 409 before approval.',
      params: z.object({ month }),
      responses: { 200: { description: 'The allocation', schema: AllocationSchema } },
      errors: [404, 409],
    },
    async ({ params }, _req, res) => {
      const d = await findDistribution(em(), params.month);
      if (!d || d.status === 'cancelled') {
        throw notFound(`month: there is no revenue distribution for ${params.month}`);
      }
      if (!isPublicDistributionStatus(d.status) || d.snapshotSlot === null || d.allocationDigest === null) {
        throw conflict(
          `the ${params.month} distribution is not approved yet (status ${d.status}): its allocation is published when its claims open`,
          { month: params.month, status: d.status },
        );
      }
      const onChain = await publishedDistributionMemo(em(), d.month);
      const head: Omit<PublishedAllocation, 'passes'> & Omit<z.output<typeof AllocationSchema>, 'passes'> = {
        format: ALLOCATION_FORMAT,
        month: d.month,
        status: d.status as (typeof PUBLIC_DISTRIBUTION_STATUSES)[number],
        currency: d.currency,
        tokenMint: d.currency === 'USDC' ? deps.config.solana.usdcMint : null,
        totalRevenueBaseUnits: d.totalRevenueBaseUnits,
        shareBps: d.shareBps,
        distributionAmountBaseUnits: d.distributionAmountBaseUnits,
        perPassAmountBaseUnits: d.perPassAmountBaseUnits,
        dustBaseUnits: d.dustBaseUnits,
        passCount: d.passCount,
        snapshotSlot: d.snapshotSlot,
        sources: d.sources,
        allocationDigest: d.allocationDigest,
        memo: distributionMemoOf(d).text,
        memoSignature: onChain?.signature ?? null,
        memoSlot: onChain?.slot ?? null,
      };
      res.type('application/json');
      await streamPages<AllocatedPass>(res, {
        head: `${JSON.stringify(head).slice(0, -1)},"passes":[`,
        nextPage: (last) => allocationPage(em(), d.id, last?.passMint ?? '', STREAM_PAGE_ROWS),
        render: (rows, first) => (first ? '' : ',') + rows.map((p) => JSON.stringify(p)).join(','),
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
      path: '/revenue-pass/claims/:walletAddress',
      tags,
      summary: "A wallet's claims (own wallet or admin): totalClaimed and claimHistory",
      secured: true,
      before: [auth],
      params: z.object({ walletAddress }),
      responses: { 200: { description: 'Claims' } },
      errors: [403],
    },
    async ({ params }, req) => {
      assertSelfOrAdmin(deps.config, req, params.walletAddress);
      const claims = await claimsOfWallet(em(), params.walletAddress);
      const paid = claims.filter((c) => c.status === 'paid');
      const byCurrency = totalsByCurrency(
        paid.map((c) => ({ currency: c.currency, baseUnits: c.amountBaseUnits })),
      );
      return {
        walletAddress: params.walletAddress,
        totalClaimed: byCurrency.SOL?.amount ?? 0,
        totalClaimedBaseUnits: byCurrency.SOL?.baseUnits ?? '0',
        totalClaimedByCurrency: byCurrency,
        claimHistory: claims.map(claimBody),
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/revenue-pass/claimable',
      tags,
      summary: 'What the signed-in wallet can claim now: its snapshot passes not yet claimed, per open month',
      secured: true,
      before: [auth],
      responses: { 200: { description: 'Claimable passes per month' } },
    },
    async (_input, req) => {
      const wallet = signedInWallet(req);
      const now = Date.now();
      const open = (await listDistributions(em(), ['open'])).filter((d) => claimsOpenAt(d, now).open);
      const months = [];
      for (const d of open) {
        const passes = (await snapshotPassesOf(em(), d.id, wallet)).filter((p) => p.claimStatus === null);
        if (passes.length === 0) continue;
        const total = (BigInt(d.perPassAmountBaseUnits) * BigInt(passes.length)).toString();
        months.push({
          month: d.month,
          currency: d.currency,
          perPassAmount: display(d.perPassAmountBaseUnits, d.currency),
          perPassAmountBaseUnits: d.perPassAmountBaseUnits,
          passMints: passes.map((p) => p.passMint),
          amount: display(total, d.currency),
          amountBaseUnits: total,
          claimDeadline: d.claimDeadline,
        });
      }
      return { walletAddress: wallet, claimable: months };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/revenue-pass/claims',
      tags,
      summary:
        "Claim the month's share for the signed-in wallet's passes at the snapshot (all, or passMints)",
      description:
        'Only the wallet that held a pass at the snapshot can claim it; the payout goes to that wallet exactly once. ' +
        '200 with signatures when paid within the bounded wait, else 202 with a status URL. 409 after the claim window.',
      secured: true,
      before: [auth],
      body: z
        .object({
          month,
          passMints: z.array(mintAddress).min(1).max(MAX_PASSES_PER_CLAIM).optional(),
        })
        .strict(),
      responses: {
        200: {
          description:
            'Paid: claims[] has each pass paid, or refused with its error.code (AlreadyClaimed for a pass an earlier request claimed)',
        },
        202: { description: 'Still paying; poll statusUrl' },
      },
      errors: [403, 404, 409, 422, 503],
      // Every pass refused: the first refusal answers (src/api/failures.ts gives each its status).
      errorCodes: {
        403: ['Forbidden', 'NotSnapshotOwner'],
        404: ['NotFound', 'NotInSnapshot'],
        409: ['AlreadyClaimed', 'ClaimsNotOpen', 'ClaimsClosed', 'NothingToClaim'],
      },
    },
    async ({ body }, req, res) => {
      const wallet = signedInWallet(req);
      const d = assertClaimsOpen(await findDistribution(em(), body.month), body.month);
      const held = await snapshotPassesOf(em(), d.id, wallet);
      let mints: string[];
      if (body.passMints) {
        if (new Set(body.passMints).size !== body.passMints.length)
          throw badRequest('passMints: contains duplicates');
        const owners = await snapshotOwners(em(), d.id, body.passMints);
        for (const mint of body.passMints) {
          const owner = owners.get(mint);
          if (!owner)
            throw notFound(`passMints: ${mint} is not a Revenue Pass in the ${body.month} snapshot`);
          if (owner !== wallet) {
            throw forbidden(`passMints: ${mint} was not held by your wallet at the ${body.month} snapshot`);
          }
        }
        mints = body.passMints;
      } else {
        mints = held.map((p) => p.passMint);
        if (mints.length === 0) {
          throw notFound(`your wallet held no Revenue Pass at the ${body.month} snapshot`);
        }
      }
      // Passes claimed before (by an earlier request) answer for themselves; the rest form
      // this request's batch: one run, one payout for all of them.
      const claimedBefore = new Map(held.filter((p) => p.claimStatus !== null).map((p) => [p.passMint, p]));
      const batch = mints.filter((m) => !claimedBefore.has(m)).slice(0, MAX_PASSES_PER_CLAIM);
      const answers = new Map<string, PassAnswer>();
      for (const passMint of mints) {
        const before = claimedBefore.get(passMint);
        if (!before) continue;
        const error = failureError(
          'AlreadyClaimed',
          `pass ${passMint} is already claimed for ${body.month} (${before.claimStatus})`,
        );
        answers.set(passMint, { passMint, status: 'refused', error });
      }
      if (batch.length > 0) {
        const handle = await startWalletClaim(deps, body.month, wallet, batch);
        let outcome: WalletClaimOutcome | undefined;
        try {
          const waited = await resultWithin(deps.temporal, handle, deps.config.revenue.claimWaitMs);
          if (!waited.done) {
            res.status(202).json({
              status: 'pending',
              month: body.month,
              passMints: batch,
              statusUrl: `${basePath}/revenue-pass/claims/${wallet}`,
            });
            return;
          }
          outcome = waited.result;
        } catch (err) {
          // A refused run answers for every pass of its batch with the failure table's status and code.
          const error = err instanceof WorkflowFailedError ? apiErrorOf(err) : err;
          if (!(error instanceof ApiError)) throw error;
          for (const passMint of batch) answers.set(passMint, { passMint, status: 'refused', error });
        }
        for (const passMint of outcome?.passMints ?? []) {
          answers.set(passMint, {
            passMint,
            status: 'paid',
            amountBaseUnits: outcome!.perPassAmountBaseUnits,
            signature: outcome!.signature,
          });
        }
        for (const r of outcome?.refused ?? []) {
          answers.set(r.passMint, {
            passMint: r.passMint,
            status: 'refused',
            error: failureError(r.type, r.message),
          });
        }
      }
      const ordered = mints.flatMap((m) => answers.get(m) ?? []);
      const refusals = ordered.filter((a) => a.status === 'refused');
      if (refusals.length === ordered.length && refusals[0]) throw refusals[0].error;
      let total = 0n;
      const claims = ordered.map((a) => {
        if (a.status === 'paid') {
          total += BigInt(a.amountBaseUnits);
          return {
            passMint: a.passMint,
            status: 'paid',
            amount: display(a.amountBaseUnits, d.currency),
            amountBaseUnits: a.amountBaseUnits,
            transactionSignature: a.signature,
          };
        }
        return {
          passMint: a.passMint,
          status: 'refused',
          error: { code: a.error.code, message: a.error.message },
        };
      });
      return {
        success: true,
        month: body.month,
        walletAddress: wallet,
        currency: d.currency,
        claims,
        totalAmount: display(total.toString(), d.currency),
        totalAmountBaseUnits: total.toString(),
      };
    },
  );
};
