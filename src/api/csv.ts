/**
 * CSV downloads: one quoting rule (RFC 4180), the header is the rows' field names, small
 * exports go whole and large ones stream in keyset pages so a round of a million tickets
 * never sits in memory.
 */
import type { Response } from 'express';

export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows per database read of a streamed export. */
export const CSV_PAGE_ROWS = 5000;

type Columns<T> = readonly (keyof T & string)[];

const line = (cells: readonly unknown[]) => cells.map(csvCell).join(',') + '\n';
const lines = <T>(columns: Columns<T>, rows: readonly T[]) =>
  rows.map((row) => line(columns.map((c) => row[c]))).join('');

const attachment = (res: Response, filename: string) =>
  res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${filename}"`);

/** Resolves when the response can take more, or has closed (a client that went away). */
const drainedOrClosed = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });

/** A whole CSV in one body: `columns` of `rows`, in that order. */
export function sendCsv<T>(res: Response, filename: string, columns: Columns<T>, rows: readonly T[]): void {
  attachment(res, filename).send(line(columns) + lines(columns, rows));
}

/**
 * Streams every row as CSV: `nextPage(last)` returns the rows after `last` (the first call
 * gets undefined); an empty page ends the export. Writes wait for the socket to drain, and a
 * client that goes away stops the paging.
 */
export async function streamCsv<T>(
  res: Response,
  filename: string,
  columns: Columns<T>,
  nextPage: (last: T | undefined) => Promise<T[]>,
): Promise<void> {
  attachment(res, filename);
  let chunk = line(columns);
  let last: T | undefined;
  for (;;) {
    const page = await nextPage(last);
    if (res.destroyed) return;
    chunk += lines(columns, page);
    if (!res.write(chunk)) await drainedOrClosed(res);
    if (page.length === 0) break;
    chunk = '';
    last = page[page.length - 1];
  }
  res.end();
}
