/**
 * GET /api/v1/admin/lottery/rounds/:id/reconciliation: the round's records (src/db) joined
 * with what the chain says (src/chain): every submitted signature, the unclaimed treasury
 * transfers of the sales window, per-currency totals that must balance to the base unit.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { createChainDeps } from '../../chain/deps';
import { reconcileRoundOnChain } from '../../db/lottery/reconciliation';
import type { RouteContext } from '../app';
import { notFound } from '../errors';
import { addRoute } from '../route';
import { roundId } from '../schemas';

const perCurrency = z.object({ SOL: z.string(), USDC: z.string() });
/** A payout beside the record that owes it (src/db/payout-state.ts); the month reconciliation shares it. */
export const PayoutStateSchema = z.object({
  status: z.string(),
  signature: z.string().nullable(),
  amountBaseUnits: z.string(),
});

const RoundReconciliationSchema = z
  .object({
    roundId: z.string(),
    signatures: z.array(
      z.object({
        signature: z.string(),
        kind: z.string(),
        wallet: z.string(),
        status: z.string(),
        reason: z.string().nullable(),
        tickets: z.number().int(),
        ticketValueBaseUnits: perCurrency,
        chainPaidBaseUnits: perCurrency,
        currency: z.string().nullable(),
        refundOwedBaseUnits: z.string(),
        refundPayout: PayoutStateSchema.nullable(),
      }),
    ),
    unclaimed: z.array(z.object({ signature: z.string(), paidBaseUnits: perCurrency })),
    /** How far back the treasury's history was read; `truncated`: transfers before `reachedSeconds` are not listed. */
    treasuryHistory: z.object({
      maxSignatures: z.number().int(),
      signaturesScanned: z.number().int(),
      truncated: z.boolean(),
      reachedSeconds: z.number().int().nullable(),
    }),
    totals: z.array(
      z.object({
        currency: z.string(),
        receivedBaseUnits: z.string(),
        ticketValueBaseUnits: z.string(),
        refundsOwedBaseUnits: z.string(),
        refundsPaidBaseUnits: z.string(),
        unclaimedBaseUnits: z.string(),
        differenceBaseUnits: z.string(),
        balanced: z.boolean(),
      }),
    ),
    balanced: z.boolean(),
  })
  .meta({ id: 'RoundReconciliation' });

export function addRoundReconciliationRoute(
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
      path: '/admin/lottery/rounds/:id/reconciliation',
      tags,
      summary: 'Every base unit of the round: submitted signatures vs the chain, unclaimed transfers, totals',
      secured: true,
      before,
      params: z.object({ id: roundId }),
      responses: { 200: { description: 'The reconciliation', schema: RoundReconciliationSchema } },
      errors: [403, 404],
    },
    async ({ params: p }) => {
      const reconciliation = await reconcileRoundOnChain(
        deps.orm.em.fork() as EntityManager,
        createChainDeps(deps.config),
        p.id,
      );
      if (!reconciliation) throw notFound(`round ${p.id} does not exist`);
      return reconciliation;
    },
  );
}
