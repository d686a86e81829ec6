import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { Ok } from '@/api/client';
import { queries } from '@/api/queries';
import { DataTable } from '@/components/data-table';
import { PageHeader, Section } from '@/components/page';
import { StatusBadge } from '@/components/status-badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { displayUsd } from '@/lib/amount';
import { formatTime } from '@/lib/utils';
import { PROJECT_STATUSES } from '../../../../src/domain/utility/project-state';

type Project = Ok<'/api/v1/admin/utility/projects'>['projects'][number];
const col = createColumnHelper<Project>();
const columns = [
  col.accessor('projectName', {
    header: 'Project',
    cell: ({ row: { original: p } }) => (
      <Link
        to={`/utility/${p.projectId}`}
        className="text-primary font-medium underline-offset-4 hover:underline"
      >
        {p.projectName}
      </Link>
    ),
  }),
  col.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  col.accessor('package', { header: 'Package' }),
  col.accessor('services', {
    header: 'Services',
    cell: (c) => <span className="text-xs">{c.getValue().join(', ')}</span>,
  }),
  col.accessor('budgetCents', { header: 'Budget', cell: (c) => displayUsd(c.getValue()) }),
  col.accessor('assignedTo', { header: 'Assignee', cell: (c) => c.getValue() ?? '—' }),
  col.accessor('progress', { header: 'Progress', cell: (c) => `${c.getValue()} %` }),
  col.accessor('createdAt', {
    header: 'Submitted',
    cell: (c) => <span className="text-xs">{formatTime(c.getValue())}</span>,
  }),
];

/** Waiting for an admin first. */
const DEFAULT_FILTER = ['pending_review', 'needs_info'];

export default function UtilityPage() {
  const [statuses, setStatuses] = useState<string[]>(DEFAULT_FILTER);
  const [sort, setSort] = useState<'oldest' | 'newest'>('oldest');
  const [page, setPage] = useState(1);
  const projects = useQuery(queries.projects(statuses, sort, page));
  const toggle = (s: string) => {
    setPage(1);
    setStatuses((all) => (all.includes(s) ? all.filter((x) => x !== s) : [...all, s]));
  };
  return (
    <>
      <PageHeader
        title="Utility Factory"
        description="Client project submissions: review, assign, update and deliver."
      />
      <Section
        title="Queue"
        description={
          statuses.length ? `Showing ${statuses.join(', ').replace(/_/g, ' ')}` : 'Showing every status'
        }
      >
        <div className="mb-4 flex flex-wrap items-end gap-4">
          <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1.5">
            {PROJECT_STATUSES.map((s) => (
              <Button
                key={s}
                size="sm"
                variant={statuses.includes(s) ? 'default' : 'outline'}
                aria-pressed={statuses.includes(s)}
                onClick={() => toggle(s)}
              >
                {s.replace(/_/g, ' ')}
              </Button>
            ))}
            <Button size="sm" variant="ghost" onClick={() => setStatuses([])}>
              All
            </Button>
          </div>
          <div className="flex items-center gap-2">
            <Label htmlFor="queue-sort">Order</Label>
            <Select value={sort} onValueChange={(v) => setSort(v as 'oldest' | 'newest')}>
              <SelectTrigger id="queue-sort" className="w-36">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="oldest">Oldest first</SelectItem>
                <SelectItem value="newest">Newest first</SelectItem>
              </SelectContent>
            </Select>
          </div>
        </div>
        <DataTable
          label="Projects"
          columns={columns}
          rows={projects.data?.projects}
          query={projects}
          empty="No project matches these filters."
          rowId={(p) => p.projectId}
          paging={{ page, pageSize: 20, total: projects.data?.total ?? 0, onPage: setPage }}
        />
      </Section>
    </>
  );
}
