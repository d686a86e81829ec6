import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCY_CODES, type Currency } from '../domain/money';
import { sql } from './sql';

interface DistributionTotals {
  count: number;
  /** Distribution amounts per currency, in that currency's base units (never added across currencies). */
  amountBaseUnitsByCurrency: Record<Currency, string>;
}

/** Rows per (status, currency) → per status: months counted, amounts kept per currency. */
function distributionsPerStatus(
  rows: { status: string; currency: Currency; n: number; distributed: string }[],
): Record<string, DistributionTotals> {
  const out: Record<string, DistributionTotals> = {};
  for (const r of rows) {
    const totals = (out[r.status] ??= {
      count: 0,
      amountBaseUnitsByCurrency: Object.fromEntries(CURRENCY_CODES.map((c) => [c, '0'])) as Record<
        Currency,
        string
      >,
    });
    totals.count += r.n;
    totals.amountBaseUnitsByCurrency[r.currency] = r.distributed;
  }
  return out;
}

/** The figures the admin overview shows, read in one round of queries. */
export async function overviewFigures(em: EntityManager) {
  const [rounds, distributions, projects] = await Promise.all([
    sql<{
      id: string;
      status: string;
      total_tickets_sold: number;
      prize_pool_lamports: string;
      end_date: Date;
      drawing_date: Date | null;
    }>(
      em,
      `select id, status, total_tickets_sold, prize_pool_lamports::text, end_date, drawing_date
         from lottery_rounds where status in ('scheduled', 'active', 'closing', 'drawing')
        order by start_date asc limit 1`,
    ),
    sql<{ status: string; currency: Currency; n: number; distributed: string }>(
      em,
      `select status, currency, count(*)::int as n, coalesce(sum(distribution_amount_base_units), 0)::text as distributed
         from revenue_distributions group by status, currency`,
    ),
    sql<{ status: string; n: number }>(
      em,
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
    distributions: distributionsPerStatus(distributions),
    utilityQueue: Object.fromEntries(projects.map((p) => [p.status, p.n])),
  };
}

export type SalesBucket = 'hour' | 'day';

export interface SalesPoint {
  /** Start of the bucket (UTC). */
  at: string;
  tickets: number;
  /** Of `tickets`, how many were earned by burning NFTs. */
  burned: number;
  lamports: string;
  usdcBaseUnits: string;
}

const BUCKET_MS: Record<SalesBucket, number> = { hour: 3_600_000, day: 86_400_000 };

/**
 * Tickets issued per UTC hour or day from `since` until now, optionally of one round, with
 * what they were paid (base units); buckets without sales are included as zeros, so a chart
 * can draw the series as it is.
 */
export async function ticketSales(
  em: EntityManager,
  opts: { bucket: SalesBucket; since: Date; roundId?: string },
): Promise<SalesPoint[]> {
  const rows = await sql<{ at: Date; tickets: number; burned: number; lamports: string; usdc: string }>(
    em,
    `select date_trunc(?, created_at, 'UTC') as at, count(*)::int as tickets,
            (count(*) filter (where acquisition_method = 'burn'))::int as burned,
            coalesce(sum(amount_paid_base_units) filter (where payment_method = 'SOL'), 0)::text as lamports,
            coalesce(sum(amount_paid_base_units) filter (where payment_method = 'USDC'), 0)::text as usdc
       from lottery_tickets
      where created_at >= ? ${opts.roundId ? 'and lottery_round = ?' : ''}
      group by 1 order by 1`,
    [opts.bucket, opts.since, ...(opts.roundId ? [opts.roundId] : [])],
  );
  const byStart = new Map(rows.map((r) => [new Date(r.at).getTime(), r]));
  const step = BUCKET_MS[opts.bucket];
  const points: SalesPoint[] = [];
  for (let t = Math.floor(opts.since.getTime() / step) * step; t <= Date.now(); t += step) {
    const r = byStart.get(t);
    points.push({
      at: new Date(t).toISOString(),
      tickets: r?.tickets ?? 0,
      burned: r?.burned ?? 0,
      lamports: r?.lamports ?? '0',
      usdcBaseUnits: r?.usdc ?? '0',
    });
  }
  return points;
}
