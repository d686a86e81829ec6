/**
 * The lottery's hot reads on a database of their own: GET /lottery/tickets/:walletAddress
 * (its JSON text written by PostgreSQL, src/db/json-text.ts) answers byte for byte what the
 * API's own JSON writer makes of the same rows: amounts as base-unit text, the display
 * `amountPaid` as `toDisplayNumber` writes it for every magnitude, `createdAt` as the
 * driver's Date writes it, oldest first; a ticket issued is in the very next read; bad input
 * is refused naming the field. GET /lottery/rounds/current answers the round's text as
 * GET /lottery/rounds/:id does. Both carry the ETag Express gives the same bytes by default
 * (made once per cached text for rounds/current) and answer 304 to it.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import express from 'express';
import request from 'supertest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toPlainJson } from '../../src/api/json';
import { issuePurchaseTickets } from '../../src/db/lottery/tickets';
import { CURRENCIES, toDisplayNumber, type Currency } from '../../src/domain/money';
import { ownDatabase, startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, signIn, type TestWallet } from '../support/wallet';

interface StoredTicket {
  lottery_round: string;
  ticket_number: number;
  wallet_address: string;
  acquisition_method: string;
  payment_method: Currency | null;
  transaction_signature: string;
  amount: string | null;
  nft_burned: string | null;
  created_at: string;
}

const signature = () => bs58.encode(crypto.randomBytes(64));
/** bigint holds up to 2^63 − 1 base units. */
const BIGINT_MAX = 2n ** 63n - 1n;

/** A random amount of 1 to 19 digits: every magnitude a display number is written in. */
function randomAmount(): bigint {
  const digits = 1 + crypto.randomInt(19);
  const value = BigInt(`0x${crypto.randomBytes(8).toString('hex')}`) % 10n ** BigInt(digits);
  return value > BIGINT_MAX ? BIGINT_MAX : value;
}

describe('lottery reads (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let system: TestSystem;
  const admin = newWallet();
  const alice = newWallet();
  const bob = newWallet();
  const auth: Record<string, { Authorization: string }> = {};
  const rounds = ['reads-a', 'reads-b'];
  let ticketCounter = 0;

  /** A round of 2020 (completed) or selling now (active). */
  async function insertRound(id: string, active = false) {
    const start = active ? new Date(Date.now() - 60_000) : new Date('2020-01-01T00:00:00Z');
    const end = active ? new Date(Date.now() + 3_600_000) : new Date('2020-01-02T00:00:00Z');
    await system.sql(
      `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, ticket_price_lamports, ticket_price_usdc,
         status, seed_commitment, secret_seed, total_tickets_sold)
       values (?, 1500000000, ?, ?, 10000000, 1000000, ?, ?, ?, 0)`,
      [id, start, end, active ? 'active' : 'completed', 'a'.repeat(64), 'b'.repeat(64)],
    );
  }

  /** Tickets of one receipt of `wallet`, one per amount (null: a burn), created at `at`. */
  async function insertTickets(
    wallet: string,
    round: string,
    currency: Currency | null,
    amounts: (bigint | null)[],
    at: string,
  ) {
    const sig = signature();
    await system.sql(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, amount_base_units, status, created_at)
       values (?, ?, ?, ?, ?, 1, 'accepted', ?)`,
      [sig, currency ? 'purchase' : 'burn', round, wallet, currency, at],
    );
    for (const amount of amounts) {
      await system.sql(
        `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
           transaction_signature, amount_paid_base_units, nft_burned, created_at)
         values (?, ?, ?, ?, ?, ?, ?::bigint, ?, ?::timestamptz)`,
        [
          wallet,
          ++ticketCounter,
          round,
          currency ? 'purchase' : 'burn',
          currency,
          sig,
          amount === null ? null : amount.toString(),
          currency ? null : bs58.encode(crypto.randomBytes(32)),
          at,
        ],
      );
    }
  }

  /**
   * The answer the API's own JSON writer makes of the stored rows (what the route answered
   * before PostgreSQL wrote it): the reference every answer is compared with, byte for byte.
   */
  async function expectedText(wallet: string, roundId?: string): Promise<string> {
    const rows = await system.sql<StoredTicket>(
      `select lottery_round, ticket_number, wallet_address, acquisition_method, payment_method, transaction_signature,
         amount_paid_base_units::text as amount, nft_burned, created_at from lottery_tickets
       where wallet_address = ? ${roundId ? 'and lottery_round = ?' : ''}
       order by created_at, lottery_round, ticket_number`,
      roundId ? [wallet, roundId] : [wallet],
    );
    const entries = rows.map((r) => ({
      roundId: r.lottery_round,
      ticketNumber: Number(r.ticket_number),
      walletAddress: r.wallet_address,
      acquisitionMethod: r.acquisition_method,
      paymentMethod: r.payment_method ?? null,
      transactionSignature: r.transaction_signature,
      amountPaidBaseUnits: r.amount ?? null,
      nftBurned: r.nft_burned ?? null,
      createdAt: new Date(r.created_at).toISOString(),
      amountPaid: r.amount && r.payment_method ? toDisplayNumber(BigInt(r.amount), r.payment_method) : null,
    }));
    return toPlainJson({
      walletAddress: wallet,
      totalTickets: entries.length,
      ticketNumbers: entries.map((e) => e.ticketNumber),
      entries,
    })!;
  }

  const ticketsOf = (wallet: string, as: TestWallet, query = '') =>
    request(system.app).get(`/api/v1/lottery/tickets/${wallet}${query}`).set(auth[as.address]!);

  beforeAll(async () => {
    db = await ownDatabase(`reads_${crypto.randomBytes(3).toString('hex')}`);
    system = await startTestSystem({ DATABASE_URL: db.url, ADMIN_WALLETS: admin.address });
    for (const w of [admin, alice, bob])
      auth[w.address] = { Authorization: `Bearer ${await signIn(system.app, w)}` };
    for (const id of rounds) await insertRound(id);
    const sol = CURRENCIES.SOL.decimals;
    // Display numbers at their edges: 1 base unit, whole units, 15+ significant digits, the largest bigint.
    await insertTickets(
      alice.address,
      'reads-a',
      'SOL',
      [
        1n,
        10n,
        10n ** BigInt(sol),
        123_456_789n,
        1_234_567_891_234_567n,
        999_999_999_999_999_999n,
        BIGINT_MAX,
        0n,
      ],
      '2020-01-01 00:00:01.569999+00',
    );
    await insertTickets(
      alice.address,
      'reads-b',
      'USDC',
      [1n, 1_000_000n, 2_500_001n, null],
      '2020-01-01 00:00:01.57+00',
    );
    await insertTickets(alice.address, 'reads-a', null, [null, null], '2020-01-01 00:00:01.5+00');
    await insertTickets(alice.address, 'reads-b', 'SOL', [7n], '2020-01-01 00:00:01.5+00');
    await insertTickets(bob.address, 'reads-a', 'SOL', [10_000_000n], '2020-01-01 00:00:00+00');
  }, 60_000);

  afterAll(async () => {
    await system?.close();
    await db?.drop();
  });

  it("answers a wallet's tickets byte for byte as the API's JSON writer would, oldest first", async () => {
    const res = await ticketsOf(alice.address, alice).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/no-store/);
    expect(res.text).toBe(await expectedText(alice.address));
    expect(res.body).toMatchObject({ walletAddress: alice.address, totalTickets: 15 });
    // A spot check of the reference itself: 1 lamport in plain notation, amounts exact as text.
    expect(res.text).toContain(
      '"amountPaidBaseUnits":"1","nftBurned":null,"createdAt":"2020-01-01T00:00:01.569Z","amountPaid":0.000000001}',
    );
    expect(res.text).toContain(`"amountPaidBaseUnits":"${BIGINT_MAX}"`);
    // An admin reads any wallet; the answer is the same.
    expect((await ticketsOf(alice.address, admin).expect(200)).text).toBe(res.text);
  });

  it('narrows to one round with roundId, and answers an empty list for a wallet without tickets', async () => {
    const inB = await ticketsOf(alice.address, alice, '?roundId=reads-b').expect(200);
    expect(inB.text).toBe(await expectedText(alice.address, 'reads-b'));
    expect(inB.body.totalTickets).toBe(5);
    const none = await ticketsOf(admin.address, admin).expect(200);
    expect(none.text).toBe(
      `{"walletAddress":"${admin.address}","totalTickets":0,"ticketNumbers":[],"entries":[]}`,
    );
  });

  it('writes every magnitude of display amount as toDisplayNumber does', async () => {
    const wallet = newWallet();
    auth[wallet.address] = { Authorization: `Bearer ${await signIn(system.app, wallet)}` };
    for (const currency of ['SOL', 'USDC'] as const) {
      await insertTickets(
        wallet.address,
        'reads-a',
        currency,
        Array.from({ length: 150 }, randomAmount),
        '2020-01-01 00:00:02+00',
      );
    }
    const res = await ticketsOf(wallet.address, wallet).expect(200);
    expect(res.body.totalTickets).toBe(300);
    expect(res.text).toBe(await expectedText(wallet.address));
  });

  it('shows tickets issued to a wallet in the very next read', async () => {
    const buyer = newWallet();
    auth[buyer.address] = { Authorization: `Bearer ${await signIn(system.app, buyer)}` };
    await insertRound('reads-now', true);
    const before = await ticketsOf(buyer.address, buyer).expect(200);
    expect(before.body.totalTickets).toBe(0);
    const sig = signature();
    await system.sql(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
       values (?, 'purchase', 'reads-now', ?, 'SOL', 2, 'pending')`,
      [sig, buyer.address],
    );
    const issued = await issuePurchaseTickets(
      system.resources.orm.em.fork() as EntityManager,
      {
        signature: sig,
        roundId: 'reads-now',
        wallet: buyer.address,
        ticketCount: 2,
        currency: 'SOL',
        claimedAmountBaseUnits: null,
        verifyWindowMs: 60_000,
      },
      { amountBaseUnits: '20000000', slot: 1, blockTime: null },
      system.config,
    );
    expect(issued.status).toBe('accepted');
    const after = await ticketsOf(buyer.address, buyer).expect(200);
    expect(after.body.ticketNumbers).toEqual(issued.ticketNumbers);
    expect(after.text).toBe(await expectedText(buyer.address));
  });

  it('refuses bad input on the wallet and the query, naming the field', async () => {
    const get = (path: string, as?: TestWallet) => {
      const r = request(system.app).get(`/api/v1/lottery/tickets/${path}`);
      return as ? r.set(auth[as.address]!) : r;
    };
    for (const bad of ['not-base58-0OIl', 'x'.repeat(100), bs58.encode(crypto.randomBytes(31)), '%00abc']) {
      const res = await get(bad, admin);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('ValidationFailed');
      expect(res.body.error.message).toContain('params.walletAddress');
    }
    for (const [query, field] of [
      ['?roundId=', 'query.roundId'],
      ['?roundId=a%20b', 'query.roundId'],
      ['?round=reads-a', 'query'],
    ] as const) {
      const res = await get(`${alice.address}${query}`, alice);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    expect((await get(alice.address)).status).toBe(401);
    const stranger = await get(alice.address, bob);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain('walletAddress');
  });

  it("answers the current round's text as GET /lottery/rounds/:id writes it", async () => {
    // 'reads-now' (active) is the current round once the cache has loaded after its insert.
    const current = await request(system.app).get('/api/v1/lottery/rounds/current').expect(200);
    const byId = await request(system.app)
      .get(`/api/v1/lottery/rounds/${current.body.id as string}`)
      .expect(200);
    expect(current.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(current.text).toBe(byId.text);
  });

  it('sends the ETag Express would give the same bytes, and 304 to a client that has them', async () => {
    const current = await request(system.app).get('/api/v1/lottery/rounds/current').expect(200);
    const tickets = await ticketsOf(alice.address, alice).expect(200);
    for (const [answer, path, as] of [
      [current, '/api/v1/lottery/rounds/current', undefined],
      [tickets, `/api/v1/lottery/tickets/${alice.address}`, alice],
    ] as const) {
      const bare = express();
      bare.get('/', (_req, res) => {
        res.type('application/json').send(answer.text);
      });
      const expected = (await request(bare).get('/').expect(200)).headers.etag as string;
      expect(expected).toMatch(/^W\//);
      expect(answer.headers.etag).toBe(expected);
      const again = request(system.app).get(path).set('If-None-Match', expected);
      if (as) again.set('Authorization', `Bearer ${await signIn(system.app, as)}`);
      const notModified = await again.expect(304);
      expect(notModified.text).toBe('');
    }
  });
});
