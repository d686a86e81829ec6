import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { queries } from '@/api/queries';
import { PageHeader, Section, Stat, StatGrid } from '@/components/page';
import { Empty, Loading, QueryView } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { Tabs, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { withCurrency } from '@/lib/amount';
import { formatTime } from '@/lib/utils';

const SalesChart = lazy(() => import('@/components/sales-chart'));

/** "status → count" as a short list, in the order given (then the rest). */
function Counts({ counts, order = [] }: { counts: Record<string, number>; order?: string[] }) {
  const keys = [
    ...order.filter((k) => k in counts),
    ...Object.keys(counts).filter((k) => !order.includes(k)),
  ];
  if (keys.length === 0) return <Empty>None yet.</Empty>;
  return (
    <ul className="flex flex-col gap-1.5 text-sm">
      {keys.map((k) => (
        <li key={k} className="flex items-center justify-between gap-2">
          <StatusBadge status={k} />
          <span className="font-semibold tabular-nums">{counts[k]}</span>
        </li>
      ))}
    </ul>
  );
}

export default function OverviewPage() {
  const overview = useQuery(queries.overview());
  const [bucket, setBucket] = useState<'hour' | 'day'>('day');
  const sales = useQuery(queries.sales(bucket));
  return (
    <>
      <PageHeader
        title="Overview"
        description="The current round, distributions, the project queue, e-mail and system health."
      />
      <QueryView query={overview} loadingRows={8}>
        {(o) => (
          <>
            <Section
              title="Current round"
              actions={
                o.currentRound && (
                  <Link
                    className="text-primary text-sm underline-offset-4 hover:underline"
                    to={`/lottery/${o.currentRound.id}`}
                  >
                    Open round
                  </Link>
                )
              }
            >
              {o.currentRound ? (
                <StatGrid>
                  <Stat
                    label="Round"
                    value={o.currentRound.id}
                    hint={<StatusBadge status={o.currentRound.status} />}
                  />
                  <Stat label="Tickets sold" value={o.currentRound.ticketsSold.toLocaleString('en')} />
                  <Stat label="Prize pool" value={withCurrency(o.currentRound.prizePoolLamports, 'SOL')} />
                  <Stat
                    label="Sales end"
                    value={formatTime(o.currentRound.endDate)}
                    hint={o.currentRound.drawingDate && `Draw ${formatTime(o.currentRound.drawingDate)}`}
                  />
                </StatGrid>
              ) : (
                <Empty>
                  No round is scheduled or selling.{' '}
                  <Link to="/lottery" className="underline">
                    Create one
                  </Link>
                  .
                </Empty>
              )}
            </Section>
            <div className="grid gap-6 md:grid-cols-2 xl:grid-cols-4">
              <Section title="Revenue distributions" description="Months per status">
                <Counts
                  counts={Object.fromEntries(Object.entries(o.distributions).map(([s, d]) => [s, d.count]))}
                  order={['snapshotting', 'awaiting_approval', 'open', 'closed']}
                />
              </Section>
              <Section title="Utility queue" description="Projects per status">
                <Counts
                  counts={o.utilityQueue}
                  order={['pending_review', 'needs_info', 'approved', 'in_progress']}
                />
              </Section>
              <Section title="E-mail backlog" description="Outbox per status">
                <Counts counts={o.emailBacklog} order={['pending', 'sending', 'failed', 'sent']} />
              </Section>
              <Section
                title="System health"
                description={o.health.ok ? 'Every dependency answers' : 'Something is down'}
              >
                <ul className="flex flex-col gap-1.5 text-sm">
                  {Object.entries(o.health.checks).map(([name, check]) => (
                    <li key={name} className="flex items-start justify-between gap-2">
                      <span className="min-w-0">
                        {name}
                        {check.detail && (
                          <span className="text-muted-foreground block text-xs break-words">
                            {check.detail}
                          </span>
                        )}
                      </span>
                      <StatusBadge status={check.ok ? 'ok' : 'down'} />
                    </li>
                  ))}
                </ul>
              </Section>
            </div>
          </>
        )}
      </QueryView>
      <Section
        title="Ticket sales over time"
        actions={
          <Tabs value={bucket} onValueChange={(v) => setBucket(v as 'hour' | 'day')}>
            <TabsList aria-label="Chart resolution">
              <TabsTrigger value="day">Per day</TabsTrigger>
              <TabsTrigger value="hour">Per hour</TabsTrigger>
            </TabsList>
          </Tabs>
        }
      >
        <QueryView query={sales}>
          {(s) => (
            <Suspense fallback={<Loading label="Loading chart" />}>
              <SalesChart points={s.points} bucket={bucket} />
            </Suspense>
          )}
        </QueryView>
      </Section>
    </>
  );
}
