import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { ExternalLink, PageHeader, Section } from '@/components/page';
import { StatusBadge } from '@/components/status-badge';
import { withCurrency } from '@/lib/amount';
import { formatTime } from '@/lib/utils';
import { CreateRoundDialog } from './create-round';

type Round = Schemas['AdminLotteryRound'];
const col = createColumnHelper<Round>();

const columns = [
  col.accessor('id', {
    header: 'Round',
    cell: (c) => (
      <Link
        to={`/lottery/${c.getValue()}`}
        className="text-primary font-medium underline-offset-4 hover:underline"
      >
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  col.display({
    id: 'window',
    header: 'Sales window (UTC)',
    cell: ({ row: { original: r } }) => (
      <span className="text-xs">
        {formatTime(r.startDate)}
        <br />→ {formatTime(r.endDate)}
      </span>
    ),
  }),
  col.accessor('totalTicketsSold', {
    header: 'Tickets sold',
    cell: (c) => (
      <span className="font-semibold tabular-nums" data-testid="tickets-sold">
        {c.getValue()}
      </span>
    ),
  }),
  col.display({
    id: 'received',
    header: 'Received',
    cell: ({ row: { original: r } }) => (
      <span className="text-xs tabular-nums">
        {withCurrency(r.receivedLamports, 'SOL')}
        <br />
        {withCurrency(r.receivedUsdc, 'USDC')}
      </span>
    ),
  }),
  col.accessor('prizePoolLamports', { header: 'Prize pool', cell: (c) => withCurrency(c.getValue(), 'SOL') }),
  col.display({
    id: 'refunds',
    header: 'Refunds owed',
    cell: ({ row: { original: r } }) =>
      r.refundsOwedLamports === '0' && r.refundsOwedUsdc === '0' ? (
        '—'
      ) : (
        <span className="text-xs text-red-800 tabular-nums">
          {withCurrency(r.refundsOwedLamports, 'SOL')}
          <br />
          {withCurrency(r.refundsOwedUsdc, 'USDC')}
        </span>
      ),
  }),
  col.display({
    id: 'workflow',
    header: 'Workflow',
    cell: ({ row: { original: r } }) => <ExternalLink href={r.workflow.url}>Temporal</ExternalLink>,
  }),
];

export default function LotteryPage() {
  const [page, setPage] = useState(1);
  const rounds = useQuery(queries.rounds(page));
  return (
    <>
      <PageHeader
        title="Lottery"
        description="Rounds with live sales (refreshed every few seconds). Open a round to see its tickets, draw it and check its proof."
        actions={<CreateRoundDialog />}
      />
      <Section title="Rounds" description="Newest first">
        <DataTable
          label="Lottery rounds"
          columns={columns}
          rows={rounds.data?.rounds}
          query={rounds}
          empty="No rounds yet: create the first one."
          rowId={(r) => r.id}
          paging={{ page, pageSize: 20, onPage: setPage }}
        />
      </Section>
    </>
  );
}
