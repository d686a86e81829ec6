import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { PageHeader, Section } from '@/components/page';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { formatTime } from '@/lib/utils';

type User = Schemas['AdminUser'];
const col = createColumnHelper<User>();
const columns = [
  col.accessor('walletAddress', {
    header: 'Wallet',
    cell: (c) => (
      <Link
        to={`/users/${c.getValue()}`}
        className="text-primary font-mono text-xs underline-offset-4 hover:underline"
      >
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('email', { header: 'E-mail', cell: (c) => c.getValue() ?? '—' }),
  col.accessor('ticketCount', { header: 'Tickets' }),
  col.accessor('claimCount', { header: 'Claims' }),
  col.accessor('lastLogin', {
    header: 'Last sign-in',
    cell: (c) => <span className="text-xs">{formatTime(c.getValue())}</span>,
  }),
  col.accessor('createdAt', {
    header: 'Joined',
    cell: (c) => <span className="text-xs">{formatTime(c.getValue())}</span>,
  }),
];

export default function UsersPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [page, setPage] = useState(1);
  const users = useQuery(queries.users(q, page));
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who signed in: their tickets, claims, activity and e-mails."
      />
      <Section title="Search">
        <form
          role="search"
          className="mb-4 flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setParams(text.trim() ? { q: text.trim() } : {});
          }}
        >
          <Input
            aria-label="Wallet or e-mail"
            placeholder="Wallet address or e-mail (part of it is enough)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="max-w-md"
          />
          <Button type="submit">Search</Button>
        </form>
        <DataTable
          label="Users"
          columns={columns}
          rows={users.data?.users}
          query={users}
          empty={q ? `No user matches "${q}".` : 'No users yet.'}
          rowId={(u) => u.id}
          paging={{ page, pageSize: 20, total: users.data?.total ?? 0, onPage: setPage }}
        />
      </Section>
    </>
  );
}
