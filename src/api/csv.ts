/**
 * CSV downloads: one quoting rule (RFC 4180), the header is the rows' field names, small
 * exports go whole and large ones stream in keyset pages (./stream.ts).
 */
import type { Response } from 'express';
import { streamPages } from './stream';

export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

type Columns<T> = readonly (keyof T & string)[];

const line = (cells: readonly unknown[]) => cells.map(csvCell).join(',') + '\n';
const lines = <T>(columns: Columns<T>, rows: readonly T[]) =>
  rows.map((row) => line(columns.map((c) => row[c]))).join('');

const attachment = (res: Response, filename: string) =>
  res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${filename}"`);

/** A whole CSV in one body: `columns` of `rows`, in that order. */
export function sendCsv<T>(res: Response, filename: string, columns: Columns<T>, rows: readonly T[]): void {
  attachment(res, filename).send(line(columns) + lines(columns, rows));
}

/** Every row `nextPage` yields as CSV (see streamPages for the paging contract). */
export function streamCsv<T>(
  res: Response,
  filename: string,
  columns: Columns<T>,
  nextPage: (last: T | undefined) => Promise<T[]>,
): Promise<void> {
  attachment(res, filename);
  return streamPages(res, {
    head: line(columns),
    nextPage,
    render: (rows) => lines(columns, rows),
    tail: '',
  });
}
