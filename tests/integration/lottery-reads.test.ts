/**
 * The lottery's hot reads on a database of their own: GET /lottery/tickets/:walletAddress
 * (its JSON text written by PostgreSQL, src/db/json-text.ts) answers byte for byte what the
 * API's own JSON writer makes of the same rows: amounts as base-unit text, the display
 * `amountPaid` as `toDisplayNumber` writes it for every magnitude, `createdAt` as the
 * driver's Date writes it, oldest first; bad input is refused naming the field. The answers
 * are held in Redis per wallet and round filter (src/wallet-tickets-cache.ts): a purchase
 * (API → worker → local chain) is in the very next read, and Redis failing, down or not
 * answering leaves the answer to PostgreSQL. GET /lottery/rounds/current answers the round's text as
 * GET /lottery/rounds/:id does. Both carry the ETag Express gives the same bytes by default
 * (made once per cached text for rounds/current) and answer 304 to it.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import express from 'express';
import request from 'supertest';
import { Keypair, SystemProgram } from '@solana/web3.js';
import { createLotteryActivities } from '../../activities/lottery';
import { prepareJson, toPlainJson } from '../../src/api/json';
import { createChainConnection } from '../../src/chain/rpc';
import { CURRENCIES, toDisplayNumber, type Currency } from '../../src/domain/money';
import { openRedis } from '../../src/resources';
import { walletTicketsCache } from '../../src/wallet-tickets-cache';
import { fundedKeypair, sendLegacy } from '../support/chain-fixtures';
import {
  ownDatabase,
  startTestSystem,
  startTestWorker,
  testConfig,
  type TestSystem,
} from '../support/harness';
import { startTcpProxy } from '../support/tcp-proxy';
import { newWallet, signIn, walletOf, type TestWallet } from '../support/wallet';

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
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const treasury = Keypair.generate();
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
    system = await startTestSystem({
      DATABASE_URL: db.url,
      ADMIN_WALLETS: admin.address,
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      PURCHASE_WAIT: '30s',
    });
    worker = await startTestWorker(system);
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
    await worker?.close();
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

  it("answers from Redis per round filter until the wallet's tickets are issued: a purchase is in the very next read", async () => {
    const keypair = fundedKeypair(system.chain!, 1);
    const buyer = walletOf(keypair.secretKey);
    auth[buyer.address] = { Authorization: `Bearer ${await signIn(system.app, buyer)}` };
    await insertRound('reads-now', true);
    const empty = `{"walletAddress":"${buyer.address}","totalTickets":0,"ticketNumbers":[],"entries":[]}`;
    expect((await ticketsOf(buyer.address, buyer).expect(200)).text).toBe(empty);
    expect((await ticketsOf(buyer.address, buyer, '?roundId=reads-now').expect(200)).text).toBe(empty);
    // A ticket written behind the issue's back (nothing forgets the answers): the answers
    // already held stay as they were; a round filter not read yet is an answer of its own.
    await insertTickets(buyer.address, 'reads-a', 'SOL', [5n], '2020-01-01 00:00:03+00');
    expect((await ticketsOf(buyer.address, buyer).expect(200)).text).toBe(empty);
    expect((await ticketsOf(buyer.address, buyer, '?roundId=reads-now').expect(200)).text).toBe(empty);
    const inA = await ticketsOf(buyer.address, buyer, '?roundId=reads-a').expect(200);
    expect(inA.text).toBe(await expectedText(buyer.address, 'reads-a'));
    expect(inA.body.totalTickets).toBe(1);

    // A real purchase (API → workflow on the worker → the local chain): its issue forgets them all.
    const paid = await sendLegacy(
      createChainConnection(system.config),
      [
        SystemProgram.transfer({
          fromPubkey: keypair.publicKey,
          toPubkey: treasury.publicKey,
          lamports: 20_000_000n,
        }),
      ],
      [keypair],
    );
    const bought = await request(system.app).post('/api/v1/lottery/purchase').set(auth[buyer.address]!).send({
      walletAddress: buyer.address,
      ticketCount: 2,
      paymentMethod: 'SOL',
      transactionSignature: paid,
      roundId: 'reads-now',
    });
    expect({ status: bought.status, error: bought.body.error }).toEqual({ status: 200, error: undefined });
    const all = await ticketsOf(buyer.address, buyer).expect(200);
    expect(all.text).toBe(await expectedText(buyer.address));
    expect(all.body.ticketNumbers).toEqual([inA.body.ticketNumbers[0], ...bought.body.ticketsIssued]);
    const inNow = await ticketsOf(buyer.address, buyer, '?roundId=reads-now').expect(200);
    expect(inNow.text).toBe(await expectedText(buyer.address, 'reads-now'));
    expect(inNow.body.ticketNumbers).toEqual(bought.body.ticketsIssued);
    expect((await ticketsOf(buyer.address, buyer, '?roundId=reads-a').expect(200)).text).toBe(inA.text);
    // Only the owner and admins, cached or not.
    await ticketsOf(buyer.address, bob).expect(403);
  });

  it('answers from PostgreSQL when Redis answers the cache with an error', async () => {
    const wallet = newWallet();
    auth[wallet.address] = { Authorization: `Bearer ${await signIn(system.app, wallet)}` };
    await insertTickets(wallet.address, 'reads-b', 'USDC', [3n, 4n], '2020-01-01 00:00:04+00');
    // A string where the wallet's hash belongs: every cache command on it fails (WRONGTYPE).
    await system.resources.redis.set(`lottery:tickets:${wallet.address}`, 'not a hash');
    for (const query of ['', '?roundId=reads-b']) {
      const res = await ticketsOf(wallet.address, wallet, query).expect(200);
      expect(res.text).toBe(await expectedText(wallet.address, query ? 'reads-b' : undefined));
    }
    await system.resources.redis.del(`lottery:tickets:${wallet.address}`);
    expect((await ticketsOf(wallet.address, wallet).expect(200)).text).toBe(
      await expectedText(wallet.address),
    );
  });

  it('answers from PostgreSQL while Redis is down or not answering, and from Redis once it is back', async () => {
    const target = new URL(process.env.REDIS_URL!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    target.host = `127.0.0.1:${proxy.port}`;
    const config = testConfig({ ...system.env, REDIS_URL: target.toString() });
    const redis = openRedis(config, system.deps.logger);
    try {
      await new Promise((resolve) => redis.once('ready', resolve));
      const answer = walletTicketsCache(redis, 60_000, system.deps.logger);
      const wallet = newWallet().address;
      let loads = 0;
      const load = async () => prepareJson(`{"load":${++loads}}`);
      const text = async () => (await answer(wallet, undefined, load)).bytes.toString();
      expect(await text()).toBe('{"load":1}');
      // The store is not awaited by the read: wait for it to land.
      while (!(await redis.hexists(`lottery:tickets:${wallet}`, 'all'))) await new Promise(setImmediate);
      expect(await text()).toBe('{"load":1}');
      // Another process (its own copies) reads the answer Redis holds.
      const other = walletTicketsCache(redis, 60_000, system.deps.logger);
      expect((await other(wallet, undefined, load)).bytes.toString()).toBe('{"load":1}');
      expect(loads).toBe(1);

      proxy.stall(); // connected, never answering: the read gives up after its short wait
      expect(await text()).toBe('{"load":2}');
      proxy.pause(); // connection dropped and refused
      expect(await text()).toBe('{"load":3}');

      proxy.resume();
      await new Promise((resolve) => redis.once('ready', resolve));
      expect(await text()).toBe('{"load":1}');
      expect(loads).toBe(3);
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });

  it('an issue whose forget fails is retried: the retry answers the decided receipt and forgets', async () => {
    const buyer = newWallet();
    auth[buyer.address] = { Authorization: `Bearer ${await signIn(system.app, buyer)}` };
    const sig = signature();
    await system.sql(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
       values (?, 'purchase', 'reads-now', ?, 'SOL', 2, 'pending')`,
      [sig, buyer.address],
    );
    const before = await ticketsOf(buyer.address, buyer).expect(200);
    expect(before.body.totalTickets).toBe(0);
    const input = {
      signature: sig,
      roundId: 'reads-now',
      wallet: buyer.address,
      ticketCount: 2,
      currency: 'SOL' as const,
      claimedAmountBaseUnits: null,
      verifyWindowMs: 60_000,
    };
    const paid = { amountBaseUnits: '20000000', slot: 1, blockTime: null };
    const activityDeps = { config: system.config, logger: system.deps.logger, orm: system.resources.orm };
    // Nothing listens on port 1: the attempt commits its transaction, then cannot forget.
    const unreachable = openRedis(
      testConfig({ ...system.env, REDIS_URL: 'redis://127.0.0.1:1' }),
      system.deps.logger,
    );
    try {
      const failing = createLotteryActivities({ ...activityDeps, redis: unreachable });
      await expect(failing.issuePurchaseTickets(input, paid)).rejects.toThrow();
    } finally {
      unreachable.disconnect();
    }
    const [receipt] = await system.sql<{ status: string }>(
      'select status from chain_receipts where signature = ?',
      [sig],
    );
    expect(receipt?.status).toBe('accepted');
    // Until an attempt forgets, the answer held is the one from before the issue.
    expect((await ticketsOf(buyer.address, buyer).expect(200)).text).toBe(before.text);
    const retried = await createLotteryActivities({
      ...activityDeps,
      redis: system.resources.redis,
    }).issuePurchaseTickets(input, paid);
    expect(retried.status).toBe('accepted');
    expect(retried.ticketNumbers).toHaveLength(2);
    const after = await ticketsOf(buyer.address, buyer).expect(200);
    expect(after.body.ticketNumbers).toEqual(retried.ticketNumbers);
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
