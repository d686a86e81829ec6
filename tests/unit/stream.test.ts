/** streamPages: a JSON array written over several pages parses back whole; no rows → `[]`. */
import express from 'express';
import request from 'supertest';
import { streamPages } from '../../src/api/stream';

interface Row {
  n: number;
}

const app = (rows: Row[], pageSize: number) =>
  express().get('/x', (_req, res, next) => {
    res.type('application/json');
    streamPages<Row>(res, {
      head: '{"name":"all","rows":[',
      nextPage: async (last) => {
        const from = last ? rows.findIndex((r) => r.n === last.n) + 1 : 0;
        return rows.slice(from, from + pageSize);
      },
      render: (page, first) => (first ? '' : ',') + page.map((r) => JSON.stringify(r)).join(','),
      tail: ']}',
    }).catch(next);
  });

describe('streamPages', () => {
  it('writes every page between head and tail, with separators only between pages', async () => {
    const rows = Array.from({ length: 11 }, (_, n) => ({ n }));
    const res = await request(app(rows, 4)).get('/x').expect(200);
    expect(JSON.parse(res.text)).toEqual({ name: 'all', rows });
  });

  it('writes head and tail alone when there are no rows', async () => {
    const res = await request(app([], 4)).get('/x').expect(200);
    expect(res.text).toBe('{"name":"all","rows":[]}');
  });
});
