/**
 * Bodies streamed in keyset pages (src/api/stream.ts) through the real routes, on a drawn
 * round larger than several pages: the tickets CSV and the public proof hold every ticket,
 * once, in number order. Plus bad input on the export routes.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import bs58 from 'bs58';
import { STREAM_PAGE_ROWS } from '../../src/api/stream';
import { startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

/** Two full pages and one ticket more: the page edges are where keyset paging goes wrong. */
const TICKETS = 2 * STREAM_PAGE_ROWS + 1;

describe('streamed exports (real PostgreSQL)', () => {
  let system: TestSystem;
  const admin = newWallet();
  let auth: { Authorization: string };
  const round = `stream-${crypto.randomBytes(3).toString('hex')}`;
  const wallets = [newWallet().address, newWallet().address, newWallet().address];
  const walletOf = (n: number) => wallets[n % wallets.length]!;

  beforeAll(async () => {
    system = await startTestSystem({ ADMIN_WALLETS: admin.address });
    auth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
    // A round drawn in 2020 (out of every "recent" figure other suites assert on).
    const at = new Date('2020-01-01T00:00:00Z');
    const end = new Date('2020-01-02T00:00:00Z');
    await system.sql(
      `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, ticket_price_lamports, ticket_price_usdc,
         status, seed_commitment, secret_seed, seed_revealed_at, frozen_at, frozen_ticket_count, ticket_digest,
         beacon_slot, beacon_blockhash, winner_index, winner_ticket, winner_wallet, drawn_at, total_tickets_sold, created_at)
       values (?, 1000, ?, ?, 10, 20, 'completed', ?, ?, ?, ?, ?, ?, 7, ?, 0, 1, ?, ?, ?, ?)`,
      [
        round,
        at,
        end,
        'a'.repeat(64),
        'b'.repeat(64),
        at,
        at,
        TICKETS,
        'c'.repeat(64),
        bs58.encode(crypto.randomBytes(32)),
        walletOf(1),
        at,
        TICKETS,
        at,
      ],
    );
    const signatures = wallets.map(() => bs58.encode(crypto.randomBytes(64)));
    for (const [i, signature] of signatures.entries()) {
      await system.sql(
        `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, amount_base_units, status, created_at)
         values (?, 'purchase', ?, ?, 'SOL', 10, 'accepted', ?)`,
        [signature, round, wallets[i], at],
      );
    }
    // Ticket n belongs to wallet n mod 3, paid by that wallet's receipt.
    await system.sql(
      `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
         transaction_signature, amount_paid_base_units, created_at)
       select (?::text[])[1 + n % 3], n, ?, 'purchase', 'SOL', (?::text[])[1 + n % 3], 10, ?
         from generate_series(1, ?) as n`,
      [`{${wallets.join(',')}}`, round, `{${signatures.join(',')}}`, at, TICKETS],
    );
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('exports every ticket of the round as CSV, once each, in number order', async () => {
    const res = await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${round}/tickets?format=csv`)
      .set(auth)
      .expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${round}-tickets.csv"`);
    const [header, ...rows] = res.text.trim().split('\n');
    expect(header).toBe(
      'ticketNumber,walletAddress,acquisitionMethod,paymentMethod,amountPaidBaseUnits,transactionSignature,nftBurned,createdAt',
    );
    expect(rows).toHaveLength(TICKETS);
    rows.forEach((row, i) => {
      const [n, wallet] = row.split(',');
      expect([Number(n), wallet]).toEqual([i + 1, walletOf(i + 1)]);
    });
  });

  it('serves the public proof with the whole frozen ticket list as one JSON document', async () => {
    const res = await request(system.app).get(`/api/v1/lottery/rounds/${round}/proof`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const proof = res.body as { ticketCount: number; tickets: { ticketNumber: number; wallet: string }[] };
    expect(proof).toMatchObject({ roundId: round, ticketCount: TICKETS, winnerTicketNumber: 1 });
    expect(proof.tickets).toEqual(
      Array.from({ length: TICKETS }, (_, i) => ({ ticketNumber: i + 1, wallet: walletOf(i + 1) })),
    );
  });

  it('refuses bad export queries with 400 naming the field, and non-admins', async () => {
    for (const [url, field] of [
      [`/api/v1/admin/lottery/rounds/${round}/tickets?format=xml`, 'query.format'],
      [`/api/v1/admin/lottery/rounds/${round}/tickets?pageSize=501`, 'query.pageSize'],
      [`/api/v1/admin/lottery/rounds/${round}/tickets?page=0`, 'query.page'],
      ['/api/v1/admin/lottery/rounds/bad%20id/tickets?format=csv', 'params.id'],
      ['/api/v1/admin/revenue/distributions/2030-01/claims?format=xml', 'query.format'],
      ['/api/v1/admin/revenue/distributions?format=pdf', 'query.format'],
      ['/api/v1/admin/revenue/claims.csv?month=2030-13', 'query.month'],
    ] as const) {
      const res = await request(system.app).get(url).set(auth);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.error.message).toContain(field);
    }
    await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/no-such-round/tickets?format=csv`)
      .set(auth)
      .expect(404);
    const outsider = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${round}/tickets?format=csv`)
      .set(outsider)
      .expect(403);
  });
});
