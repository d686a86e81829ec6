/**
 * The database facts the metrics gauges show (src/metrics.ts), read on scrape: aggregate
 * queries over indexed or small sets (owed refunds, the outbox by status, running snapshots).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DatabaseFacts } from '../metrics';
import { sql } from './sql';

export async function metricFacts(em: EntityManager): Promise<DatabaseFacts> {
  const [refunds, emails, oldest, snapshots] = await Promise.all([
    sql<{ currency: string | null; n: number; owed: string }>(
      em,
      `select r.currency, count(*)::int as n, coalesce(sum(r.refund_owed_base_units), 0)::text as owed
         from chain_receipts r left join payouts p on p.key = r.refund_payout_key
        where r.kind in ('purchase', 'burn') and r.refund_owed_base_units > 0 and r.status <> 'pending'
          and (p.status is null or p.status <> 'confirmed')
        group by r.currency`,
    ),
    sql<{ status: string; n: number }>(
      em,
      `select status, count(*)::int as n from email_notifications group by status`,
    ),
    sql<{ age: number | null }>(
      em,
      `select extract(epoch from now() - min(created_at))::float8 as age
         from email_notifications where status in ('pending', 'sending')`,
    ),
    sql<{ running: number; done: number; listed: number }>(
      em,
      `select count(*)::int as running, coalesce(sum(snapshot_done), 0)::int as done,
              count(*)::int * (select count(*)::int from nft_mints where collection = 'revenue-pass') as listed
         from revenue_distributions where status = 'snapshotting'`,
    ),
  ]);
  const snapshot = snapshots[0] ?? { running: 0, done: 0, listed: 0 };
  return {
    refundsOwed: refunds.map((r) => ({
      currency: r.currency ?? 'none',
      count: r.n,
      baseUnits: Number(r.owed),
    })),
    emailsByStatus: emails.map((r) => ({ status: r.status, count: r.n })),
    oldestUnsentEmailSeconds: oldest[0]?.age ?? 0,
    snapshot: { inProgress: snapshot.running, passesDone: snapshot.done, passesListed: snapshot.listed },
  };
}
