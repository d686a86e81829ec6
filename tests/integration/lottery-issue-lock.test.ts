/**
 * A ticket issue reads the round's terms without the row lock and takes it only for the
 * counter update (src/db/lottery/tickets.ts): when the round is frozen or cancelled between
 * the read and the update, the issue takes no number and is decided again under the lock
 * (late, refund owed = amount), and the counter does not move.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import type { EntityManager } from '@mikro-orm/postgresql';
import { issuePurchaseTickets } from '../../src/db/lottery/tickets';
import { sql } from '../../src/db/sql';
import { ownDatabase, startTestSystem, type TestSystem } from '../support/harness';
import { newWallet } from '../support/wallet';

const signature = () => bs58.encode(crypto.randomBytes(64));

describe('ticket issue against a round that changes meanwhile (real PostgreSQL)', () => {
  let system: TestSystem;
  /** Its own: its active rounds would overlap other suites' sales windows (one round sells at a time). */
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const em = () => system.resources.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    database = await ownDatabase('issue_lock');
    system = await startTestSystem({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await system?.close();
    await database?.drop();
  });

  async function activeRound(): Promise<string> {
    const id = `issue-lock-${crypto.randomBytes(4).toString('hex')}`;
    await system.sql(
      `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, ticket_price_lamports, ticket_price_usdc,
         status, seed_commitment, secret_seed, total_tickets_sold)
       values (?, 1500000000, now() - interval '1 minute', now() + interval '1 hour', 10000000, 1000000, 'active', ?, ?, 7)`,
      [id, 'a'.repeat(64), 'b'.repeat(64)],
    );
    return id;
  }

  async function pendingPurchase(roundId: string, wallet: string): Promise<string> {
    const sig = signature();
    await system.sql(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
       values (?, 'purchase', ?, ?, 'SOL', 2, 'pending')`,
      [sig, roundId, wallet],
    );
    return sig;
  }

  /** Decides the pending purchase `sig`: the chain showed 2 tickets' price (0.02 SOL) paid. */
  const issueTwo = (roundId: string, wallet: string, sig: string) =>
    issuePurchaseTickets(
      em(),
      {
        signature: sig,
        roundId,
        wallet,
        ticketCount: 2,
        currency: 'SOL',
        claimedAmountBaseUnits: null,
        verifyWindowMs: 60_000,
      },
      { amountBaseUnits: '20000000', slot: 1, blockTime: null },
      system.config,
    );

  /** Resolves once a statement on `lottery_rounds` of this database waits for a row lock. */
  async function waitingForRoundLock(): Promise<void> {
    for (;;) {
      const [row] = await system.sql<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%lottery_rounds%'`,
      );
      if (Number(row?.n) > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it.each([
    ['frozen', `frozen_at = now(), frozen_ticket_count = total_tickets_sold, status = 'drawing'`, 'frozen'],
    ['cancelled', `status = 'cancelled'`, 'cancelled'],
  ])('a purchase decided while the round is %s takes no number and is late', async (_, change, reason) => {
    const roundId = await activeRound();
    const wallet = newWallet().address;
    const sig = await pendingPurchase(roundId, wallet);

    // An admin step holds the round's lock while the purchase is decided, then changes the round.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const admin = em().transactional(async (tx) => {
      await sql(tx, 'select 1 from lottery_rounds where id = ? for update', [roundId]);
      locked();
      await held;
      await sql(tx, `update lottery_rounds set ${change}, updated_at = now() where id = ?`, [roundId]);
    });
    await lockTaken;

    const issued = issueTwo(roundId, wallet, sig);
    await waitingForRoundLock();
    release();
    await admin;
    const outcome = await issued;

    expect(outcome).toMatchObject({ status: 'late', ticketNumbers: [], refundOwedBaseUnits: '20000000' });
    expect(outcome.reason).toContain(reason);
    const [round] = await system.sql<{ total: number }>(
      'select total_tickets_sold as total from lottery_rounds where id = ?',
      [roundId],
    );
    expect(Number(round?.total)).toBe(7);
    const tickets = await system.sql('select 1 from lottery_tickets where transaction_signature = ?', [sig]);
    expect(tickets).toHaveLength(0);
  });

  it('a purchase waiting behind another issue numbers its tickets after it, gapless', async () => {
    const roundId = await activeRound();
    const wallet = newWallet().address;
    const sigs = await Promise.all(Array.from({ length: 12 }, () => pendingPurchase(roundId, wallet)));
    const outcomes = await Promise.all(sigs.map((sig) => issueTwo(roundId, wallet, sig)));
    const numbers = outcomes.flatMap((o) => o.ticketNumbers).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => 8 + i));
    const [round] = await system.sql<{ total: number }>(
      'select total_tickets_sold as total from lottery_rounds where id = ?',
      [roundId],
    );
    expect(Number(round?.total)).toBe(31);
  });
});
