import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { CsvButton } from '@/components/csv-button';
import { DataTable } from '@/components/data-table';
import { PageHeader, Section } from '@/components/page';
import { StatusBadge } from '@/components/status-badge';
import { displayBps, withCurrency } from '@/lib/amount';
import { ImportPasses, UploadMonth } from './upload-month';

type Distribution = Schemas['AdminRevenueDistribution'];
const col = createColumnHelper<Distribution>();
const columns = [
  col.accessor('month', {
    header: 'Month',
    cell: (c) => (
      <Link
        to={`/revenue/${c.getValue()}`}
        className="text-primary font-medium underline-offset-4 hover:underline"
      >
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  col.display({
    id: 'revenue',
    header: 'Revenue',
    cell: ({ row: { original: d } }) => withCurrency(d.totalRevenueBaseUnits, d.currency),
  }),
  col.accessor('shareBps', { header: 'Share', cell: (c) => displayBps(c.getValue()) }),
  col.display({
    id: 'distribution',
    header: 'To holders',
    cell: ({ row: { original: d } }) => withCurrency(d.distributionAmountBaseUnits, d.currency),
  }),
  col.display({
    id: 'perPass',
    header: 'Per pass',
    cell: ({ row: { original: d } }) => withCurrency(d.perPassAmountBaseUnits, d.currency),
  }),
  col.display({
    id: 'claims',
    header: 'Claimed / passes',
    cell: ({ row: { original: d } }) => `${d.claimedCount} / ${d.passCount ?? '—'}`,
  }),
  col.accessor('approvals', { header: 'Approvals', cell: (c) => c.getValue().length }),
];

export default function RevenuePage() {
  const distributions = useQuery(queries.distributions());
  return (
    <>
      <PageHeader
        title="Revenue Pass"
        description="Monthly distributions to pass holders: upload, snapshot, approve, claims."
        actions={
          <>
            <CsvButton
              path="/api/v1/admin/revenue/distributions?format=csv"
              fileName="revenue-distributions.csv"
              label="Distributions CSV"
            />
            <CsvButton
              path="/api/v1/admin/revenue/claims.csv"
              fileName="revenue-claims.csv"
              label="All claims CSV"
            />
          </>
        }
      />
      <Section title="Distributions" description="Newest month first">
        <DataTable
          label="Distributions"
          columns={columns}
          rows={distributions.data?.distributions}
          query={distributions}
          empty="No distributions yet: upload a month below."
          rowId={(d) => d.month}
        />
      </Section>
      <div className="grid gap-6 xl:grid-cols-[2fr_1fr]">
        <UploadMonth />
        <ImportPasses />
      </div>
    </>
  );
}
