/** The one table of the dashboard (TanStack Table): loading, error and empty rows, and paging. */
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Empty, ErrorState, Loading } from './states';

export interface Paging {
  page: number;
  pageSize: number;
  /** Rows in all; when the API does not count them, the table offers Next while pages are full. */
  total?: number;
  onPage: (page: number) => void;
}

export interface DataTableProps<T> {
  /** Names the table for screen readers (and tests). */
  label: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's column value types vary per column
  columns: ColumnDef<T, any>[];
  rows: T[] | undefined;
  /** The query the rows come from: its loading and error states become the table's. */
  query?: { isPending: boolean; error: Error | null; refetch: () => unknown };
  empty: string;
  paging?: Paging;
  rowId?: (row: T) => string;
}

export function DataTable<T>({ label, columns, rows, query, empty, paging, rowId }: DataTableProps<T>) {
  const table = useReactTable({
    data: rows ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId ? (row) => rowId(row) : undefined,
    manualPagination: true,
  });
  const span = columns.length;
  const body = () => {
    if (query?.isPending && !rows)
      return (
        <Status span={span}>
          <Loading label={`Loading ${label}`} />
        </Status>
      );
    if (query?.error)
      return (
        <Status span={span}>
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        </Status>
      );
    if (!rows?.length)
      return (
        <Status span={span}>
          <Empty>{empty}</Empty>
        </Status>
      );
    return table.getRowModel().rows.map((row) => (
      <TableRow key={row.id}>
        {row.getVisibleCells().map((cell) => (
          <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
        ))}
      </TableRow>
    ));
  };
  const pages =
    paging?.total !== undefined ? Math.max(1, Math.ceil(paging.total / paging.pageSize)) : undefined;
  const hasNext =
    paging && (pages !== undefined ? paging.page < pages : (rows?.length ?? 0) >= paging.pageSize);
  return (
    <div className="flex flex-col gap-2">
      <Table aria-label={label}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => (
                <TableHead key={header.id}>
                  {header.isPlaceholder
                    ? null
                    : flexRender(header.column.columnDef.header, header.getContext())}
                </TableHead>
              ))}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>{body()}</TableBody>
      </Table>
      {paging && (paging.page > 1 || hasNext) && (
        <nav
          aria-label={`${label} pages`}
          className="text-muted-foreground flex items-center justify-end gap-3 text-sm"
        >
          <span>
            Page {paging.page}
            {pages !== undefined && ` of ${pages} · ${paging.total} in all`}
          </span>
          <Button
            size="sm"
            variant="outline"
            disabled={paging.page <= 1}
            onClick={() => paging.onPage(paging.page - 1)}
          >
            Previous
          </Button>
          <Button
            size="sm"
            variant="outline"
            disabled={!hasNext}
            onClick={() => paging.onPage(paging.page + 1)}
          >
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}

function Status({ span, children }: { span: number; children: React.ReactNode }) {
  return (
    <TableRow className="hover:bg-transparent">
      <TableCell colSpan={span}>{children}</TableCell>
    </TableRow>
  );
}
