import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { api, unwrap, type Schemas } from '@/api/client';
import { keys, queries } from '@/api/queries';
import { ActionDialog } from '@/components/action-dialog';
import { DataTable } from '@/components/data-table';
import { PageHeader, Section, Stat, StatGrid } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { formatTime, shortKey } from '@/lib/utils';

type Event = Schemas['ActivityEvent'];
type Email = Schemas['EmailSummary'];

const eventCol = createColumnHelper<Event>();
const eventColumns = [
  eventCol.accessor('createdAt', {
    header: 'When',
    cell: (c) => <span className="text-xs whitespace-nowrap">{formatTime(c.getValue())}</span>,
  }),
  eventCol.accessor('type', {
    header: 'Event',
    cell: (c) => <span className="font-medium whitespace-nowrap">{c.getValue()}</span>,
  }),
  eventCol.accessor('metadata', { header: 'Details', cell: (c) => <Metadata data={c.getValue()} /> }),
  eventCol.accessor('ip', {
    header: 'IP',
    cell: (c) => <span className="text-xs">{c.getValue() ?? '—'}</span>,
  }),
];

/** An event's metadata as "key value" pairs; long values (signatures) shortened. */
function Metadata({ data }: { data: Record<string, unknown> | null }) {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
      {entries.map(([key, value]) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return (
          <div key={key} className="flex gap-1">
            <dt className="text-muted-foreground">{key}</dt>
            <dd className="font-mono break-all" title={text}>
              {text.length > 24 ? shortKey(text, 8) : text}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

const emailCol = createColumnHelper<Email>();
const emailColumns = [
  emailCol.accessor('createdAt', {
    header: 'Queued',
    cell: (c) => <span className="text-xs whitespace-nowrap">{formatTime(c.getValue())}</span>,
  }),
  emailCol.accessor('subject', { header: 'Subject' }),
  emailCol.accessor('template', {
    header: 'Template',
    cell: (c) => <span className="text-xs">{c.getValue() ?? '—'}</span>,
  }),
  emailCol.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  emailCol.display({
    id: 'delivery',
    header: 'Delivery',
    cell: ({ row: { original: e } }) => (
      <span className="text-xs">
        {e.sentAt ? `sent ${formatTime(e.sentAt)}` : `${e.attempts} attempt(s)`}
        {e.errorMessage && <span className="block text-red-800">{e.errorMessage}</span>}
      </span>
    ),
  }),
  emailCol.display({
    id: 'resend',
    header: '',
    cell: ({ row: { original: e } }) =>
      e.status === 'failed' ? (
        <ActionDialog
          label="Resend"
          variant="outline"
          title="Send this e-mail again?"
          description={`"${e.subject}" to ${e.recipientEmail} failed after ${e.attempts} attempt(s). A fresh delivery starts now.`}
          run={() => unwrap(api.POST('/api/v1/admin/emails/{id}/resend', { params: { path: { id: e.id } } }))}
          success={(r) => `E-mail to ${r.recipientEmail} queued again`}
          invalidate={[keys.emails, keys.overview]}
        />
      ) : null,
  }),
];

function Emails({ email }: { email: string }) {
  const emails = useQuery(queries.emails(email));
  return (
    <DataTable
      label="E-mail history"
      columns={emailColumns}
      rows={emails.data?.items}
      query={emails}
      empty="No e-mails to this address."
      rowId={(e) => e.id}
    />
  );
}

export default function UserPage() {
  const { wallet = '' } = useParams();
  const [page, setPage] = useState(1);
  const user = useQuery(queries.users(wallet, 1));
  const activity = useQuery(queries.activity(wallet, page));
  return (
    <>
      <PageHeader
        title={<span className="font-mono text-lg break-all md:text-2xl">{wallet}</span>}
        description={
          <Link to="/users" className="underline-offset-4 hover:underline">
            Users
          </Link>
        }
      />
      <QueryView query={user}>
        {(found) => {
          const u = found.users.find((x) => x.walletAddress === wallet);
          if (!u) return <Empty>This wallet has never signed in; its activity (if any) is below.</Empty>;
          return (
            <>
              <Section title="Profile">
                <StatGrid>
                  <Stat label="E-mail" value={u.email ?? '—'} />
                  <Stat label="Tickets" value={u.ticketCount} />
                  <Stat label="Revenue claims" value={u.claimCount} />
                  <Stat
                    label="Last sign-in"
                    value={formatTime(u.lastLogin)}
                    hint={`Joined ${formatTime(u.createdAt)}`}
                  />
                </StatGrid>
              </Section>
              <Section
                title="E-mail history"
                description={u.email ? `Everything sent to ${u.email}` : undefined}
              >
                {u.email ? <Emails email={u.email} /> : <Empty>No e-mail address on file.</Empty>}
              </Section>
            </>
          );
        }}
      </QueryView>
      <Section title="Activity log" description="Newest first">
        <DataTable
          label="Activity log"
          columns={eventColumns}
          rows={activity.data?.events}
          query={activity}
          empty="No activity recorded."
          rowId={(e) => e.id}
          paging={{ page, pageSize: 20, onPage: setPage }}
        />
      </Section>
    </>
  );
}
