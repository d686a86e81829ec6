/**
 * What the API adds for the dashboard: serving admin/dist at /admin (deep links, cached
 * assets, a 503 page when it is not built, a CSP the build runs under), the ticket sales
 * series, and one round with its sales and Temporal UI link.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import bs58 from 'bs58';
import { adminDashboard } from '../../src/api/admin-dashboard';
import { notFoundHandler } from '../../src/api/middleware/errors';
import { startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

describe('dashboard hosting', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-admin-dist-'));
  const appFor = (distDir: string) => {
    const app = express();
    app.use('/admin', adminDashboard(distDir));
    app.use(notFoundHandler);
    return app;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers 503 with how to build it while admin/dist is missing', async () => {
    for (const url of ['/admin', '/admin/', '/admin/lottery/round-1']) {
      const res = await request(appFor(path.join(dir, 'missing'))).get(url);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('npm --prefix admin run build');
    }
  });

  it('serves the app for every route, hashed assets for a year, and 404 for a missing asset', async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = appFor(dir);

    const root = await request(app).get('/admin');
    expect(root.status).toBe(301);
    expect(root.headers.location).toBe('/admin/');
    for (const url of ['/admin/', '/admin/lottery/round-1', '/admin/users/abc?q=1']) {
      const res = await request(app).get(url).expect(200);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const asset = await request(app).get('/admin/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(app).get('/admin/assets/missing-123.js').expect(404);
    await request(app).post('/admin/lottery').expect(404);
  });
});

describe('dashboard API (real PostgreSQL and Redis)', () => {
  let system: TestSystem;
  const admin = newWallet();
  let auth: { Authorization: string };
  const round = `sales-${crypto.randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    system = await startTestSystem({
      ADMIN_WALLETS: admin.address,
      TEMPORAL_UI_URL: 'http://ui.example:8233',
    });
    auth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
    const hour = 3_600_000;
    const now = Date.now();
    // Completed: the run's database is shared, and a selling round here would hold the sales
    // window the lottery suite's rounds need (one round sells at a time).
    await system.sql(
      `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, ticket_price_lamports, ticket_price_usdc,
         status, seed_commitment, secret_seed) values (?, 1000, ?, ?, 10, 20, 'completed', ?, ?)`,
      [round, new Date(now - 30 * hour), new Date(now + hour), 'a'.repeat(64), 'b'.repeat(64)],
    );
    // Three hours ago: a SOL purchase of 2 tickets; one hour ago: a USDC purchase of 1 and a burn of 1.
    const sales: [number, 'SOL' | 'USDC' | null, number][] = [
      [3, 'SOL', 2],
      [1, 'USDC', 1],
      [1, null, 1],
    ];
    let number = 0;
    for (const [hoursAgo, currency, count] of sales) {
      const signature = bs58.encode(crypto.randomBytes(64));
      const at = new Date(now - hoursAgo * hour + 60_000);
      await system.sql(
        `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, amount_base_units, status, created_at)
         values (?, ?, ?, ?, ?, ?, 'accepted', ?)`,
        [
          signature,
          currency ? 'purchase' : 'burn',
          round,
          admin.address,
          currency,
          currency === 'SOL' ? 20 : 20,
          at,
        ],
      );
      for (let i = 0; i < count; i++) {
        await system.sql(
          `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
             transaction_signature, amount_paid_base_units, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            admin.address,
            ++number,
            round,
            currency ? 'purchase' : 'burn',
            currency,
            signature,
            currency ? (currency === 'SOL' ? 10 : 20) : null,
            at,
          ],
        );
      }
    }
    await system.sql('update lottery_rounds set total_tickets_sold = ? where id = ?', [number, round]);
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('gives tickets per hour with the empty hours in between', async () => {
    const res = await request(system.app)
      .get(`/api/v1/admin/lottery/sales?bucket=hour&days=1&roundId=${round}`)
      .set(auth)
      .expect(200);
    expect(res.body).toMatchObject({ bucket: 'hour', roundId: round });
    const points = res.body.points as {
      at: string;
      tickets: number;
      burned: number;
      lamports: string;
      usdcBaseUnits: string;
    }[];
    expect(points.length).toBeGreaterThanOrEqual(24);
    expect(points.every((p) => new Date(p.at).getUTCMinutes() === 0)).toBe(true);
    const sold = points.filter((p) => p.tickets > 0);
    expect(
      sold.map(({ tickets, burned, lamports, usdcBaseUnits }) => ({
        tickets,
        burned,
        lamports,
        usdcBaseUnits,
      })),
    ).toEqual([
      { tickets: 2, burned: 0, lamports: '20', usdcBaseUnits: '0' },
      { tickets: 2, burned: 1, lamports: '0', usdcBaseUnits: '20' },
    ]);
    expect(points.reduce((n, p) => n + p.tickets, 0)).toBe(4);

    const daily = await request(system.app).get('/api/v1/admin/lottery/sales').set(auth).expect(200);
    expect(daily.body.bucket).toBe('day');
    expect(daily.body.points).toHaveLength(15);
  });

  it('refuses bad series queries and non-admins', async () => {
    for (const query of [
      'bucket=week',
      'bucket=hour&days=8',
      'days=0',
      'days=91',
      'roundId=bad%20id',
      'extra=1',
    ]) {
      const res = await request(system.app).get(`/api/v1/admin/lottery/sales?${query}`).set(auth);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
    const outsider = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app).get('/api/v1/admin/lottery/sales').set(outsider).expect(403);
    await request(system.app).get('/api/v1/admin/lottery/sales').expect(401);
  });

  it('returns one round with its sales and a link to its workflow in the Temporal UI', async () => {
    const res = await request(system.app).get(`/api/v1/admin/lottery/rounds/${round}`).set(auth).expect(200);
    expect(res.body).toMatchObject({
      id: round,
      totalTicketsSold: 4,
      receipts: { accepted: 3 },
      receivedLamports: '20',
      receivedUsdc: '20',
      workflow: {
        workflowId: `lottery-round:${round}`,
        url: `http://ui.example:8233/namespaces/default/workflows/${encodeURIComponent(`lottery-round:${round}`)}`,
      },
    });
    const list = await request(system.app).get('/api/v1/admin/lottery/rounds').set(auth).expect(200);
    expect(list.body.rounds.find((r: { id: string }) => r.id === round)).toEqual(res.body);
    await request(system.app).get('/api/v1/admin/lottery/rounds/no-such-round').set(auth).expect(404);
  });

  it("gives the overview's distribution amounts per currency, never lamports and micro-USDC added together", async () => {
    type Totals = { count: number; amountBaseUnitsByCurrency: { SOL: string; USDC: string } };
    const closed = async (): Promise<Totals | undefined> =>
      (await request(system.app).get('/api/v1/admin/overview').set(auth).expect(200)).body.distributions
        .closed as Totals | undefined;
    const before = (await closed()) ?? { count: 0, amountBaseUnitsByCurrency: { SOL: '0', USDC: '0' } };
    // Two closed months of this suite (years no other suite uses): 1000 lamports and 7 micro-USDC.
    for (const [month, currency, amount] of [
      ['1999-01', 'SOL', 1000],
      ['1999-02', 'USDC', 7],
    ] as const) {
      await system.sql(
        `insert into revenue_distributions (month, currency, total_revenue_base_units, share_bps,
           distribution_amount_base_units, per_pass_amount_base_units, sources, status)
         values (?, ?, ?, 10000, ?, 0, '[]', 'closed')`,
        [month, currency, amount, amount],
      );
    }
    const after = await closed();
    expect(after?.count).toBe(before.count + 2);
    expect(BigInt(after!.amountBaseUnitsByCurrency.USDC)).toBe(
      BigInt(before.amountBaseUnitsByCurrency.USDC) + 7n,
    );
    expect(BigInt(after!.amountBaseUnitsByCurrency.SOL)).toBe(
      BigInt(before.amountBaseUnitsByCurrency.SOL) + 1000n,
    );
    expect(after).not.toHaveProperty('amountBaseUnits');
  });

  it('writes display amounts in plain decimal notation (10 lamports = 0.00000001 SOL, never 1e-8)', async () => {
    for (const url of [`/api/v1/admin/lottery/rounds/${round}`, `/api/v1/lottery/rounds/${round}`]) {
      const res = await request(system.app).get(url).set(auth).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.ticketPrice).toEqual({ SOL: 1e-8, USDC: 0.00002 });
      expect(res.text).toContain('"ticketPrice":{"SOL":0.00000001,"USDC":0.00002}');
      expect(res.text).toContain('"prizePool":0.000001,');
      expect(res.text.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\de/i);
    }
  });

  it('serves the dashboard under a CSP that allows only its own scripts', async () => {
    const res = await request(system.app).get('/admin/lottery');
    expect([200, 503]).toContain(res.status);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
