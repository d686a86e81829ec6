/**
 * The round's reconciliation (GET /api/v1/admin/lottery/rounds/:id/reconciliation, the same
 * figures as `npm run reconcile -- <roundId>`): per-currency totals that must balance to the
 * base unit, every submitted signature against the chain, the unclaimed treasury transfers.
 */
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { BalanceBadge, ReconciliationSection } from '@/components/reconciliation';
import { StatusBadge } from '@/components/status-badge';
import { Key, WalletLink } from '@/components/wallet';
import { withCurrency, type Currency } from '@/lib/amount';

type Reconciliation = Schemas['RoundReconciliation'];
type Signature = Reconciliation['signatures'][number];
type Total = Reconciliation['totals'][number];
type Unclaimed = Reconciliation['unclaimed'][number];

/** "0.01 SOL · 1 USDC", leaving out currencies with nothing. */
const bothCurrencies = (amounts: { SOL: string; USDC: string }) =>
  (['SOL', 'USDC'] as const)
    .filter((c) => amounts[c] !== '0')
    .map((c) => withCurrency(amounts[c], c))
    .join(' · ') || '0';

const totalCol = createColumnHelper<Total>();
const totalColumns = [
  totalCol.accessor('currency', { header: 'Currency' }),
  ...(
    [
      ['receivedBaseUnits', 'Received'],
      ['ticketValueBaseUnits', 'Tickets'],
      ['refundsOwedBaseUnits', 'Refunds owed'],
      ['refundsPaidBaseUnits', 'of which paid'],
      ['unclaimedBaseUnits', 'Unclaimed'],
      ['differenceBaseUnits', 'Difference'],
    ] as const
  ).map(([field, header]) =>
    totalCol.accessor(field, {
      header,
      cell: (c) => (
        <span className="tabular-nums">
          {withCurrency(c.getValue(), c.row.original.currency as Currency)}
        </span>
      ),
    }),
  ),
  totalCol.accessor('balanced', {
    header: '',
    cell: (c) => <BalanceBadge balanced={c.getValue()} testId={`balance-${c.row.original.currency}`} />,
  }),
];

const sigCol = createColumnHelper<Signature>();
const signatureColumns = [
  sigCol.accessor('signature', { header: 'Transaction', cell: (c) => <Key value={c.getValue()} /> }),
  sigCol.accessor('wallet', { header: 'Wallet', cell: (c) => <WalletLink address={c.getValue()} /> }),
  sigCol.display({
    id: 'status',
    header: 'Status',
    cell: ({ row: { original: s } }) => (
      <>
        <StatusBadge status={s.status} /> <span className="text-xs">{s.kind}</span>
      </>
    ),
  }),
  sigCol.accessor('chainPaidBaseUnits', { header: 'Chain paid', cell: (c) => bothCurrencies(c.getValue()) }),
  sigCol.display({
    id: 'tickets',
    header: 'Tickets',
    cell: ({ row: { original: s } }) =>
      s.tickets === 0 ? '—' : `${s.tickets} · ${bothCurrencies(s.ticketValueBaseUnits)}`,
  }),
  sigCol.display({
    id: 'refund',
    header: 'Refund owed',
    cell: ({ row: { original: s } }) =>
      s.refundOwedBaseUnits === '0' ? (
        '—'
      ) : (
        <>
          {withCurrency(s.refundOwedBaseUnits, (s.currency ?? 'SOL') as Currency)}{' '}
          {s.refundPayout ? (
            <>
              <StatusBadge status={s.refundPayout.status} /> <Key value={s.refundPayout.signature} />
            </>
          ) : (
            <StatusBadge status="owed" />
          )}
        </>
      ),
  }),
];

const unclaimedCol = createColumnHelper<Unclaimed>();
const unclaimedColumns = [
  unclaimedCol.accessor('signature', { header: 'Transaction', cell: (c) => <Key value={c.getValue()} /> }),
  unclaimedCol.accessor('paidBaseUnits', {
    header: 'Paid the treasury',
    cell: (c) => bothCurrencies(c.getValue()),
  }),
];

export function RoundReconciliationPanel({ roundId }: { roundId: string }) {
  const reconciliation = useQuery(queries.roundReconciliation(roundId));
  return (
    <ReconciliationSection
      description="Per currency, received = tickets + refunds owed (paid or not) + unclaimed, to the base unit (npm run reconcile -- <roundId>)."
      query={reconciliation}
    >
      {(r) => (
        <div className="flex flex-col gap-6">
          <DataTable
            label="Totals"
            columns={totalColumns}
            rows={r.totals}
            empty="No totals."
            rowId={(t) => t.currency}
          />
          <div className="flex flex-col gap-2">
            <h3 className="text-sm font-medium">Submitted signatures</h3>
            <DataTable
              label="Submitted signatures"
              columns={signatureColumns}
              rows={r.signatures}
              empty="Nothing was submitted for this round."
              rowId={(s) => s.signature}
            />
          </div>
          <div className="flex flex-col gap-2">
            <h3 className="text-sm font-medium">Unclaimed treasury transfers in the sales window</h3>
            <DataTable
              label="Unclaimed transfers"
              columns={unclaimedColumns}
              rows={r.unclaimed}
              empty="Every transfer to the treasury in the sales window was submitted."
              rowId={(u) => u.signature}
            />
          </div>
        </div>
      )}
    </ReconciliationSection>
  );
}
