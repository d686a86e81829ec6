/**
 * Large bodies written page by page, so an export or a proof of a million rows never sits in
 * memory: `head`, then each page `nextPage` returns (keyset paging: it gets the last row of the
 * page before, undefined at first; an empty page ends it), then `tail`. Writes wait for the
 * socket to drain, and a client that goes away stops the paging.
 */
import type { Response } from 'express';

/** Rows per database read of a streamed body. */
export const STREAM_PAGE_ROWS = 5000;

/** Resolves when the response can take more, or has closed (a client that went away). */
const drainedOrClosed = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });

export async function streamPages<T>(
  res: Response,
  parts: {
    head: string;
    nextPage: (last: T | undefined) => Promise<T[]>;
    /** A page as text; `first` is true for the first non-empty page (for separators). */
    render: (rows: T[], first: boolean) => string;
    tail: string;
  },
): Promise<void> {
  let chunk = parts.head;
  let last: T | undefined;
  for (;;) {
    const page = await parts.nextPage(last);
    if (res.destroyed) return;
    if (page.length === 0) break;
    chunk += parts.render(page, last === undefined);
    if (!res.write(chunk)) await drainedOrClosed(res);
    chunk = '';
    last = page[page.length - 1];
  }
  res.end(chunk + parts.tail);
}
