/** The dashboard's first page: one read of every area's figures and the system's health. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { countEmailsByStatus } from '../../db/email/admin';
import { overviewFigures } from '../../db/overview';
import { EMAIL_STATUSES } from '../../domain/email/statuses';
import type { RouteModule } from '../app';
import { adminMiddleware, authMiddleware } from '../middleware/auth';
import { runProbes } from '../../readiness';
import { addRoute } from '../route';

const OverviewSchema = z
  .object({
    currentRound: z
      .object({
        id: z.string(),
        status: z.string(),
        ticketsSold: z.number(),
        prizePoolLamports: z.string(),
        endDate: z.string(),
        drawingDate: z.string().nullable(),
      })
      .nullable(),
    distributions: z
      .record(
        z.string(),
        z.object({
          count: z.number(),
          amountBaseUnitsByCurrency: z
            .object({ SOL: z.string(), USDC: z.string() })
            .meta({ description: 'Distribution amounts per currency: lamports (SOL), micro-USDC (USDC)' }),
        }),
      )
      .meta({
        description:
          'Per status: how many months, and their distribution amounts per currency (base units of each currency)',
      }),
    utilityQueue: z.record(z.string(), z.number()).meta({ description: 'Projects per status' }),
    emailBacklog: z.record(z.enum(EMAIL_STATUSES), z.number()),
    health: z.object({
      ok: z.boolean(),
      checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), detail: z.string().optional() })),
    }),
  })
  .meta({ id: 'AdminOverview' });

export const adminOverviewRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const em = () => deps.orm.em.fork() as EntityManager;

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/overview',
      tags: ['admin: overview'],
      summary:
        'Current round sales and prize pool, distributions, utility queue, e-mail backlog, system health',
      secured: true,
      before: [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)],
      responses: { 200: { description: 'The overview', schema: OverviewSchema } },
      errors: [403],
    },
    async (): Promise<z.output<typeof OverviewSchema>> => {
      const [figures, emails, health] = await Promise.all([
        overviewFigures(em()),
        countEmailsByStatus(em()),
        runProbes(deps.probes),
      ]);
      return { ...figures, emailBacklog: emails, health };
    },
  );
};
