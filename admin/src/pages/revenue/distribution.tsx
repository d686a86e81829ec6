import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { api, unwrap, type Schemas } from '@/api/client';
import { keys, queries } from '@/api/queries';
import { useAuth } from '@/auth/auth';
import { ActionDialog } from '@/components/action-dialog';
import { CsvButton } from '@/components/csv-button';
import { DataTable } from '@/components/data-table';
import { CancelAction } from '@/components/cancel-action';
import { PageHeader, Section, Stat, StatGrid } from '@/components/page';
import { QueryView } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { Progress } from '@/components/ui/progress';
import { displayBps, withCurrency, type Currency } from '@/lib/amount';
import { Key, WalletLink } from '@/components/wallet';
import { formatTime } from '@/lib/utils';
import { MonthReconciliationPanel } from './reconciliation-panel';

type Detail = Schemas['AdminRevenueDistributionDetail'];
type Pass = Schemas['AdminRevenuePassClaims']['passes'][number];

const refresh = [keys.revenue, keys.overview];

function Actions({ d }: { d: Detail }) {
  const { me } = useAuth();
  const path = { params: { path: { month: d.month } } };
  const state = d.workflow;
  const approvals = state?.approvals ?? d.approvals ?? [];
  const required = state?.approvalsRequired ?? 1;
  const status = state?.status ?? d.status ?? 'unknown';
  const mine = approvals.some((a) => a.wallet === me?.walletAddress);
  return (
    <>
      <ActionDialog
        label="Approve"
        title={`Approve the ${d.month} distribution?`}
        description={
          <div className="flex flex-col gap-2">
            <p>
              Claims open after {required} distinct admin approval{required === 1 ? '' : 's'};{' '}
              {approvals.length} so far.
            </p>
            {approvals.length > 0 && (
              <ul className="list-disc pl-5">
                {approvals.map((a) => (
                  <li key={a.wallet} className="font-mono text-xs">
                    {a.wallet} at {formatTime(a.at)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        }
        disabled={status !== 'awaiting_approval' || mine}
        disabledReason={mine ? 'You have approved this month' : 'Approval comes after the snapshot'}
        run={() =>
          unwrap(api.POST('/api/v1/admin/revenue/distributions/{month}/approve', { ...path, body: {} }))
        }
        success={(s) =>
          `${d.month} approved by ${s.approvals.length} of ${s.approvalsRequired} admin(s)` +
          (s.approvals.length >= s.approvalsRequired ? ': claims open now' : '')
        }
        invalidate={refresh}
      />
      <ActionDialog
        label="Close claims"
        variant="outline"
        title={`Close the claims of ${d.month}?`}
        description="No more claims are accepted; the unclaimed total is recorded and stays in the treasury."
        disabled={status !== 'open'}
        disabledReason="Only an open distribution can be closed"
        run={() =>
          unwrap(api.POST('/api/v1/admin/revenue/distributions/{month}/close', { ...path, body: {} }))
        }
        success={() => `${d.month} closed`}
        invalidate={refresh}
      />
      <CancelAction
        label="Cancel"
        title={`Cancel the ${d.month} distribution?`}
        description="Possible until claims open. Nothing is paid."
        disabled={!['draft', 'snapshotting', 'awaiting_approval'].includes(status)}
        disabledReason="Claims are open or finished: it can no longer be cancelled"
        confirmLabel="Cancel distribution"
        cancel={(reason) =>
          unwrap(
            api.POST('/api/v1/admin/revenue/distributions/{month}/cancel', { ...path, body: { reason } }),
          )
        }
        success={() => `${d.month} cancelled`}
        invalidate={refresh}
      />
    </>
  );
}

function Snapshot({ d }: { d: Detail }) {
  const snap = d.workflow?.snapshot;
  const done = snap?.done ?? d.snapshotDone ?? 0;
  const total = snap?.total ?? d.passCount ?? 0;
  const pct = total > 0 ? Math.round((done / total) * 100) : d.status === 'draft' ? 0 : 100;
  const approvals = d.workflow?.approvals ?? d.approvals ?? [];
  return (
    <Section
      title="Snapshot and approvals"
      description="Owners of each listed pass at the snapshot slot are the ones paid."
    >
      <div className="flex flex-col gap-4">
        <div className="flex flex-col gap-2">
          <Progress value={pct} aria-label="Snapshot progress" />
          <p className="text-muted-foreground text-sm" data-testid="snapshot-progress">
            {done} of {total} passes resolved ({pct} %)
            {(snap?.slot ?? d.snapshotSlot) ? ` at slot ${snap?.slot ?? d.snapshotSlot}` : ''}
            {snap ? ` · ${snap.holders} held` : ''}
          </p>
        </div>
        <div>
          <p className="text-sm font-medium">
            Approvals: {approvals.length} of {d.workflow?.approvalsRequired ?? '—'} required
          </p>
          {approvals.length === 0 ? (
            <p className="text-muted-foreground text-sm">No admin has approved yet.</p>
          ) : (
            <ul className="mt-1 flex flex-col gap-1 text-sm">
              {approvals.map((a) => (
                <li key={a.wallet}>
                  <span className="font-mono text-xs">{a.wallet}</span> · {formatTime(a.at)}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Section>
  );
}

function Claims({ month, currency }: { month: string; currency: Currency }) {
  const [page, setPage] = useState(1);
  const claims = useQuery(queries.claims(month, page));
  const col = createColumnHelper<Pass>();
  const columns = [
    col.accessor('passMint', { header: 'Pass', cell: (c) => <Key value={c.getValue()} /> }),
    col.accessor('ownerWallet', {
      header: 'Owner at snapshot',
      cell: (c) => <WalletLink address={c.getValue()} />,
    }),
    col.accessor('claimStatus', { header: 'Claim', cell: (c) => <StatusBadge status={c.getValue()} /> }),
    col.accessor('amountBaseUnits', {
      header: 'Amount',
      cell: (c) => (c.getValue() ? withCurrency(c.getValue(), currency) : '—'),
    }),
    col.accessor('transactionSignature', { header: 'Payout', cell: (c) => <Key value={c.getValue()} /> }),
    col.accessor('paidAt', {
      header: 'Paid',
      cell: (c) => <span className="text-xs">{formatTime(c.getValue())}</span>,
    }),
  ];
  return (
    <Section
      title="Claims per pass"
      actions={
        <>
          <CsvButton
            path={`/api/v1/admin/revenue/distributions/${month}/claims?format=csv`}
            fileName={`${month}-claims.csv`}
            label="Passes CSV"
          />
          <CsvButton
            path={`/api/v1/admin/revenue/claims.csv?month=${month}`}
            fileName="revenue-claims.csv"
            label="Claims CSV"
          />
        </>
      }
    >
      <DataTable
        label="Claims per pass"
        columns={columns}
        rows={claims.data?.passes}
        query={claims}
        empty="No passes in the snapshot yet."
        rowId={(p) => p.passMint}
        paging={{ page, pageSize: 25, total: claims.data?.total ?? 0, onPage: setPage }}
      />
    </Section>
  );
}

export default function DistributionPage() {
  const { month = '' } = useParams();
  const distribution = useQuery(queries.distribution(month));
  return (
    <QueryView query={distribution} loadingRows={8}>
      {(d) => {
        const currency = (d.currency ?? d.workflow?.currency ?? 'SOL') as Currency;
        const status = d.workflow?.status ?? d.status;
        return (
          <>
            <PageHeader
              title={
                <span className="flex flex-wrap items-center gap-3">
                  Revenue {d.month} <StatusBadge status={status} />
                </span>
              }
              description={
                <>
                  <Link to="/revenue" className="underline-offset-4 hover:underline">
                    Revenue Pass
                  </Link>{' '}
                  · workflow <span className="font-mono">{d.workflowId}</span>
                  {d.workflow?.cancelReason && ` · cancelled: ${d.workflow.cancelReason}`}
                </>
              }
              actions={<Actions d={d} />}
            />
            <Snapshot d={d} />
            <Section title="Amounts">
              <StatGrid>
                <Stat
                  label="Revenue"
                  value={withCurrency(d.totalRevenueBaseUnits ?? d.workflow?.totalRevenueBaseUnits, currency)}
                />
                <Stat
                  label="Holders' share"
                  value={d.shareBps === undefined ? '—' : displayBps(d.shareBps)}
                />
                <Stat
                  label="To holders"
                  value={withCurrency(
                    d.distributionAmountBaseUnits ?? d.workflow?.distributionAmountBaseUnits,
                    currency,
                  )}
                />
                <Stat
                  label="Per pass"
                  value={withCurrency(
                    d.perPassAmountBaseUnits ?? d.workflow?.perPassAmountBaseUnits,
                    currency,
                  )}
                  hint={`dust ${withCurrency(d.dustBaseUnits ?? d.workflow?.dustBaseUnits, currency)}`}
                />
                <Stat label="Passes" value={d.passCount ?? d.workflow?.passCount ?? '—'} />
                <Stat label="Claims" value={d.claimedCount ?? 0} />
                <Stat
                  label="Claim deadline"
                  value={formatTime(d.claimDeadline ?? d.workflow?.claimDeadline)}
                />
                <Stat
                  label="Unclaimed at close"
                  value={withCurrency(d.unclaimedBaseUnits ?? d.workflow?.unclaimedBaseUnits, currency)}
                />
              </StatGrid>
              {d.sources && d.sources.length > 0 && (
                <ul className="mt-4 flex flex-col gap-1 text-sm">
                  {d.sources.map((s) => (
                    <li key={s.name} className="flex justify-between gap-3 border-b py-1 last:border-0">
                      <span className="break-all">{s.name}</span>
                      <span className="tabular-nums">{withCurrency(s.amountBaseUnits, currency)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Claims month={d.month} currency={currency} />
            {/* Before the snapshot splits it there is nothing to reconcile the declared amount against. */}
            {d.status && !['draft', 'snapshotting'].includes(d.status) && (
              <MonthReconciliationPanel month={d.month} />
            )}
          </>
        );
      }}
    </QueryView>
  );
}
