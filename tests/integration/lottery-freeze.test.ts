/**
 * The round's freeze waits for a submission the chain already shows but not yet at the
 * required commitment (issue 15 rule 4), and only for it: its run signals the round, the
 * round freezes as soon as it is decided, well inside the grace period. The lottery suite
 * runs at `confirmed`, where the local chain confirms at once; here the required commitment
 * is `finalized` (32 slots of 300 ms), so a fresh payment's status is seen `confirmed`. The
 * local chain serves getTransaction alike at both commitments, so verification itself does
 * not wait: the test holds the decision back with a row lock on the receipt (as a slow
 * database would) to show the round waiting for it.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connection, SystemProgram, type Keypair } from '@solana/web3.js';
import { sql } from '../../src/db/sql';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { roundStatusQuery } from '../../workflows/lottery.api';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { fundedKeypair, sendLegacy, SOL } from '../support/chain-fixtures';
import { recordHistory } from '../support/replay';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n;
const GRACE_MS = 60_000;

describe('lottery freeze (commitment finalized)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let server: Server;
  let treasury: Keypair;
  /** Its own: its round's sales window would overlap the lottery suite's (one round sells at a time). */
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const admin = newWallet();
  let adminAuth: { Authorization: string };

  beforeAll(async () => {
    database = await ownDatabase('freeze');
    chain = await startLocalChain({ port: 0, slotMs: 300 });
    treasury = fundedKeypair(chain, 1);
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      SOLANA_COMMITMENT: 'finalized',
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      ADMIN_WALLETS: admin.address,
      LOTTERY_GRACE_PERIOD: `${GRACE_MS}ms`,
      LOTTERY_VERIFY_WINDOW: '30s',
      PURCHASE_WAIT: '40s',
    });
    connection = new Connection(chain.url, 'confirmed');
    worker = await startTestWorker(system);
    adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
    server = system.app.listen(0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('a payment still confirming at the close holds the freeze until it is decided (tickets), not until the grace period ends', async () => {
    const created = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      });
    expect(created.status).toBe(201);
    const roundId = created.body.id as string;
    const round = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
    const signalsOf = async () =>
      ((await round.fetchHistory()).events ?? [])
        .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
        .filter(Boolean);

    const buyer = fundedKeypair(chain, 5);
    const token = await signIn(system.app, walletOf(buyer.secretKey));
    const signature = await sendLegacy(
      connection,
      [
        SystemProgram.transfer({
          fromPubkey: buyer.publicKey,
          toPubkey: treasury.publicKey,
          lamports: PRICE_SOL,
        }),
      ],
      [buyer],
    );
    // The pending receipt as the run writes it, locked until the test lets the decision through.
    await system.sql(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
       values (?, 'purchase', ?, ?, 'SOL', 1, 'pending')`,
      [signature, roundId, buyer.publicKey.toBase58()],
    );
    let letDecide!: () => void;
    const decisionAllowed = new Promise<void>((resolve) => (letDecide = resolve));
    let lockTaken!: () => void;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    const holding = (system.resources.orm.em.fork() as EntityManager).transactional(async (tx) => {
      await sql(tx, 'select 1 from chain_receipts where signature = ? for update', [signature]);
      lockTaken();
      await decisionAllowed;
    });
    await locked;

    const answer = request(system.app)
      .post('/api/v1/lottery/purchase')
      .set({ Authorization: `Bearer ${token}` })
      .send({
        walletAddress: buyer.publicKey.toBase58(),
        ticketCount: 1,
        paymentMethod: 'SOL',
        transactionSignature: signature,
        roundId,
      })
      .then((res) => res);
    // Its run saw it confirming (not finalized yet) and told the round.
    for (let wait = 10; !(await signalsOf()).includes('receiptConfirming'); wait = Math.min(wait * 2, 200)) {
      await new Promise((r) => setTimeout(r, wait));
    }

    const closedAt = Date.now();
    const closed = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(adminAuth)
      .send({});
    expect(closed.status).toBe(200);
    // The round has closed and waits on its grace timer, not frozen: the payment holds it.
    const waiting = async () => {
      const events = (await round.fetchHistory()).events ?? [];
      // After the last status step (closing), a timer: the grace-bounded wait.
      const steps = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
      const closing = steps.lastIndexOf('setLotteryRoundStatus');
      const closingNow = (await round.query(roundStatusQuery)).status === 'closing';
      return closingNow && events.slice(closing + 1).some((e) => e.timerStartedEventAttributes);
    };
    for (let wait = 10; !(await waiting()); wait = Math.min(wait * 2, 200)) {
      await new Promise((r) => setTimeout(r, wait));
    }
    const held = await round.query(roundStatusQuery);
    expect({ status: held.status, frozen: held.frozenTicketCount }).toEqual({
      status: 'closing',
      frozen: null,
    });

    letDecide();
    await holding;
    const bought = await answer;
    expect(bought.status).toBe(200);
    expect(bought.body.ticketsIssued).toEqual([1]);
    for (
      let wait = 10;
      (await round.query(roundStatusQuery)).frozenTicketCount === null;
      wait = Math.min(wait * 2, 200)
    ) {
      await new Promise((r) => setTimeout(r, wait));
    }
    const [timing] = await system.sql<{ frozen: Date; decided: Date }>(
      `select r.frozen_at as frozen, c.updated_at as decided from lottery_rounds r, chain_receipts c
        where r.id = ? and c.signature = ?`,
      [roundId, signature],
    );
    // (The decision was let through only once the round was seen holding.) Frozen after it, with
    // its ticket, long before the grace period's end.
    expect(new Date(timing!.frozen).getTime()).toBeGreaterThanOrEqual(new Date(timing!.decided).getTime());
    expect(new Date(timing!.frozen).getTime() - closedAt).toBeLessThan(GRACE_MS / 2);
    expect((await round.query(roundStatusQuery)).frozenTicketCount).toBe(1);
    expect(await signalsOf()).toEqual(['receiptConfirming', 'receiptDecided']);

    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-accepted-held-freeze');
    await recordHistory(system, workflowIds.lotteryRound(roundId), 'lotteryRound-held-for-confirming');
  }, 120_000);
});
