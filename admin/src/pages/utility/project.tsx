import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { ExternalLink, Facts, PageHeader, Section, Stat, StatGrid } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { Progress } from '@/components/ui/progress';
import { displayUsd } from '@/lib/amount';
import { WalletLink } from '@/components/wallet';
import { formatTime } from '@/lib/utils';
import { ProjectActions } from './project-actions';
import { isAddress } from '../../../../src/domain/values';

type Project = Schemas['AdminProject'];

/** Who made a change: an admin wallet (linked), or a name given through the Temporal CLI. */
const Actor = ({ who }: { who: string | null }) =>
  isAddress(who) ? <WalletLink address={who} /> : <span className="text-xs">{who ?? 'client'}</span>;
type HistoryRow = Project['history'][number];
type EmailRow = Project['emails'][number];

const historyCol = createColumnHelper<HistoryRow>();
const historyColumns = [
  historyCol.accessor('at', {
    header: 'When',
    cell: (c) => <span className="text-xs whitespace-nowrap">{formatTime(c.getValue())}</span>,
  }),
  historyCol.accessor('event', { header: 'Event', cell: (c) => c.getValue().replace(/_/g, ' ') }),
  historyCol.display({
    id: 'change',
    header: 'Status',
    cell: ({ row: { original: h } }) => (
      <span className="flex items-center gap-1">
        {h.from && <StatusBadge status={h.from} />} → <StatusBadge status={h.to} />
      </span>
    ),
  }),
  historyCol.accessor('by', { header: 'By', cell: (c) => <Actor who={c.getValue()} /> }),
  historyCol.accessor('note', {
    header: 'Internal note',
    cell: (c) => <span className="text-xs whitespace-pre-wrap">{c.getValue() ?? ''}</span>,
  }),
];

const emailCol = createColumnHelper<EmailRow>();
const emailColumns = [
  emailCol.accessor('createdAt', {
    header: 'Queued',
    cell: (c) => <span className="text-xs whitespace-nowrap">{formatTime(c.getValue())}</span>,
  }),
  emailCol.accessor('subject', { header: 'Subject' }),
  emailCol.accessor('recipientEmail', { header: 'To' }),
  emailCol.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
];

export default function ProjectPage() {
  const { projectId = '' } = useParams();
  const project = useQuery(queries.project(projectId));
  return (
    <QueryView query={project} loadingRows={8}>
      {(p) => (
        <>
          <PageHeader
            title={
              <span className="flex flex-wrap items-center gap-3">
                {p.projectName} <StatusBadge status={p.status} />
              </span>
            }
            description={
              <>
                <Link to="/utility" className="underline-offset-4 hover:underline">
                  Utility Factory
                </Link>{' '}
                · <span className="font-mono">{p.projectId}</span> ·{' '}
                <ExternalLink href={p.workflow.url}>Workflow in the Temporal UI</ExternalLink>
              </>
            }
            actions={<ProjectActions project={p} />}
          />
          <Section title="Delivery">
            <div className="flex flex-col gap-4">
              <div className="flex flex-col gap-2">
                <Progress value={p.progress} aria-label="Project progress" />
                <p className="text-muted-foreground text-sm" data-testid="project-progress">
                  {p.progress} % done
                </p>
              </div>
              <StatGrid>
                <Stat label="Assignee" value={p.assignedTo ?? '—'} />
                <Stat label="Estimated completion" value={p.estimatedCompletion ?? '—'} />
                <Stat
                  label="Total cost"
                  value={displayUsd(p.totalCostCents)}
                  hint={`Budget ${displayUsd(p.budgetCents)}`}
                />
                <Stat
                  label="Completed"
                  value={p.actualCompletion ?? '—'}
                  hint={p.statusReason ?? undefined}
                />
              </StatGrid>
            </div>
          </Section>
          <Section title="Submission">
            <Facts
              items={[
                ['Client e-mail', p.email],
                ['Contact wallet', p.contactWallet ?? '—'],
                ['Package', p.package],
                ['Services', p.services.join(', ')],
                ['Payment method', p.paymentMethod],
                ['Timeline', p.timeline ?? '—'],
                ['Submitted', formatTime(p.createdAt)],
                ['Last change', formatTime(p.updatedAt)],
              ]}
            />
            <p className="mt-4 text-sm whitespace-pre-wrap">{p.details}</p>
          </Section>
          <Section title="Updates to the client" description="Newest last">
            {p.updates.length === 0 ? (
              <Empty>No updates posted yet.</Empty>
            ) : (
              <ol className="flex flex-col gap-3" aria-label="Updates">
                {p.updates.map((u) => (
                  <li key={u.id} className="rounded-md border p-3">
                    <p className="text-muted-foreground text-xs">
                      {formatTime(u.createdAt)} ·{' '}
                      {u.progress === null ? 'no progress change' : `${u.progress} %`} ·{' '}
                      <Actor who={u.createdBy} />
                    </p>
                    <p className="mt-1 text-sm whitespace-pre-wrap">{u.message}</p>
                  </li>
                ))}
              </ol>
            )}
          </Section>
          <div className="grid gap-6 2xl:grid-cols-2">
            <Section title="Status history">
              <DataTable
                label="Status history"
                columns={historyColumns}
                rows={p.history}
                empty="No changes yet."
              />
            </Section>
            <Section title="E-mails">
              <DataTable
                label="Project e-mails"
                columns={emailColumns}
                rows={p.emails}
                empty="No e-mails yet."
                rowId={(e) => e.id}
              />
            </Section>
          </div>
        </>
      )}
    </QueryView>
  );
}
