/** CSV exports: quoting, column order, and a streamed export that pages until an empty page. */
import express from 'express';
import request from 'supertest';
import { csvCell, sendCsv, streamCsv } from '../../src/api/csv';

interface Row {
  n: number;
  note: string | null;
}

describe('csv', () => {
  it('quotes cells with commas, quotes or line breaks and leaves the rest as is', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
  });

  it('sends whole exports with the columns as the header', async () => {
    const app = express().get('/x', (_req, res) =>
      sendCsv<Row>(
        res,
        'x.csv',
        ['note', 'n'],
        [
          { n: 1, note: 'a,b' },
          { n: 2, note: null },
        ],
      ),
    );
    const res = await request(app).get('/x').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="x.csv"');
    expect(res.text).toBe('note,n\n"a,b",1\n,2\n');
  });

  it('streams every page after the last row it was given, until an empty page', async () => {
    const rows: Row[] = Array.from({ length: 7 }, (_, i) => ({ n: i + 1, note: i % 2 ? 'x' : null }));
    const asked: (number | undefined)[] = [];
    const app = express().get('/x', (_req, res, next) => {
      streamCsv<Row>(res, 'all.csv', ['n', 'note'], async (last) => {
        asked.push(last?.n);
        const from = last ? rows.findIndex((r) => r.n === last.n) + 1 : 0;
        return rows.slice(from, from + 3);
      }).catch(next);
    });
    const res = await request(app).get('/x').expect(200);
    expect(res.text).toBe(['n,note', ...rows.map((r) => `${r.n},${r.note ?? ''}`)].join('\n') + '\n');
    expect(asked).toEqual([undefined, 3, 6, 7]);
  });
});
