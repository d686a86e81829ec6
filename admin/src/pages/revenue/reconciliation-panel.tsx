/**
 * The month's reconciliation (GET /api/v1/admin/revenue/distributions/:month/reconciliation,
 * the same figures as `npm run reconcile -- --month YYYY-MM`): declared = paid + owed +
 * unclaimed + dust to the base unit, the funding transaction against the chain, every claim
 * row with the payout its payout key names, and each payout once.
 */
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { Facts, Stat, StatGrid } from '@/components/page';
import { ReconciliationSection } from '@/components/reconciliation';
import { StatusBadge } from '@/components/status-badge';
import { Key, WalletLink } from '@/components/wallet';
import { withCurrency, type Currency } from '@/lib/amount';

type Reconciliation = Schemas['MonthReconciliation'];
type Claim = Reconciliation['claims'][number];
type Payout = Reconciliation['payouts'][number];

function claimColumns(currency: Currency) {
  const col = createColumnHelper<Claim>();
  return [
    col.accessor('passMint', { header: 'Pass', cell: (c) => <Key value={c.getValue()} /> }),
    col.accessor('wallet', { header: 'Wallet', cell: (c) => <WalletLink address={c.getValue()} /> }),
    col.accessor('amountBaseUnits', { header: 'Amount', cell: (c) => withCurrency(c.getValue(), currency) }),
    col.accessor('status', { header: 'Claim', cell: (c) => <StatusBadge status={c.getValue()} /> }),
    col.display({
      id: 'payout',
      header: 'Payout',
      cell: ({ row: { original: c } }) =>
        c.payout ? (
          <>
            <StatusBadge status={c.payout.status} /> <Key value={c.payout.signature} />
          </>
        ) : (
          'no payout row'
        ),
    }),
  ];
}

function payoutColumns(currency: Currency) {
  const col = createColumnHelper<Payout>();
  return [
    col.accessor('key', {
      header: 'Payout',
      cell: (c) => <span className="font-mono text-xs break-all">{c.getValue()}</span>,
    }),
    col.accessor('recipient', { header: 'To', cell: (c) => <WalletLink address={c.getValue()} /> }),
    col.accessor('amountBaseUnits', { header: 'Amount', cell: (c) => withCurrency(c.getValue(), currency) }),
    col.display({
      id: 'state',
      header: 'Status',
      cell: ({ row: { original: p } }) => (
        <>
          <StatusBadge status={p.status} /> <Key value={p.signature} />
        </>
      ),
    }),
    col.display({
      id: 'rows',
      header: 'Claim rows',
      cell: ({ row: { original: p } }) => (
        <>
          {p.claimRows} · {withCurrency(p.claimRowsBaseUnits, currency)}{' '}
          {!p.matches && <StatusBadge status="mismatch" />}
        </>
      ),
    }),
  ];
}

export function MonthReconciliationPanel({ month }: { month: string }) {
  const reconciliation = useQuery(queries.monthReconciliation(month));
  return (
    <ReconciliationSection
      description="Declared = paid + owed (claimed, not yet paid) + unclaimed + dust, to the base unit (npm run reconcile -- --month YYYY-MM)."
      query={reconciliation}
    >
      {(r) => {
        const currency = r.currency as Currency;
        const t = r.totals;
        return (
          <div className="flex flex-col gap-6">
            <StatGrid>
              <Stat label="Declared" value={withCurrency(t.declaredBaseUnits, currency)} />
              <Stat label="Paid" value={withCurrency(t.paidBaseUnits, currency)} />
              <Stat label="Owed: claimed, not yet paid" value={withCurrency(t.owedBaseUnits, currency)} />
              <Stat
                label="Unclaimed"
                value={withCurrency(t.unclaimedBaseUnits, currency)}
                hint={`${t.unclaimedPasses} pass(es)`}
              />
              <Stat label="Dust" value={withCurrency(t.dustBaseUnits, currency)} />
              <Stat
                label="Difference"
                value={withCurrency(t.differenceBaseUnits, currency)}
                hint={
                  t.payoutsMatch
                    ? 'every payout matches its claim rows'
                    : 'a payout differs from its claim rows'
                }
              />
            </StatGrid>
            <Facts
              items={[
                [
                  'Split',
                  `${withCurrency(r.perPassAmountBaseUnits, currency)} per pass × ${r.passCount} pass(es)`,
                ],
                [
                  'Funding',
                  r.funding ? (
                    <span>
                      <Key value={r.funding.signature} />:{' '}
                      {r.funding.chainPaidBaseUnits === null
                        ? 'not checked (the API has no payout key to name the payout wallet)'
                        : `the chain shows ${withCurrency(r.funding.chainPaidBaseUnits, currency)} to the payout wallet`}{' '}
                      for {withCurrency(r.funding.payableBaseUnits, currency)} payable{' '}
                      {r.funding.covers === false && <StatusBadge status="short" />}
                    </span>
                  ) : (
                    'no funding transaction recorded'
                  ),
                ],
              ]}
            />
            <div className="flex flex-col gap-2">
              <h3 className="text-sm font-medium">Claim rows</h3>
              <DataTable
                label="Claim rows"
                columns={claimColumns(currency)}
                rows={r.claims}
                empty="No claims yet."
                rowId={(c) => c.passMint}
              />
            </div>
            <div className="flex flex-col gap-2">
              <h3 className="text-sm font-medium">Payouts (each once)</h3>
              <DataTable
                label="Payouts"
                columns={payoutColumns(currency)}
                rows={r.payouts}
                empty="No payouts yet."
                rowId={(p) => p.key}
              />
            </div>
          </div>
        );
      }}
    </ReconciliationSection>
  );
}
