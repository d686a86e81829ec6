/**
 * Admin Revenue Pass API under /api/v1/admin/revenue/...: create a month (starts
 * `revenue-distribution:{month}`; sources as JSON or a `name,amount` CSV), view it with live
 * snapshot progress, approve / cancel / close as workflow updates — the same as
 * `temporal workflow update execute --workflow-id revenue-distribution:<month> --name approve
 * --input '{"adminWallet":"<wallet>"}'` — claim status per pass, CSV exports, and the pass
 * hash list import into nft_mints; the month's reconciliation (admin-revenue-reconciliation.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import {
  allClaims,
  findDistribution,
  importPassMints,
  listDistributions,
  passClaimStatuses,
  passClaimStatusesAfter,
} from '../../db/revenue/reads';
import { monthFundedBy } from '../../db/revenue/distributions';
import { MAX_SOURCE_NAME_LENGTH } from '../../domain/revenue/distribution';
import { parseSourcesCsv } from '../../domain/revenue/sources-csv';
import { CURRENCY_CODES, MAX_BASE_UNITS, type Currency } from '../../domain/money';
import { isAddress } from '../../domain/values';
import { firstStepWithin, startWorkflow, workflowHandle } from '../../temporal/calls';
import { workflowIds } from '../../temporal/workflow-ids';
import {
  approveUpdate,
  cancelUpdate,
  closeUpdate,
  distributionStatusQuery,
  type DistributionState,
  type RevenueDistributionInput,
} from '../../../workflows/revenue.api';
import { addAdminAction } from '../admin-action';
import type { RouteModule } from '../app';
import { sendCsv, streamCsv } from '../csv';
import { STREAM_PAGE_ROWS } from '../stream';
import { badRequest, conflict, notFound } from '../errors';
import { failureError } from '../failures';
import { adminMiddleware, authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { baseUnitsString, mintAddress, month, pagination, txSignature } from '../schemas';
import { distributionBody } from './revenue';
import {
  CreatedDistributionSchema,
  DistributionDetailSchema,
  DistributionSchema,
  DistributionStateSchema,
  PassClaimsSchema,
  PassImportSchema,
} from './admin-revenue-schemas';
import { addMonthReconciliationRoute } from './admin-revenue-reconciliation';

const MAX_SOURCES = 200;
/** How long a create waits for its draft row before answering 201 anyway. */
const DRAFT_WAIT_MS = 15_000;
/** The arguments an update definition takes. */
type ArgsOf<U> = U extends UpdateDefinition<unknown, infer A> ? A : never;

const MAX_IMPORT = 20_000;

const DISTRIBUTION_CSV_COLUMNS = [
  'month',
  'status',
  'currency',
  'totalRevenueBaseUnits',
  'shareBps',
  'distributionAmountBaseUnits',
  'perPassAmountBaseUnits',
  'dustBaseUnits',
  'passCount',
  'claimedCount',
  'paidCount',
  'claimedBaseUnits',
  'unclaimedBaseUnits',
  'snapshotSlot',
  'claimDeadline',
  'closedAt',
  'approvals',
] as const;
const PASS_CLAIM_CSV_COLUMNS = [
  'passMint',
  'ownerWallet',
  'claimStatus',
  'amountBaseUnits',
  'transactionSignature',
  'claimedAt',
  'paidAt',
] as const;
const CLAIM_CSV_COLUMNS = [
  'month',
  'passMint',
  'walletAddress',
  'currency',
  'amountBaseUnits',
  'status',
  'payoutKey',
  'transactionSignature',
  'claimedAt',
  'paidAt',
] as const;

/** `name,amount` rows (amount in whole units, e.g. 12.5) → sources; every bad row is reported. */
function sourcesFromCsv(text: string, currency: Currency): { name: string; amountBaseUnits: string }[] {
  // The same parser previews the upload in the dashboard.
  const { sources, errors } = parseSourcesCsv(text, currency);
  if (errors.length)
    throw badRequest(`csv: ${errors.length} invalid row(s); nothing was stored`, { rows: errors });
  return sources;
}

export const adminRevenueRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const tags = ['admin: revenue'];
  const em = () => deps.orm.em.fork() as EntityManager;
  const handle = (m: string) =>
    workflowHandle(deps.temporal, 'revenueDistribution', workflowIds.revenueDistribution(m));
  const params = z.object({ month });

  /** The workflow's live state (progress), or null once its run is gone. */
  const liveState = async (m: string): Promise<DistributionState | null> => {
    try {
      return await handle(m).query(distributionStatusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  };

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/admin/revenue/distributions',
      tags,
      summary:
        'Create a month from its revenue sources (JSON, or csv "name,amount" in whole units); starts its workflow',
      secured: true,
      before: admin,
      body: z
        .object({
          month,
          currency: z.enum(CURRENCY_CODES).default('SOL'),
          shareBps: z.number().int().min(0).max(10_000),
          sources: z
            .array(
              z
                .object({
                  name: z.string().trim().min(1).max(MAX_SOURCE_NAME_LENGTH),
                  amountBaseUnits: baseUnitsString,
                })
                .strict(),
            )
            .min(1)
            .max(MAX_SOURCES)
            .optional(),
          csv: z.string().min(1).max(100_000).optional(),
          fundingSignature: txSignature.optional(),
        })
        .strict(),
      responses: { 201: { description: 'Created', schema: CreatedDistributionSchema } },
      errors: [403, 409],
    },
    async ({ body }, req, res) => {
      if ((body.sources === undefined) === (body.csv === undefined)) {
        throw badRequest('sources: give exactly one of sources (JSON) or csv');
      }
      const sources = body.sources ?? sourcesFromCsv(body.csv ?? '', body.currency);
      const names = new Set(sources.map((s) => s.name.trim()));
      if (names.size !== sources.length) throw badRequest('sources: a source name is listed twice');
      const total = sources.reduce((sum, s) => sum + BigInt(s.amountBaseUnits), 0n);
      if (total > MAX_BASE_UNITS)
        throw badRequest('sources: the total is larger than the largest on-chain amount');
      if (await findDistribution(em(), body.month))
        throw conflict(`month: a distribution for ${body.month} already exists`);
      const funded = body.fundingSignature ? await monthFundedBy(em(), body.fundingSignature) : null;
      if (funded) {
        throw failureError(
          'FundingAlreadyUsed',
          `fundingSignature: ${body.fundingSignature} already funds ${funded}; one funding transaction funds one month`,
          { month: funded },
        );
      }
      const input: RevenueDistributionInput = {
        month: body.month,
        currency: body.currency,
        sources,
        shareBps: body.shareBps,
        createdBy: signedInWallet(req),
        approvalsRequired: deps.config.revenue.approvalsRequired,
        claimWindowMs: deps.config.revenue.claimWindowMs,
        snapshotChunkSize: deps.config.revenue.snapshotChunkSize,
        fundingSignature: body.fundingSignature ?? null,
        adminWallets: deps.config.auth.adminWallets,
        // The memo at approval needs the signer; a month without it cannot pay its claims either.
        anchored: deps.config.solana.payerKeyFile !== undefined,
      };
      const started = await startWorkflow(
        deps.temporal,
        deps.config.temporal.taskQueue,
        'revenueDistribution',
        {
          workflowId: workflowIds.revenueDistribution(body.month),
          args: [input],
          policy: 'once',
          summary: `Revenue distribution ${body.month}: ${sources.length} source(s), ${total} base units ${body.currency}, ${body.shareBps} bps`,
        },
      );
      if (!started) throw conflict(`month: a distribution for ${body.month} already exists`);
      // Answer once the draft row is written: a create that lost a race for its funding
      // signature is refused there (FundingAlreadyUsed, the run fails) and answered 409.
      await firstStepWithin(started, () => findDistribution(em(), body.month), DRAFT_WAIT_MS);
      const { adminWallets: _approvers, anchored: _anchored, ...created } = input;
      res.status(201).json({ workflowId: workflowIds.revenueDistribution(body.month), ...created });
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/revenue/distributions',
      tags,
      summary: 'Every distribution (any status) with claim counts',
      secured: true,
      before: admin,
      query: z.object({ format: z.enum(['json', 'csv']).default('json') }).strict(),
      responses: {
        200: {
          description: 'Distributions (or text/csv)',
          schema: z.object({ distributions: z.array(DistributionSchema) }),
        },
      },
      errors: [403],
    },
    async ({ query }, _req, res) => {
      const all = await listDistributions(em());
      if (query.format === 'csv') {
        const rows = all.map((d) => ({ ...d, approvals: d.approvals.map((a) => a.wallet).join(' ') }));
        sendCsv(res, 'revenue-distributions.csv', DISTRIBUTION_CSV_COLUMNS, rows);
        return;
      }
      return {
        distributions: all.map((d) => ({ ...distributionBody(d), status: d.status, approvals: d.approvals })),
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/revenue/distributions/:month',
      tags,
      summary: 'One distribution with its approvals and live snapshot progress (workflow query `status`)',
      secured: true,
      before: admin,
      params,
      responses: { 200: { description: 'The distribution', schema: DistributionDetailSchema } },
      errors: [403, 404],
    },
    async ({ params: p }) => {
      const d = await findDistribution(em(), p.month);
      const live = await liveState(p.month);
      if (!d && !live) throw notFound(`month: there is no distribution for ${p.month}`);
      return {
        ...(d ? { ...distributionBody(d), approvals: d.approvals, snapshotDone: d.snapshotDone } : {}),
        month: p.month,
        workflowId: workflowIds.revenueDistribution(p.month),
        workflow: live,
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/revenue/distributions/:month/claims',
      tags,
      summary:
        'Claim status per snapshot pass (owner at the snapshot; paginated; format=csv exports every pass, streamed)',
      secured: true,
      before: admin,
      params,
      query: pagination.extend({ format: z.enum(['json', 'csv']).default('json') }).strict(),
      responses: {
        200: { description: 'Passes with their claim status (or text/csv)', schema: PassClaimsSchema },
      },
      errors: [403, 404],
    },
    async ({ params: p, query }, _req, res) => {
      const d = await findDistribution(em(), p.month);
      if (!d) throw notFound(`month: there is no distribution for ${p.month}`);
      if (query.format === 'csv') {
        await streamCsv(res, `${p.month}-claims.csv`, PASS_CLAIM_CSV_COLUMNS, (last) =>
          passClaimStatusesAfter(em(), d.id, last?.passMint ?? '', STREAM_PAGE_ROWS),
        );
        return;
      }
      const { passes, total } = await passClaimStatuses(em(), d.id, query.page, query.pageSize);
      return {
        month: p.month,
        snapshotSlot: d.snapshotSlot,
        snapshotDone: d.snapshotDone,
        passes,
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/revenue/claims.csv',
      tags,
      summary: 'CSV export of every claim (optionally of one month)',
      secured: true,
      before: admin,
      query: z.object({ month: month.optional() }).strict(),
      responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
      errors: [403],
    },
    async ({ query }, _req, res) => {
      sendCsv(res, 'revenue-claims.csv', CLAIM_CSV_COLUMNS, await allClaims(em(), query.month));
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/admin/revenue/passes',
      tags,
      summary:
        'Import the Revenue Pass hash list into nft_mints (mints: JSON array, or csv: one mint per line)',
      secured: true,
      before: admin,
      body: z
        .object({
          mints: z.array(mintAddress).min(1).max(MAX_IMPORT).optional(),
          csv: z
            .string()
            .min(1)
            .max(MAX_IMPORT * 50)
            .optional(),
        })
        .strict(),
      responses: { 200: { description: 'Imported', schema: PassImportSchema } },
      errors: [403, 409],
    },
    async ({ body }) => {
      if ((body.mints === undefined) === (body.csv === undefined)) {
        throw badRequest('mints: give exactly one of mints (JSON array) or csv');
      }
      let mints = body.mints;
      if (!mints) {
        const lines = (body.csv ?? '')
          .split(/\r?\n/)
          .map(
            (l) =>
              l
                .split(',')[0]
                ?.trim()
                .replace(/^"(.*)"$/, '$1') ?? '',
          )
          .filter((l) => l !== '' && !/^mint(_?address)?$/i.test(l));
        const errors = lines
          .map((l, i) => ({ row: i + 1, ok: isAddress(l) }))
          .filter((r) => !r.ok)
          .map((r) => ({ row: r.row, message: 'not a base58 mint address (32 bytes)' }));
        if (errors.length || lines.length === 0) {
          throw badRequest(`csv: ${errors.length || 'no'} invalid row(s); nothing was stored`, {
            rows: errors,
          });
        }
        if (lines.length > MAX_IMPORT) throw badRequest(`csv: at most ${MAX_IMPORT} mints per import`);
        mints = lines;
      }
      mints = [...new Set(mints)];
      const result = await importPassMints(em(), mints);
      if (result.otherCollection.length) {
        throw conflict('mints: some mints are listed in another collection; nothing was stored', {
          mints: result.otherCollection,
        });
      }
      return { collection: 'revenue-pass', received: mints.length, ...result };
    },
  );

  const actions = {
    router,
    registry,
    basePath,
    temporal: deps.temporal,
    tags,
    before: admin,
  };
  const workflowId = (p: { month: string }) => workflowIds.revenueDistribution(p.month);
  /** No run to update: a month whose run has finished is a 409, one never created a 404. */
  const whenNoRun = async (p: { month: string }) => {
    const d = await findDistribution(em(), p.month);
    return d
      ? conflict(`${p.month} is ${d.status}: its workflow has finished and accepts no changes`)
      : notFound('no running workflow for this month');
  };

  addAdminAction(actions, {
    path: '/admin/revenue/distributions/:month/approve',
    summary:
      'Approve as the signed-in admin (workflow update `approve`); REVENUE_APPROVALS_REQUIRED distinct admins open claims',
    params,
    body: z.object({ fundingSignature: txSignature.optional() }).strict(),
    response: DistributionStateSchema,
    update: approveUpdate,
    workflowId,
    args: (b, wallet): ArgsOf<typeof approveUpdate> => [
      { adminWallet: wallet, fundingSignature: b.fundingSignature },
    ],
    whenNoRun,
  });
  addAdminAction(actions, {
    path: '/admin/revenue/distributions/:month/cancel',
    summary: 'Cancel before claims open (workflow update `cancel`)',
    params,
    body: z.object({ reason: z.string().max(500).optional() }).strict(),
    response: DistributionStateSchema,
    update: cancelUpdate,
    workflowId,
    args: (b): ArgsOf<typeof cancelUpdate> => [{ reason: b.reason }],
    whenNoRun,
  });
  addAdminAction(actions, {
    path: '/admin/revenue/distributions/:month/close',
    summary: 'Close claims now and record the unclaimed total (workflow update `close`)',
    params,
    body: z.object({}).strict(),
    response: DistributionStateSchema,
    update: closeUpdate,
    workflowId,
    args: () => [],
    whenNoRun,
  });

  addMonthReconciliationRoute({ deps, router, registry, basePath }, admin, tags);
};
