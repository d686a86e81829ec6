/**
 * GET /api/v1/admin/revenue/distributions/:month/reconciliation: the month's declared amount
 * and split, its funding transaction against the chain, every claim row with the payout its
 * `payout_key` names (each payout listed once), totals that must balance to the base unit.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { createChainDeps } from '../../chain/deps';
import { reconcileMonthOnChain } from '../../db/revenue/reconciliation';
import type { RouteContext } from '../app';
import { notFound } from '../errors';
import { addRoute } from '../route';
import { month } from '../schemas';
import { PayoutStateSchema } from './admin-lottery-reconciliation';

const MonthReconciliationSchema = z
  .object({
    month: z.string(),
    status: z.string(),
    currency: z.string(),
    distributionAmountBaseUnits: z.string(),
    perPassAmountBaseUnits: z.string(),
    passCount: z.number().int(),
    dustBaseUnits: z.string(),
    funding: z
      .object({
        signature: z.string(),
        chainPaidBaseUnits: z.string().nullable(),
        payableBaseUnits: z.string(),
        covers: z.boolean().nullable(),
      })
      .nullable(),
    claims: z.array(
      z.object({
        passMint: z.string(),
        wallet: z.string(),
        amountBaseUnits: z.string(),
        status: z.string(),
        payoutKey: z.string(),
        payout: PayoutStateSchema.nullable(),
      }),
    ),
    payouts: z.array(
      PayoutStateSchema.extend({
        key: z.string(),
        recipient: z.string(),
        currency: z.string(),
        claimRowsBaseUnits: z.string(),
        claimRows: z.number().int(),
        matches: z.boolean(),
      }),
    ),
    totals: z.object({
      currency: z.string(),
      declaredBaseUnits: z.string(),
      paidBaseUnits: z.string(),
      owedBaseUnits: z.string(),
      unclaimedBaseUnits: z.string(),
      unclaimedPasses: z.number().int(),
      dustBaseUnits: z.string(),
      differenceBaseUnits: z.string(),
      payoutsMatch: z.boolean(),
      balanced: z.boolean(),
    }),
    balanced: z.boolean(),
  })
  .meta({ id: 'MonthReconciliation' });

export function addMonthReconciliationRoute(
  { deps, router, registry, basePath }: RouteContext,
  before: Parameters<typeof addRoute>[3]['before'],
  tags: string[],
): void {
  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/revenue/distributions/:month/reconciliation',
      tags,
      summary:
        'Every base unit of the month: declared = paid + owed + unclaimed + dust; claims with their payouts; funding vs the chain',
      secured: true,
      before,
      params: z.object({ month }),
      description: 'A month not split yet (draft, snapshotting) is a 409 naming its status.',
      responses: { 200: { description: 'The reconciliation', schema: MonthReconciliationSchema } },
      errors: [403, 404, 409],
    },
    async ({ params: p }) => {
      const reconciliation = await reconcileMonthOnChain(
        deps.orm.em.fork() as EntityManager,
        createChainDeps(deps.config),
        p.month,
      );
      if (!reconciliation) throw notFound(`month: there is no distribution for ${p.month}`);
      return reconciliation;
    },
  );
}
