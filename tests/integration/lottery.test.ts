/**
 * The lottery end to end: API → workflows on a real worker → real signed SOL/USDC payments
 * on the local chain → tickets in PostgreSQL; then close → freeze → beacon → draw → public
 * proof checked by the verifier.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bs58 from 'bs58';
import request from 'supertest';
import { Keypair, PublicKey, SystemProgram, Transaction, type Connection } from '@solana/web3.js';
import { createBurnCheckedInstruction, createTransferCheckedInstruction } from '@solana/spl-token';
import type { LocalChain } from '../../src/chain/local';
import { verifyDrawProof, type DrawProof } from '../../src/domain/lottery/fair-draw';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { checkDrawProof, checkDrawProofOnChain, verifyDrawFromApi } from '../../src/cli/verify-draw';
import { createApp } from '../../src/api/app';
import { allRouteModules } from '../../src/api/routes';
import { startTestWorker, type TestSystem } from '../support/harness';
import { startLotteryTestbed, type LotteryTestbed } from '../support/lottery-testbed';
import { fundedKeypair, newNft, sendLegacy, tokenAccountWith, SOL } from '../support/chain-fixtures';
import { recordHistory, replayRuns } from '../support/replay';
import { startWorkerProcess } from '../support/worker-process';
import type { Client } from '@temporalio/client';
import { roundStatusQuery, type RoundState } from '../../workflows/lottery.api';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n; // 0.01 SOL
const PRICE_USDC = 1_000_000n; // 1 USDC
/** The burst's size: the 500 purchases from 50 wallets (smaller for a quick local run). */
const BURST_WALLETS = Number(process.env.LOTTERY_TEST_WALLETS ?? 50);
const BURST_PER_WALLET = Number(process.env.LOTTERY_TEST_PER_WALLET ?? 10);

describe('lottery (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let server: Server;
  let apiUrl: string;
  let mintAuthority: Keypair;
  let usdcMint: PublicKey;
  let treasury: Keypair;
  let treasuryUsdc: PublicKey;
  let bed: LotteryTestbed | undefined;
  let adminAuth: { Authorization: string };
  const tokens = new Map<string, string>();
  let mainRound: string;

  async function authOf(keypair: Keypair) {
    const wallet = walletOf(keypair.secretKey);
    let token = tokens.get(wallet.address);
    if (!token) {
      token = await signIn(system.app, wallet);
      tokens.set(wallet.address, token);
    }
    return { Authorization: `Bearer ${token}` };
  }

  async function buyer(usdc = 0n): Promise<Keypair> {
    const keypair = fundedKeypair(chain, 5);
    if (usdc > 0n) await tokenAccountWith(connection, mintAuthority, usdcMint, keypair.publicKey, usdc);
    return keypair;
  }

  const paySol = (from: Keypair, lamports: bigint) =>
    sendLegacy(
      connection,
      [SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: treasury.publicKey, lamports })],
      [from],
    );

  /** A purchase body paying `transactionSignature` in SOL for tickets of the main round. */
  const solPurchase = (
    transactionSignature: string,
    ticketCount = 1,
    over: Record<string, unknown> = {},
  ) => ({
    ticketCount,
    paymentMethod: 'SOL',
    transactionSignature,
    roundId: mainRound,
    ...over,
  });

  async function payUsdc(from: Keypair, amount: bigint): Promise<string> {
    const source = await tokenAccountWith(connection, mintAuthority, usdcMint, from.publicKey, 0n);
    return sendLegacy(
      connection,
      [createTransferCheckedInstruction(source, usdcMint, treasuryUsdc, from.publicKey, amount, 6)],
      [from],
    );
  }

  /** Rounds this suite created: other suites write receipts (without workflows) to the same tables. */
  const suiteRounds: string[] = [];
  async function createRound(over: Record<string, unknown> = {}): Promise<string> {
    const body = {
      prizePool: 1,
      startDate: new Date(Date.now() - 60_000).toISOString(),
      endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
      ticketPriceLamports: PRICE_SOL.toString(),
      ticketPriceUsdc: PRICE_USDC.toString(),
      ticketsPerBurn: 2,
      ...over,
    };
    const res = await request(system.app).post('/api/v1/admin/lottery/rounds').set(adminAuth).send(body);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    expect(res.body.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    // Asked to start in the past: answered once open, the second after its commitment memo (or
    // cancelled, when its window had passed before the memo).
    if (Date.parse(body.startDate as string) <= Date.now()) {
      expect(['active', 'cancelled']).toContain(res.body.status);
      if (res.body.status === 'active')
        expect(Date.parse(res.body.startDate as string)).toBeGreaterThan(
          Date.parse(body.startDate as string),
        );
    }
    suiteRounds.push(res.body.id as string);
    return res.body.id as string;
  }

  const purchase = async (keypair: Keypair, body: Record<string, unknown>) => {
    const res = await request(system.app)
      .post('/api/v1/lottery/purchase')
      .set(await authOf(keypair))
      .send({ walletAddress: keypair.publicKey.toBase58(), ...body });
    return res;
  };

  /**
   * The tickets a purchase answer gives: a 200's `ticketsIssued`, or for a 202 (past the
   * bounded wait) what its status URL says once decided. Anything else fails the test.
   */
  async function ticketsFrom(res: request.Response): Promise<number[]> {
    if (res.status !== 202) {
      expect(res.status).toBe(200);
      return res.body.ticketsIssued as number[];
    }
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      // As an admin: anyone else sees only a purchase's status, not its tickets.
      const status = await request(system.app)
        .get(res.body.statusUrl as string)
        .set(adminAuth);
      // A 202 can come before the run's first step wrote the pending receipt (a loaded machine).
      if (status.status !== 404) expect(status.status).toBe(200);
      if (status.status === 200 && status.body.status !== 'pending') {
        expect(status.body.status).toBe('accepted');
        return status.body.ticketNumbers as number[];
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** The round's state once `ready` holds, asked with a backoff (bounded: the test's timeout). */
  async function untilRoundState(
    round: ReturnType<Client['workflow']['getHandle']>,
    ready: (state: RoundState) => boolean,
  ): Promise<RoundState> {
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const state = await round.query(roundStatusQuery);
      if (ready(state)) return state;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  beforeAll(async () => {
    bed = await startLotteryTestbed({
      name: 'lottery',
      env: {
        LOTTERY_PENDING_POLL: '200ms',
        RATE_LIMIT_API_PER_MINUTE: '100000',
        RATE_LIMIT_AUTH_IP_PER_MINUTE: '10000',
        RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '10000',
        DATABASE_POOL_MAX: '10',
      },
    });
    ({ chain, connection, system, mintAuthority, usdcMint, treasury, treasuryUsdc, adminAuth } = bed);
    worker = await startTestWorker(system);
    server = system.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mainRound = await createRound();
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await worker?.close();
    await bed?.close();
  });

  it('publishes the current round with what a client needs to pay', async () => {
    const res = await request(system.app).get(`/api/v1/lottery/rounds/${mainRound}`).expect(200);
    expect(res.body).toMatchObject({
      id: mainRound,
      prizePool: 1,
      prizePoolLamports: SOL.toString(),
      treasuryWallet: treasury.publicKey.toBase58(),
      usdcMint: usdcMint.toBase58(),
      ticketPriceLamports: PRICE_SOL.toString(),
      ticketPriceUsdcBaseUnits: PRICE_USDC.toString(),
      ticketsPerBurn: 2,
      seedCommitment: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const current = await request(system.app).get('/api/v1/lottery/rounds/current').expect(200);
    expect(current.body.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a round whose sales window overlaps a scheduled or active one (409 naming it), also when two are created at once', async () => {
    const roundCount = async () =>
      (await system.sql<{ n: number }>('select count(*)::int n from lottery_rounds'))[0]!.n;
    const create = (startMs: number, endMs: number, id?: string) =>
      request(system.app)
        .post('/api/v1/admin/lottery/rounds')
        .set(adminAuth)
        .send({
          ...(id ? { id } : {}),
          prizePool: 1,
          startDate: new Date(startMs).toISOString(),
          endDate: new Date(endMs).toISOString(),
          ticketPriceLamports: PRICE_SOL.toString(),
          ticketPriceUsdc: PRICE_USDC.toString(),
        });
    const before = await roundCount();
    const now = Date.now();
    const overlapping = await create(now + 60_000, now + 120_000);
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe('RoundOverlaps');
    // (scheduled or already active: the run marks it active a moment after its creation)
    expect(overlapping.body.error.message).toMatch(
      new RegExp(`overlaps round ${mainRound} \\((scheduled|active), `),
    );
    expect(await roundCount()).toBe(before);
    const current = await request(system.app).get('/api/v1/lottery/rounds/current').expect(200);
    expect(current.body.id).toBe(mainRound);

    // Two overlapping windows (hours ahead, clear of the main round) at once: one is created,
    // the other refused naming it, whichever check (the route's or the locked one) catches it.
    const hour = 3_600_000;
    const ids = [
      `overlap-a-${crypto.randomBytes(3).toString('hex')}`,
      `overlap-b-${crypto.randomBytes(3).toString('hex')}`,
    ];
    const [a, b] = await Promise.all([
      create(now + 3 * hour, now + 4 * hour, ids[0]),
      create(now + 3.5 * hour, now + 4.5 * hour, ids[1]),
    ]);
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    const [won, lost] = a!.status === 201 ? [a!, b!] : [b!, a!];
    expect(lost.body.error.code).toBe('RoundOverlaps');
    expect(lost.body.error.message).toContain(`overlaps round ${won.body.id as string} (scheduled`);
    expect(await roundCount()).toBe(before + 1);
    suiteRounds.push(won.body.id as string);
    // The refused id is free again: created with a window clear of every other round
    // ([start, end) is half-open: starting at the winner's end is no overlap).
    const lostId = ids[a!.status === 201 ? 1 : 0]!;
    const retried = await create(new Date(won.body.endDate).getTime(), now + 6 * hour, lostId);
    expect(retried.status).toBe(201);
    suiteRounds.push(lostId);
    expect(await roundCount()).toBe(before + 2);
  });

  it('issues gapless tickets for a SOL purchase, and the same tickets on resubmission', async () => {
    const alice = await buyer();
    const signature = await paySol(alice, 3n * PRICE_SOL);
    const first = await purchase(alice, solPurchase(signature, 3, { amountPaid: 0.03 }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      success: true,
      transactionVerified: true,
      totalTickets: 3,
      refundOwedBaseUnits: '0',
    });
    expect(first.body.ticketsIssued).toHaveLength(3);
    const again = await purchase(alice, solPurchase(signature, 3, { amountPaid: 0.03 }));
    expect(again.status).toBe(200);
    expect(again.body.ticketsIssued).toEqual(first.body.ticketsIssued);
    const tickets = await request(system.app)
      .get(`/api/v1/lottery/tickets/${alice.publicKey.toBase58()}`)
      .set(await authOf(alice))
      .expect(200);
    expect(tickets.body.ticketNumbers).toEqual(first.body.ticketsIssued);
    // another wallet cannot read them
    await request(system.app)
      .get(`/api/v1/lottery/tickets/${alice.publicKey.toBase58()}`)
      .set(await authOf(await buyer()))
      .expect(403);
    const status = await request(system.app)
      .get(`/api/v1/lottery/purchases/${signature}`)
      .set(await authOf(alice))
      .expect(200);
    expect(status.body).toMatchObject({ status: 'accepted', ticketNumbers: first.body.ticketsIssued });
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-accepted');
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-accepted-local-steps');
    // One receipt shape: GET answers what POST answered (plus the stored receipt's fields).
    expect(status.body).toMatchObject(first.body);
    // totalTickets is the wallet's count in the round, read in the issue transaction itself.
    const more = await purchase(alice, {
      ticketCount: 2,
      paymentMethod: 'SOL',
      transactionSignature: await paySol(alice, 2n * PRICE_SOL),
      roundId: mainRound,
    });
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({ totalTickets: 5 });
    expect(more.body.ticketsIssued).toHaveLength(2);
  });

  it('shows a purchase status to anyone, its wallet, amounts and tickets only to the owner or an admin', async () => {
    const owner = await buyer();
    const signature = await paySol(owner, 2n * PRICE_SOL);
    const bought = await purchase(owner, solPurchase(signature, 2));
    expect(bought.status).toBe(200);
    const path = `/api/v1/lottery/purchases/${signature}`;
    const publicView = { signature, transactionSignature: signature, status: 'accepted', roundId: mainRound };
    const anonymous = await request(system.app).get(path).expect(200);
    expect(anonymous.body).toEqual(publicView);
    const stranger = await request(system.app)
      .get(path)
      .set(await authOf(await buyer()))
      .expect(200);
    expect(stranger.body).toEqual(publicView);
    const full = {
      walletAddress: owner.publicKey.toBase58(),
      amountBaseUnits: String(2n * PRICE_SOL),
      ticketNumbers: bought.body.ticketsIssued,
      ticketsIssued: bought.body.ticketsIssued,
    };
    const own = await request(system.app)
      .get(path)
      .set(await authOf(owner))
      .expect(200);
    expect(own.body).toMatchObject({ ...publicView, ...full });
    expect(own.headers['cache-control']).toMatch(/no-store/);
    const byAdmin = await request(system.app).get(path).set(adminAuth).expect(200);
    expect(byAdmin.body).toMatchObject({ ...publicView, ...full });
    // A bad token is refused, not treated as anonymous.
    await request(system.app).get(path).set('Authorization', 'Bearer not.a.token').expect(401);
  });

  it('queues the ticketsPurchased e-mail with the real ticket numbers to a buyer with an address', async () => {
    const kim = await buyer();
    await authOf(kim); // signing in creates the user row
    const to = `kim-${crypto.randomBytes(4).toString('hex')}@example.com`;
    await system.sql('update users set email = ? where wallet_address = ?', [to, kim.publicKey.toBase58()]);
    const signature = await paySol(kim, 2n * PRICE_SOL);
    const res = await purchase(kim, solPurchase(signature, 2));
    expect(res.status).toBe(200);
    const [mail] = await system.sql<{
      recipient_email: string;
      template: string;
      data: { ticketNumbers: number[] };
      text_body: string;
    }>('select recipient_email, template, data, text_body from email_notifications where dedupe_key = ?', [
      `tickets:${signature}`,
    ]);
    expect(mail).toMatchObject({
      recipient_email: to,
      template: 'ticketsPurchased',
      data: { ticketNumbers: res.body.ticketsIssued },
    });
    for (const n of res.body.ticketsIssued as number[]) expect(mail?.text_body).toContain(String(n));
  });

  it('records overpayment excess as owed, pays with USDC', async () => {
    const bob = await buyer(10n * PRICE_USDC);
    const signature = await payUsdc(bob, 2n * PRICE_USDC + 500_000n);
    const res = await purchase(bob, {
      ticketCount: 2,
      paymentMethod: 'USDC',
      transactionSignature: signature,
      roundId: mainRound,
    });
    expect(res.status).toBe(200);
    expect(res.body.ticketsIssued).toHaveLength(2);
    expect(res.body.refundOwedBaseUnits).toBe('500000');
  });

  it('rejects an underpayment with 422 and the chain figure, recorded as owed a refund', async () => {
    const carol = await buyer();
    const signature = await paySol(carol, PRICE_SOL / 2n);
    const res = await purchase(carol, solPurchase(signature));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('PaymentTooSmall');
    expect(res.body.error.details).toMatchObject({
      paidBaseUnits: (PRICE_SOL / 2n).toString(),
      refundOwedBaseUnits: (PRICE_SOL / 2n).toString(),
    });
    const [receipt] = await system.sql<{ status: string; refund: string }>(
      'select status, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
      [signature],
    );
    expect(receipt).toEqual({ status: 'rejected', refund: (PRICE_SOL / 2n).toString() });
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-rejected');
    const refunds = await request(system.app).get('/api/v1/admin/lottery/refunds').set(adminAuth).expect(200);
    expect(refunds.body.refunds.map((r: { signature: string }) => r.signature)).toContain(signature);
  });

  it("someone else's signature → 422 NotPaidByWallet, and its real payer can still claim it", async () => {
    const payer = await buyer();
    const thief = await buyer();
    const signature = await paySol(payer, PRICE_SOL);
    const body = solPurchase(signature);
    const stolen = await purchase(thief, body);
    expect(stolen.status).toBe(422);
    expect(stolen.body.error.code).toBe('NotPaidByWallet');
    const own = await purchase(payer, body);
    expect(own.status).toBe(200);
    expect(own.body.ticketsIssued).toHaveLength(1);
    const again = await purchase(thief, body);
    expect(again.status).toBe(409);
  });

  it('a signature not on chain yet is not consumed: a stranger submits it early, it lands, its payer gets the tickets', async () => {
    const payer = await buyer();
    const stranger = await buyer();
    // Signed, so its signature is known, but not sent yet.
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash('confirmed');
    const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: treasury.publicKey,
        lamports: PRICE_SOL,
      }),
    );
    tx.sign(payer);
    const signature = bs58.encode(tx.signature!);
    const body = solPurchase(signature);

    // Not found within the verification window (20 s here): answered, and nothing recorded.
    const early = await purchase(stranger, body);
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('TransactionNotFound');
    const rows = await system.sql('select 1 from chain_receipts where signature = ?', [signature]);
    expect(rows).toHaveLength(0);
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-not-found-released');

    await connection.sendRawTransaction(tx.serialize());
    await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, 'confirmed');
    const own = await purchase(payer, body);
    expect(own.status).toBe(200);
    expect(own.body.ticketsIssued).toHaveLength(1);
  }, 90_000);

  it('caps the submissions one wallet has verifying at once (429 TooManyPending), starting nothing', async () => {
    const capped = createApp(
      {
        ...system.deps,
        config: { ...system.config, lottery: { ...system.config.lottery, maxPendingPerWallet: 2 } },
      },
      allRouteModules,
    );
    const ivy = await buyer();
    const wallet = ivy.publicKey.toBase58();
    const fakeSignature = () => bs58.encode(crypto.randomBytes(64));
    for (const signature of [fakeSignature(), fakeSignature()]) {
      await system.sql(
        `insert into chain_receipts (signature, kind, round_id, wallet_address, status) values (?, 'purchase', ?, ?, 'pending')`,
        [signature, mainRound, wallet],
      );
    }
    const signature = fakeSignature();
    const res = await request(capped)
      .post('/api/v1/lottery/purchase')
      .set(await authOf(ivy))
      .send({
        walletAddress: wallet,
        ticketCount: 1,
        paymentMethod: 'SOL',
        transactionSignature: signature,
        roundId: mainRound,
      });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'TooManyPending', details: { pending: 2, limit: 2 } });
    expect(res.headers['retry-after']).toBe('10');
    await expect(
      system.resources.temporal.workflow.getHandle(workflowIds.ticketPurchase(signature)).describe(),
    ).rejects.toThrow(/not found/i);

    // A burn claim's signatures count one each.
    const fresh = await buyer();
    const burns = await request(capped)
      .post('/api/v1/lottery/burn-claim')
      .set(await authOf(fresh))
      .send({
        walletAddress: fresh.publicKey.toBase58(),
        nftsBurned: [Keypair.generate().publicKey.toBase58()],
        transactionSignatures: [fakeSignature(), fakeSignature(), fakeSignature()],
        ticketsClaimed: 2,
        roundId: mainRound,
      });
    expect(burns.status).toBe(429);
    expect(burns.body.error.details).toMatchObject({ pending: 0, submitted: 3, limit: 2 });
    await system.sql(`delete from chain_receipts where wallet_address = ? and status = 'pending'`, [wallet]);
  });

  it('rejects an amountPaid that disagrees with the chain, naming the chain figure', async () => {
    const dave = await buyer();
    const signature = await paySol(dave, PRICE_SOL);
    const res = await purchase(dave, solPurchase(signature, 1, { amountPaid: 0.5 }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('AmountMismatch');
    expect(res.body.error.message).toContain('0.01 SOL');
    // A wrong label consumes nothing: corrected, the same signature buys its ticket.
    expect(await system.sql('select 1 from chain_receipts where signature = ?', [signature])).toHaveLength(0);
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-refused-released');
    const corrected = await purchase(dave, solPurchase(signature, 1, { amountPaid: 0.01 }));
    expect(corrected.status).toBe(200);
    expect(corrected.body.ticketsIssued).toHaveLength(1);
  });

  it('a wrong paymentMethod is refused with the chain figure and consumes nothing; corrected, it buys tickets', async () => {
    const fay = await buyer();
    const signature = await paySol(fay, PRICE_SOL);
    const body = { ticketCount: 1, transactionSignature: signature, roundId: mainRound };
    const wrong = await purchase(fay, { ...body, paymentMethod: 'USDC' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('PaymentMethodMismatch');
    expect(wrong.body.error.details).toMatchObject({ chainCurrency: 'SOL' });
    const right = await purchase(fay, { ...body, paymentMethod: 'SOL' });
    expect(right.status).toBe(200);
    expect(right.body.ticketsIssued).toHaveLength(1);
  });

  it('cancels a round whose window ended before its commitment landed; a payment to it is late: no tickets, listed for refund', async () => {
    // Ended before the main round's sales began: one round sells at a time.
    const mainStart = new Date(
      (await request(system.app).get(`/api/v1/lottery/rounds/${mainRound}`).expect(200)).body.startDate,
    );
    const lateRound = await createRound({
      startDate: new Date(mainStart.getTime() - 3_600_000).toISOString(),
      endDate: mainStart.toISOString(),
    });
    expect(
      (await request(system.app).get(`/api/v1/lottery/rounds/${lateRound}`).expect(200)).body,
    ).toMatchObject({
      status: 'cancelled',
    });
    const erin = await buyer();
    const signature = await paySol(erin, PRICE_SOL);
    const res = await purchase(erin, {
      ticketCount: 1,
      paymentMethod: 'SOL',
      transactionSignature: signature,
      roundId: lateRound,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LatePayment');
    const [receipt] = await system.sql<{ status: string; refund: string }>(
      'select status, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
      [signature],
    );
    expect(receipt).toEqual({ status: 'late', refund: PRICE_SOL.toString() });
    await recordHistory(system, workflowIds.ticketPurchase(signature), 'ticketPurchase-late');
    const [{ n }] = (await system.sql<{ n: number }>(
      'select count(*)::int n from lottery_tickets where transaction_signature = ?',
      [signature],
    )) as [{ n: number }];
    expect(n).toBe(0);
    const refunds = await request(system.app)
      .get('/api/v1/admin/lottery/refunds')
      .query({ roundId: lateRound })
      .set(adminAuth)
      .expect(200);
    expect(refunds.body.refunds).toEqual([expect.objectContaining({ signature, status: 'late' })]);
  });

  it('bad input on every field → 4xx with a clear message, nothing stored', async () => {
    const frank = await buyer();
    const auth = await authOf(frank);
    const wallet = frank.publicKey.toBase58();
    const sig = bs58.encode(Buffer.alloc(64, 7));
    const valid = {
      walletAddress: wallet,
      ticketCount: 1,
      paymentMethod: 'SOL',
      transactionSignature: sig,
      amountPaid: 0.01,
      roundId: mainRound,
    };
    const [{ n: before }] = (await system.sql<{ n: number }>(
      'select count(*)::int n from chain_receipts',
    )) as [{ n: number }];
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ walletAddress: 'not-base58!' }, 400, /walletAddress/],
      [{ walletAddress: newWallet().address }, 403, /signed-in wallet/],
      [{ transactionSignature: 'abc' }, 400, /transactionSignature/],
      [{ ticketCount: 0 }, 400, /ticketCount/],
      [{ ticketCount: -3 }, 400, /ticketCount/],
      [{ ticketCount: 1e9 }, 400, /ticketCount/],
      [{ ticketCount: 1.5 }, 400, /ticketCount/],
      [{ paymentMethod: 'BTC' }, 400, /paymentMethod/],
      [{ amountPaid: -1 }, 400, /amountPaid/],
      [{ amountPaid: 'lots' }, 400, /amountPaid/],
      [{ roundId: 'no-such-round' }, 404, /roundId/],
      [{ roundId: '../etc' }, 400, /roundId/],
      [{ extra: 1 }, 400, /extra|Unrecognized/i],
    ];
    for (const [patch, status, message] of cases) {
      const res = await request(system.app)
        .post('/api/v1/lottery/purchase')
        .set(auth)
        .send({ ...valid, ...patch });
      expect({ patch, status: res.status }).toEqual({ patch, status });
      expect(res.body.error.message).toMatch(message);
    }
    await request(system.app).post('/api/v1/lottery/purchase').send(valid).expect(401);
    // a round not open yet
    const future = await createRound({
      startDate: new Date(Date.now() + 3_600_000).toISOString(),
      endDate: new Date(Date.now() + 7_200_000).toISOString(),
    });
    const notOpen = await request(system.app)
      .post('/api/v1/lottery/purchase')
      .set(auth)
      .send({ ...valid, roundId: future });
    expect(notOpen.status).toBe(409);
    // burn-claim field checks
    const burn = {
      walletAddress: wallet,
      nftsBurned: [newWallet().address],
      transactionSignatures: [sig],
      ticketsClaimed: 2,
      roundId: mainRound,
    };
    for (const [patch, status] of [
      [{ nftsBurned: [] }, 400],
      [{ nftsBurned: ['x'] }, 400],
      [{ transactionSignatures: ['x'] }, 400],
      [{ ticketsClaimed: 0 }, 400],
      [{ ticketsClaimed: 3 }, 422],
    ] as [Record<string, unknown>, number][]) {
      const res = await request(system.app)
        .post('/api/v1/lottery/burn-claim')
        .set(auth)
        .send({ ...burn, ...patch });
      expect({ patch, status: res.status }).toEqual({ patch, status });
    }
    // admin routes refuse non-admins and bad input
    await request(system.app).post('/api/v1/admin/lottery/rounds').set(auth).send({}).expect(403);
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${mainRound}/draw`)
      .set(auth)
      .send({})
      .expect(403);
    const badRound = await request(system.app).post('/api/v1/admin/lottery/rounds').set(adminAuth).send({
      prizePool: 1,
      startDate: 'yesterday',
      endDate: new Date().toISOString(),
      ticketPriceLamports: '0',
      ticketPriceUsdc: '1',
    });
    expect(badRound.status).toBe(400);
    expect(badRound.body.error.message).toMatch(/startDate/);
    // a draw before the end is refused by the workflow's validator
    const early = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${mainRound}/draw`)
      .set(adminAuth)
      .send({});
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/close it/);
    const [{ n: after }] = (await system.sql<{ n: number }>(
      'select count(*)::int n from chain_receipts',
    )) as [{ n: number }];
    expect(after).toBe(before);
  });

  it('a burn sent to /lottery/purchase is refused without consuming it; /lottery/burn-claim then issues its tickets', async () => {
    const hal = await buyer();
    const nft = await newNft(connection, mintAuthority, hal.publicKey);
    await system.sql(`insert into nft_mints (mint_address, collection) values (?, 'stoned-rabbits')`, [
      nft.mint.toBase58(),
    ]);
    const signature = await sendLegacy(
      connection,
      [createBurnCheckedInstruction(nft.tokenAccount, nft.mint, hal.publicKey, 1, 0)],
      [hal],
    );
    const asPurchase = await purchase(hal, solPurchase(signature));
    expect(asPurchase.status).toBe(422);
    expect(asPurchase.body.error.code).toBe('WrongRecipient');
    const claim = await request(system.app)
      .post('/api/v1/lottery/burn-claim')
      .set(await authOf(hal))
      .send({
        walletAddress: hal.publicKey.toBase58(),
        nftsBurned: [nft.mint.toBase58()],
        transactionSignatures: [signature],
        ticketsClaimed: 2,
        roundId: mainRound,
      });
    expect(claim.status).toBe(200);
    expect(claim.body.ticketsIssued).toHaveLength(2);
  });

  it('issues ticketsPerBurn tickets per burned listed NFT, once per mint, and the same tickets on resubmission', async () => {
    const gina = await buyer();
    const nfts = await Promise.all([0, 1].map(() => newNft(connection, mintAuthority, gina.publicKey)));
    for (const nft of nfts) {
      await system.sql(`insert into nft_mints (mint_address, collection) values (?, 'stoned-rabbits')`, [
        nft.mint.toBase58(),
      ]);
    }
    const signature = await sendLegacy(
      connection,
      nfts.map((nft) => createBurnCheckedInstruction(nft.tokenAccount, nft.mint, gina.publicKey, 1, 0)),
      [gina],
    );
    const body = {
      walletAddress: gina.publicKey.toBase58(),
      nftsBurned: nfts.map((n) => n.mint.toBase58()),
      transactionSignatures: [signature],
      ticketsClaimed: 4,
      roundId: mainRound,
    };
    const res = await request(system.app)
      .post('/api/v1/lottery/burn-claim')
      .set(await authOf(gina))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.ticketsIssued).toHaveLength(4);
    expect(res.body.nftsBurned.sort()).toEqual([...body.nftsBurned].sort());
    const again = await request(system.app)
      .post('/api/v1/lottery/burn-claim')
      .set(await authOf(gina))
      .send(body);
    expect(again.body.ticketsIssued).toEqual(res.body.ticketsIssued);
    const marked = await system.sql<{ burned_signature: string }>(
      'select burned_signature from nft_mints where mint_address in (?, ?)',
      body.nftsBurned,
    );
    expect(marked).toEqual([{ burned_signature: signature }, { burned_signature: signature }]);
    await recordHistory(system, workflowIds.burnClaim(signature), 'burnClaim-accepted');
    await recordHistory(system, workflowIds.burnClaim(signature), 'burnClaim-accepted-sighted');
    await recordHistory(system, workflowIds.burnClaim(signature), 'burnClaim-accepted-local-steps');
    // an unlisted NFT burns for nothing
    const stray = await newNft(connection, mintAuthority, gina.publicKey);
    const straySig = await sendLegacy(
      connection,
      [createBurnCheckedInstruction(stray.tokenAccount, stray.mint, gina.publicKey, 1, 0)],
      [gina],
    );
    const refused = await request(system.app)
      .post('/api/v1/lottery/burn-claim')
      .set(await authOf(gina))
      .send({
        ...body,
        nftsBurned: [stray.mint.toBase58()],
        transactionSignatures: [straySig],
        ticketsClaimed: 2,
      });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('NotInCollection');
  });

  it(`concurrent purchases (${BURST_WALLETS * BURST_PER_WALLET} from ${BURST_WALLETS} wallets, each signature 3× at once) → numbers 1..N, no gap, no duplicate`, async () => {
    const [{ sold: before }] = (await system.sql<{ sold: number }>(
      'select total_tickets_sold sold from lottery_rounds where id = ?',
      [mainRound],
    )) as [{ sold: number }];
    const wallets = await Promise.all(Array.from({ length: BURST_WALLETS }, () => buyer(100n * PRICE_USDC)));
    await Promise.all(wallets.map((w) => authOf(w)));
    const payments: { keypair: Keypair; signature: string; count: number; currency: 'SOL' | 'USDC' }[] = [];
    await Promise.all(
      wallets.map(async (keypair, w) => {
        for (let i = 0; i < BURST_PER_WALLET; i++) {
          const count = 1 + ((w + i) % 3);
          const currency = (w + i) % 2 === 0 ? 'SOL' : 'USDC';
          const signature =
            currency === 'SOL'
              ? await paySol(keypair, BigInt(count) * PRICE_SOL)
              : await payUsdc(keypair, BigInt(count) * PRICE_USDC);
          payments.push({ keypair, signature, count, currency });
        }
      }),
    );
    const started = Date.now();
    const responses = await Promise.all(
      payments.flatMap((p) =>
        [0, 1, 2].map(() =>
          purchase(p.keypair, {
            ticketCount: p.count,
            paymentMethod: p.currency,
            transactionSignature: p.signature,
            roundId: mainRound,
          }).then((res) => ({ p, res })),
        ),
      ),
    );
    const elapsed = Date.now() - started;
    const bySignature = new Map<string, number[][]>();
    for (const { p, res } of responses) {
      const tickets = await ticketsFrom(res);
      expect(tickets).toHaveLength(p.count);
      bySignature.set(p.signature, [...(bySignature.get(p.signature) ?? []), tickets]);
    }
    for (const answers of bySignature.values()) {
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
    const issued = payments.reduce((sum, p) => sum + p.count, 0);
    const numbers = (
      await system.sql<{ ticket_number: number }>(
        'select ticket_number from lottery_tickets where lottery_round = ? order by ticket_number',
        [mainRound],
      )
    ).map((r) => Number(r.ticket_number));
    expect(numbers).toEqual(Array.from({ length: before + issued }, (_, i) => i + 1));
    const [{ sold }] = (await system.sql<{ sold: number }>(
      'select total_tickets_sold sold from lottery_rounds where id = ?',
      [mainRound],
    )) as [{ sold: number }];
    expect(sold).toBe(before + issued);
    // every signature's tickets went to the wallet that paid
    for (const p of payments) {
      const owners = await system.sql<{ wallet_address: string }>(
        'select distinct wallet_address from lottery_tickets where transaction_signature = ?',
        [p.signature],
      );
      expect(owners).toEqual([{ wallet_address: p.keypair.publicKey.toBase58() }]);
    }
    console.log(`lottery: ${payments.length} purchases × 3 submissions answered in ${elapsed} ms`);
  }, 240_000);

  it('a worker killed (SIGKILL) in the middle of a burst: after a restart every purchase is honoured, gapless', async () => {
    const [{ sold: before }] = (await system.sql<{ sold: number }>(
      'select total_tickets_sold sold from lottery_rounds where id = ?',
      [mainRound],
    )) as [{ sold: number }];
    const wallets = await Promise.all(Array.from({ length: 5 }, () => buyer()));
    await Promise.all(wallets.map((w) => authOf(w)));
    const payments: { keypair: Keypair; signature: string; count: number }[] = [];
    await Promise.all(
      wallets.map(async (keypair, w) => {
        for (let i = 0; i < 6; i++) {
          const count = 1 + ((w + i) % 2);
          payments.push({
            keypair,
            signature: await paySol(keypair, BigInt(count) * PRICE_SOL + BigInt(i)),
            count,
          });
        }
      }),
    );

    // The in-process worker steps aside for a worker process we can kill outright.
    await worker.close();
    const doomed = await startWorkerProcess(system);

    const answers = payments.map((p) => purchase(p.keypair, solPurchase(p.signature, p.count)));
    // Kill it once part of the burst is through.
    const signatures = payments.map((p) => p.signature);
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      const [{ n }] = (await system.sql<{ n: number }>(
        `select count(*)::int n from chain_receipts where status = 'accepted' and signature in (${signatures.map(() => '?').join(', ')})`,
        signatures,
      )) as [{ n: number }];
      if (n >= 5) {
        expect(n).toBeLessThan(payments.length); // really in the middle of the burst
        break;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
    await doomed.kill();
    worker = await startTestWorker(system);

    const responses = await Promise.all(answers);
    for (const [i, res] of responses.entries()) {
      expect(await ticketsFrom(res)).toHaveLength(payments[i]!.count);
    }
    const issued = payments.reduce((sum, p) => sum + p.count, 0);
    const numbers = (
      await system.sql<{ ticket_number: number }>(
        'select ticket_number from lottery_tickets where lottery_round = ? order by ticket_number',
        [mainRound],
      )
    ).map((r) => Number(r.ticket_number));
    expect(numbers).toEqual(Array.from({ length: before + issued }, (_, i) => i + 1));
  }, 180_000);

  it('closes and freezes on time (20 unknown signatures hold nothing; a payment decided after the freeze is late, owed back), takes the beacon, draws; the public proof verifies (MATCH) and a tampered one does not', async () => {
    // A payment that lands inside the sales window but is submitted only after the freeze.
    const hank = await buyer();
    const landedInWindow = await paySol(hank, 2n * PRICE_SOL);

    // 20 signatures the chain has never seen, submitted just before the close, by four wallets
    // (each under the cap of five verifying at once): each stays pending for the 20 s
    // verification window, and before issue 15 the freeze waited for all of them.
    const bogusWallets = await Promise.all(Array.from({ length: 4 }, () => buyer()));
    const bogus = bogusWallets.flatMap((wallet) =>
      Array.from({ length: 5 }, () => {
        const signature = bs58.encode(crypto.randomBytes(64));
        return { signature, answer: purchase(wallet, solPurchase(signature)) };
      }),
    );
    const bogusSignatures = bogus.map((b) => b.signature);
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const [{ n }] = (await system.sql<{ n: number }>(
        `select count(*)::int n from chain_receipts where status = 'pending' and signature = any(string_to_array(?, ','))`,
        [bogusSignatures.join(',')],
      )) as [{ n: number }];
      if (n === bogus.length) break;
      await new Promise((r) => setTimeout(r, wait));
    }

    const closedAt = Date.now();
    const closed = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${mainRound}/close`)
      .set(adminAuth)
      .send({});
    expect(closed.status).toBe(200);
    const round = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(mainRound));
    const frozen = await untilRoundState(round, (s) => s.frozenTicketCount !== null);
    expect(frozen.status).toBe('drawing');
    // Measured from the close: the grace period (200 ms here) and the freeze's own steps, far
    // below the bogus signatures' 20 s verification window.
    const [{ frozenAt }] = (await system.sql<{ frozenAt: Date }>(
      'select frozen_at as "frozenAt" from lottery_rounds where id = ?',
      [mainRound],
    )) as [{ frozenAt: Date }];
    expect(new Date(frozenAt).getTime() - closedAt).toBeLessThan(system.config.lottery.gracePeriodMs + 5_000);
    expect(
      await system.sql(
        `select 1 from chain_receipts where status = 'pending' and signature = any(string_to_array(?, ','))`,
        [bogusSignatures.join(',')],
      ),
    ).toHaveLength(bogus.length);

    // Decided after the freeze: late, no tickets, the whole amount owed back to its payer.
    const decidedLate = await purchase(hank, solPurchase(landedInWindow, 2));
    expect(decidedLate.status).toBe(409);
    expect(decidedLate.body.error.code).toBe('LatePayment');
    expect(decidedLate.body.error.message).toMatch(/frozen/);
    expect(
      await system.sql(
        'select status, wallet_address as wallet, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
        [landedInWindow],
      ),
    ).toEqual([{ status: 'late', wallet: hank.publicKey.toBase58(), refund: (2n * PRICE_SOL).toString() }]);
    await recordHistory(
      system,
      workflowIds.ticketPurchase(landedInWindow),
      'ticketPurchase-late-after-freeze',
    );

    // The unknown signatures are answered as not found once their window ends, consuming nothing.
    for (const { answer } of bogus) {
      const res = await answer;
      expect({ status: res.status, code: res.body.error?.code }).toEqual({
        status: 404,
        code: 'TransactionNotFound',
      });
    }

    const drawn = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${mainRound}/draw`)
      .set(adminAuth)
      .send({});
    expect(drawn.status).toBe(200);
    expect(drawn.body.winnerTicket).toBe(drawn.body.winnerIndex + 1);
    const adminRound = async () =>
      (await request(system.app).get(`/api/v1/admin/lottery/rounds/${mainRound}`).set(adminAuth).expect(200))
        .body;
    expect((await adminRound()).prizePayout).toBeNull();

    const proof = (await request(system.app).get(`/api/v1/lottery/rounds/${mainRound}/proof`).expect(200))
      .body as DrawProof & { ticketCount: number };
    expect(proof.tickets).toHaveLength(proof.ticketCount);
    expect(verifyDrawProof(proof).ok).toBe(true);
    const viaCli = await verifyDrawFromApi(mainRound, apiUrl, chain.url);
    // Asked to start a minute before it was created, the round opened sales the second after
    // its commitment landed, and publishes that start: everything checks, MATCH.
    expect(viaCli).toMatchObject({ verdict: 'MATCH', beaconOnChain: 'OK', failed: [] });
    // A real blockhash, but not the one at the beacon slot: only the chain can tell.
    const otherBlock = await connection.getBlock(proof.beaconSlot - 1, { maxSupportedTransactionVersion: 0 });
    const wrongBeacon = await checkDrawProofOnChain(
      { ...proof, beaconBlockhash: otherBlock!.blockhash },
      chain.url,
    );
    expect(wrongBeacon).toMatchObject({ verdict: 'MISMATCH', beaconOnChain: 'MISMATCH' });
    const tickets = proof.tickets ?? [];
    const tampered = {
      ...proof,
      tickets: tickets.map((t, i) => (i === 0 ? { ...t, wallet: newWallet().address } : t)),
    };
    expect(checkDrawProof(tampered).verdict).toBe('MISMATCH');

    // the prize, exactly once through the payout path
    const winnerKey = new PublicKey(proof.winnerWallet);
    const before = BigInt(await connection.getBalance(winnerKey, 'confirmed'));
    const [paid, paidAgain] = await Promise.all([
      request(system.app).post(`/api/v1/admin/lottery/rounds/${mainRound}/pay-prize`).set(adminAuth).send({}),
      request(system.app).post(`/api/v1/admin/lottery/rounds/${mainRound}/pay-prize`).set(adminAuth).send({}),
    ]);
    expect(paid.status).toBe(200);
    expect(paidAgain.body.signature).toBe(paid.body.signature);
    expect(BigInt(await connection.getBalance(winnerKey, 'confirmed')) - before).toBe(SOL);
    // The admin round shows the payout from the payouts table, not only the workflow query.
    const prizePayout = {
      key: `prize:${mainRound}`,
      status: 'confirmed',
      signature: paid.body.signature,
      recipient: proof.winnerWallet,
      amountBaseUnits: SOL.toString(),
      confirmedAt: expect.any(String),
    };
    expect((await adminRound()).prizePayout).toEqual(prizePayout);

    // after the freeze: no cancel, and a new payment is late
    const cancel = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${mainRound}/cancel`)
      .set(adminAuth)
      .send({});
    expect(cancel.status).toBe(409);
    const completed = await request(system.app).get(`/api/v1/lottery/rounds/${mainRound}`).expect(200);
    expect(completed.body).toMatchObject({ status: 'completed', revealedSeed: proof.revealedSeed });

    // The round was told, never polled: no activity loop in its history.
    const history = await round.fetchHistory();
    const scheduled = (history.events ?? []).map(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name,
    );
    expect(scheduled.filter((name) => name === 'countPendingReceipts').length).toBeLessThanOrEqual(1);
    expect(scheduled.filter(Boolean).length).toBeLessThan(20);

    const ivan = await buyer();
    const afterFreeze = await paySol(ivan, PRICE_SOL);
    const late = await purchase(ivan, solPurchase(afterFreeze));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('LatePayment');
    expect(late.body.error.message).toMatch(/frozen/);

    const list = await request(system.app).get('/api/v1/admin/lottery/rounds').set(adminAuth).expect(200);
    expect(list.body.rounds.find((r: { id: string }) => r.id === mainRound)).toMatchObject({
      totalTicketsSold: proof.ticketCount,
      prizePayout,
    });
    const csv = await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${mainRound}/tickets`)
      .query({ format: 'csv' })
      .set(adminAuth)
      .expect(200);
    // Every ticket, not a page of them, in number order.
    const [header, ...rows] = csv.text.trim().split('\n');
    expect(header).toMatch(/^ticketNumber,walletAddress,/);
    expect(rows.map((r) => Number(r.split(',')[0]))).toEqual(
      Array.from({ length: proof.ticketCount }, (_, i) => i + 1),
    );
  }, 120_000);

  // After the main round's draw: its sales window no longer holds the current one.
  it('updates the prize pool, then cancels before the freeze: accepted payments become owed refunds', async () => {
    const roundId = await createRound();
    const pool = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/prize-pool`)
      .set(adminAuth)
      .send({ prizePoolLamports: (2n * SOL).toString() });
    expect(pool.status).toBe(200);
    expect(pool.body.prizePoolLamports).toBe((2n * SOL).toString());
    const lena = await buyer();
    const signature = await paySol(lena, PRICE_SOL);
    const bought = await purchase(lena, {
      ticketCount: 1,
      paymentMethod: 'SOL',
      transactionSignature: signature,
      roundId,
    });
    expect(bought.status).toBe(200);
    const cancelled = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/cancel`)
      .set(adminAuth)
      .send({ reason: 'test' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const round = await request(system.app).get(`/api/v1/lottery/rounds/${roundId}`).expect(200);
    expect(round.body).toMatchObject({ status: 'cancelled', prizePoolLamports: (2n * SOL).toString() });
    await recordHistory(system, workflowIds.lotteryRound(roundId), 'lotteryRound-cancelled');
    const refunds = await request(system.app)
      .get('/api/v1/admin/lottery/refunds')
      .query({ roundId })
      .set(adminAuth)
      .expect(200);
    expect(refunds.body.refunds).toEqual([
      expect.objectContaining({ signature, status: 'accepted', refundOwedBaseUnits: PRICE_SOL.toString() }),
    ]);
    const again = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/cancel`)
      .set(adminAuth)
      .send({});
    expect(again.status).toBe(409);
    // Once its run has finished, an action says why (409), and an unknown round is a 404.
    await system.deps.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId)).result();
    const finished = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(adminAuth)
      .send({});
    expect(finished.status).toBe(409);
    expect(finished.body.error.message).toBe(
      `round ${roundId} is cancelled: its workflow has finished and accepts no changes`,
    );
    const unknown = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/no-such-${roundId}/draw`)
      .set(adminAuth)
      .send({});
    expect(unknown.status).toBe(404);
  });

  it('replays the recorded histories of every lottery workflow type', async () => {
    // Runs of each outcome: accepted, late and rejected purchases, and a burn claim.
    const receipts = await system.sql<{ signature: string; kind: string }>(
      `select distinct on (kind, status) signature, kind from chain_receipts
        where kind in ('purchase', 'burn') and round_id in (?) order by kind, status, created_at`,
      [suiteRounds],
    );
    expect(receipts.length).toBeGreaterThanOrEqual(4);
    const ids = [
      workflowIds.lotteryRound(mainRound),
      ...receipts.map((r) =>
        r.kind === 'burn' ? workflowIds.burnClaim(r.signature) : workflowIds.ticketPurchase(r.signature),
      ),
    ];
    await replayRuns(system.resources.temporal, ids);
    await recordHistory(system, workflowIds.lotteryRound(mainRound), 'lotteryRound-drawn');
    await recordHistory(system, workflowIds.lotteryRound(mainRound), 'lotteryRound-frozen-on-time');
  }, 120_000);

  it('a round not open yet refuses a purchase saying so; once cancelled, the same payment is recorded owed a refund', async () => {
    // Clear of this suite's other future rounds (+1 h..+2 h, +3 h..+6 h): one round sells at a time.
    const roundId = await createRound({
      startDate: new Date(Date.now() + 10 * 3_600_000).toISOString(),
      endDate: new Date(Date.now() + 11 * 3_600_000).toISOString(),
    });
    const nina = await buyer();
    const signature = await paySol(nina, PRICE_SOL);
    const body = { ticketCount: 1, paymentMethod: 'SOL', transactionSignature: signature, roundId };
    const early = await purchase(nina, body);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(new RegExp(`^round ${roundId} has not started: it opens at `));
    expect(early.body.error.details).toEqual({ roundId, status: 'scheduled' });
    expect(await system.sql('select 1 from chain_receipts where signature = ?', [signature])).toEqual([]);

    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/cancel`)
      .set(adminAuth)
      .send({ reason: 'never opened' })
      .expect(200);
    // Cancelled before it opened: not "has not started" (it never will), but verified and owed back.
    const cancelled = await purchase(nina, body);
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe('LatePayment');
    expect(cancelled.body.error.message).toBe(
      `transaction ${signature} is late: the round was cancelled; its refund is owed`,
    );
    const [receipt] = await system.sql<{ status: string; refund: string }>(
      'select status, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
      [signature],
    );
    expect(receipt).toEqual({ status: 'late', refund: PRICE_SOL.toString() });
  });

  it('the refunds list shows the tickets an overpaid purchase did get', async () => {
    const roundId = await createRound();
    const olga = await buyer();
    const signature = await paySol(olga, 3n * PRICE_SOL + 1234n);
    const bought = await purchase(olga, {
      ticketCount: 3,
      paymentMethod: 'SOL',
      transactionSignature: signature,
      roundId,
    });
    expect(bought.status).toBe(200);
    expect(bought.body.ticketsIssued).toHaveLength(3);
    const refunds = await request(system.app)
      .get('/api/v1/admin/lottery/refunds')
      .query({ roundId })
      .set(adminAuth)
      .expect(200);
    expect(refunds.body.refunds).toEqual([
      expect.objectContaining({
        signature,
        status: 'accepted',
        refundOwedBaseUnits: '1234',
        ticketNumbers: bought.body.ticketsIssued,
      }),
    ]);
  });
});
