import type { EntityManager } from '@mikro-orm/postgresql';

/** The figures the admin overview shows, read in one round of queries. */
export async function overviewFigures(em: EntityManager) {
  const conn = em.getConnection();
  const [rounds, distributions, projects] = await Promise.all([
    conn.execute<
      {
        id: string;
        status: string;
        total_tickets_sold: number;
        prize_pool_lamports: string;
        end_date: Date;
        drawing_date: Date | null;
      }[]
    >(
      `select id, status, total_tickets_sold, prize_pool_lamports::text, end_date, drawing_date
         from lottery_rounds where status in ('scheduled', 'active', 'closing', 'drawing')
        order by start_date asc limit 1`,
    ),
    conn.execute<{ status: string; n: number; distributed: string }[]>(
      `select status, count(*)::int as n, coalesce(sum(distribution_amount_base_units), 0)::text as distributed
         from revenue_distributions group by status`,
    ),
    conn.execute<{ status: string; n: number }[]>(
      `select status, count(*)::int as n from utility_projects group by status`,
    ),
  ]);
  const round = rounds[0];
  return {
    currentRound: round
      ? {
          id: round.id,
          status: round.status,
          ticketsSold: round.total_tickets_sold,
          prizePoolLamports: round.prize_pool_lamports,
          endDate: new Date(round.end_date).toISOString(),
          drawingDate: round.drawing_date ? new Date(round.drawing_date).toISOString() : null,
        }
      : null,
    distributions: Object.fromEntries(
      distributions.map((d) => [d.status, { count: d.n, amountBaseUnits: d.distributed }]),
    ),
    utilityQueue: Object.fromEntries(projects.map((p) => [p.status, p.n])),
  };
}
