import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { CsvButton } from '@/components/csv-button';
import { DataTable } from '@/components/data-table';
import { ExternalLink, Facts, PageHeader, Section, Stat, StatGrid } from '@/components/page';
import { QueryView } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { withCurrency, type Currency } from '@/lib/amount';
import { Key, WalletLink } from '@/components/wallet';
import { formatTime } from '@/lib/utils';
import { ProofPanel } from './proof-panel';
import { RoundReconciliationPanel } from './reconciliation-panel';
import { PayAllRefundsAction, PayRefundAction } from './refund-actions';
import { RoundActions } from './round-actions';

type Round = Schemas['AdminLotteryRound'];
type Ticket = Schemas['LotteryTicket'];
type Refund = Schemas['LotteryRefund'];

const ticketCol = createColumnHelper<Ticket>();
const ticketColumns = [
  ticketCol.accessor('ticketNumber', {
    header: '#',
    cell: (c) => <span className="tabular-nums">{c.getValue()}</span>,
  }),
  ticketCol.accessor('walletAddress', {
    header: 'Wallet',
    cell: (c) => <WalletLink address={c.getValue()} />,
  }),
  ticketCol.display({
    id: 'how',
    header: 'How',
    cell: ({ row: { original: t } }) =>
      t.acquisitionMethod === 'burn' ? (
        <>
          burn <Key value={t.nftBurned} chars={4} />
        </>
      ) : (
        t.paymentMethod
      ),
  }),
  ticketCol.display({
    id: 'paid',
    header: 'Paid',
    cell: ({ row: { original: t } }) =>
      t.paymentMethod ? withCurrency(t.amountPaidBaseUnits, t.paymentMethod as Currency) : '—',
  }),
  ticketCol.accessor('transactionSignature', {
    header: 'Transaction',
    cell: (c) => <Key value={c.getValue()} />,
  }),
  ticketCol.accessor('createdAt', {
    header: 'Issued',
    cell: (c) => <span className="text-xs">{formatTime(c.getValue())}</span>,
  }),
];

const receiptCol = createColumnHelper<Refund>();
const refundColumns = [
  receiptCol.accessor('signature', { header: 'Transaction', cell: (c) => <Key value={c.getValue()} /> }),
  receiptCol.accessor('walletAddress', {
    header: 'Wallet',
    cell: (c) => <WalletLink address={c.getValue()} />,
  }),
  receiptCol.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  receiptCol.display({
    id: 'owed',
    header: 'Refund owed',
    cell: ({ row: { original: r } }) =>
      r.currency ? withCurrency(r.refundOwedBaseUnits, r.currency as Currency) : r.refundOwedBaseUnits,
  }),
  receiptCol.accessor('reason', {
    header: 'Why',
    cell: (c) => <span className="text-xs">{c.getValue() ?? '—'}</span>,
  }),
  receiptCol.display({
    id: 'refund',
    header: 'Refund',
    cell: ({ row: { original: r } }) => (
      <span data-testid="refund-state">
        <StatusBadge status={r.refundState} />{' '}
        {r.refundPayoutSignature && <Key value={r.refundPayoutSignature} />}
      </span>
    ),
  }),
  receiptCol.display({
    id: 'pay',
    header: '',
    cell: ({ row: { original: r } }) => <PayRefundAction refund={r} />,
  }),
];

function Tickets({ round }: { round: Round }) {
  const [page, setPage] = useState(1);
  const tickets = useQuery(queries.tickets(round.id, page));
  return (
    <Section
      title="Tickets"
      description="In number order, as frozen for the draw"
      actions={
        <CsvButton
          path={`/api/v1/admin/lottery/rounds/${encodeURIComponent(round.id)}/tickets?format=csv`}
          fileName={`${round.id}-tickets.csv`}
        />
      }
    >
      <DataTable
        label="Tickets"
        columns={ticketColumns}
        rows={tickets.data?.tickets}
        query={tickets}
        empty="No tickets sold yet."
        rowId={(t) => String(t.ticketNumber)}
        paging={{ page, pageSize: 25, total: tickets.data?.total ?? 0, onPage: setPage }}
      />
    </Section>
  );
}

function Refunds({ round }: { round: Round }) {
  const refunds = useQuery(queries.refunds(round.id));
  return (
    <Section
      title="Refunds owed"
      description="Late payments, excess and underpayments, and payments to a cancelled round: each owed, sending or paid"
      actions={<PayAllRefundsAction round={round} refunds={refunds.data?.refunds} />}
    >
      <DataTable
        label="Refunds owed"
        columns={refundColumns}
        rows={refunds.data?.refunds}
        query={refunds}
        empty="Nothing is owed for this round."
        rowId={(r) => r.signature}
      />
    </Section>
  );
}

export default function RoundPage() {
  const { roundId = '' } = useParams();
  const round = useQuery(queries.round(roundId));
  return (
    <QueryView query={round} loadingRows={8}>
      {(r) => (
        <>
          <PageHeader
            title={
              <span className="flex flex-wrap items-center gap-3">
                Round {r.id} <StatusBadge status={r.status} />
              </span>
            }
            description={
              <>
                <Link to="/lottery" className="underline-offset-4 hover:underline">
                  Lottery
                </Link>{' '}
                ·{' '}
                <ExternalLink href={r.workflow.url}>
                  Workflow {r.workflow.workflowId} in the Temporal UI
                </ExternalLink>
              </>
            }
            actions={<RoundActions round={r} />}
          />
          <Section title="Sales">
            <StatGrid>
              <Stat
                label="Tickets sold"
                value={<span data-testid="round-tickets-sold">{r.totalTicketsSold}</span>}
              />
              <Stat
                label="Received"
                value={withCurrency(r.receivedLamports, 'SOL')}
                hint={withCurrency(r.receivedUsdc, 'USDC')}
              />
              <Stat label="Prize pool" value={withCurrency(r.prizePoolLamports, 'SOL')} />
              <Stat
                label="Ticket price"
                value={withCurrency(r.ticketPriceLamports, 'SOL')}
                hint={`${withCurrency(r.ticketPriceUsdcBaseUnits, 'USDC')} · ${r.ticketsPerBurn} per burned NFT`}
              />
              <Stat label="Sales start" value={formatTime(r.startDate)} />
              <Stat label="Sales end" value={formatTime(r.endDate)} />
              <Stat label="Drawing date" value={r.drawingDate ? formatTime(r.drawingDate) : 'on Draw'} />
              <Stat
                label="Receipts"
                value={Object.values(r.receipts).reduce((a, b) => a + b, 0)}
                hint={
                  Object.entries(r.receipts)
                    .map(([s, n]) => `${n} ${s}`)
                    .join(' · ') || 'none yet'
                }
              />
            </StatGrid>
          </Section>
          <Section
            title="Fairness"
            description="The seed commitment was published before sales; the rest appears as the round is frozen and drawn."
          >
            <Facts
              items={[
                ['Seed commitment (SHA-256 of the seed)', r.seedCommitment],
                ['Revealed seed', r.revealedSeed ?? 'revealed at the draw'],
                ['Frozen ticket count', r.frozenTicketCount ?? '—'],
                ['Ticket-set digest', r.ticketDigest ?? '—'],
                ['Beacon slot', r.beaconSlot ?? '—'],
                ['Beacon blockhash', r.beaconBlockhash ?? '—'],
                [
                  'Winning ticket',
                  r.winnerTicket === null ? '—' : `#${r.winnerTicket} (index ${r.winnerIndex})`,
                ],
                ['Winner', r.winnerWallet ?? '—'],
                [
                  'Prize payout',
                  r.prizePayout ? (
                    <span data-testid="round-prize-payout">
                      <StatusBadge status={r.prizePayout.status} /> <Key value={r.prizePayout.signature} />
                    </span>
                  ) : (
                    'not paid'
                  ),
                ],
              ]}
            />
          </Section>
          <Tabs defaultValue="tickets">
            <TabsList aria-label="Round details">
              <TabsTrigger value="tickets">Tickets</TabsTrigger>
              <TabsTrigger value="proof">Draw proof</TabsTrigger>
              <TabsTrigger value="refunds">Refunds owed</TabsTrigger>
              <TabsTrigger value="reconciliation">Reconciliation</TabsTrigger>
            </TabsList>
            <TabsContent value="tickets">
              <Tickets round={r} />
            </TabsContent>
            <TabsContent value="proof">
              <ProofPanel round={r} />
            </TabsContent>
            <TabsContent value="refunds">
              <Refunds round={r} />
            </TabsContent>
            <TabsContent value="reconciliation">
              <RoundReconciliationPanel roundId={r.id} />
            </TabsContent>
          </Tabs>
        </>
      )}
    </QueryView>
  );
}
