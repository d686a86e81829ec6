/**
 * Metrics as an operator scrapes them: real purchases decided by the real worker process
 * (workers/main.ts), then its business endpoint, its Temporal SDK endpoint and the API's
 * `/metrics` read over HTTP. Labels must be the small vocabulary, never a wallet or signature.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { Keypair, SystemProgram, type Connection } from '@solana/web3.js';
import { createChainConnection } from '../../src/chain/rpc';
import { ownDatabase, startTestSystem, type TestSystem } from '../support/harness';
import { fundedKeypair, sendLegacy, SOL } from '../support/chain-fixtures';
import { freeMetricsPorts, startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n;

/** The value of the sample `name{labels}` in a Prometheus text page (labels matched exactly, any order). */
function sample(page: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of page.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (got === want) return Number(m[3]);
  }
  return undefined;
}

/** Metric names on a page (from its samples). */
const namesOn = (page: string) =>
  new Set(
    page
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)![0]),
  );

describe('metrics (API, worker business endpoint, Temporal SDK endpoint)', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let system: TestSystem;
  let worker: WorkerProcess;
  let connection: Connection;
  let treasury: Keypair;
  let metricsPort: number;
  const admin = newWallet();
  let roundId: string;

  const scrape = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    db = await ownDatabase(`metrics_${crypto.randomBytes(3).toString('hex')}`);
    metricsPort = await freeMetricsPorts();
    treasury = Keypair.generate();
    system = await startTestSystem({
      DATABASE_URL: db.url,
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      ADMIN_WALLETS: admin.address,
      WORKER_METRICS_PORT: String(metricsPort),
      LOTTERY_VERIFY_WINDOW: '20s',
      PURCHASE_WAIT: '30s',
    });
    system.chain!.airdrop(treasury.publicKey.toBase58(), SOL);
    connection = createChainConnection(system.config);
    worker = await startWorkerProcess(system);
    const res = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set({ Authorization: `Bearer ${await signIn(system.app, admin)}` })
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    roundId = res.body.id as string;
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    await system?.close();
    await db?.drop();
  });

  it('counts purchases by outcome and reason, tickets and decision time on the worker; no wallet or signature labels', async () => {
    const buyer = fundedKeypair(system.chain!, 2);
    const wallet = walletOf(buyer.secretKey);
    const auth = { Authorization: `Bearer ${await signIn(system.app, wallet)}` };
    const pay = (lamports: bigint) =>
      sendLegacy(
        connection,
        [SystemProgram.transfer({ fromPubkey: buyer.publicKey, toPubkey: treasury.publicKey, lamports })],
        [buyer],
      );
    const purchase = (signature: string, ticketCount: number, over: Record<string, unknown> = {}) =>
      request(system.app)
        .post('/api/v1/lottery/purchase')
        .set(auth)
        .send({
          walletAddress: wallet.address,
          roundId,
          paymentMethod: 'SOL',
          transactionSignature: signature,
          ticketCount,
          ...over,
        });
    const before = await scrape(metricsPort + 1);
    const count = (page: string, labels: Record<string, string>) =>
      sample(page, 'lottery_submissions_total', labels) ?? 0;
    const accepted = { kind: 'purchase', outcome: 'accepted', reason: 'none' };
    const tooSmall = { kind: 'purchase', outcome: 'rejected', reason: 'PaymentTooSmall' };
    const mismatch = { kind: 'purchase', outcome: 'refused', reason: 'AmountMismatch' };

    const bought = await pay(3n * PRICE_SOL);
    const ok = await purchase(bought, 3);
    expect({ status: ok.status, tickets: ok.body.ticketsIssued?.length }).toEqual({
      status: 200,
      tickets: 3,
    });
    const short = await pay(PRICE_SOL);
    expect((await purchase(short, 2)).body.error?.code).toBe('PaymentTooSmall');
    const labelled = await pay(PRICE_SOL);
    expect((await purchase(labelled, 1, { amountPaid: 0.5 })).body.error?.code).toBe('AmountMismatch');

    const after = await scrape(metricsPort + 1);
    expect(count(after, accepted) - count(before, accepted)).toBe(1);
    expect(count(after, tooSmall) - count(before, tooSmall)).toBe(1);
    expect(count(after, mismatch) - count(before, mismatch)).toBe(1);
    const tickets = { method: 'purchase', currency: 'SOL' };
    expect(
      (sample(after, 'lottery_tickets_issued_total', tickets) ?? 0) -
        (sample(before, 'lottery_tickets_issued_total', tickets) ?? 0),
    ).toBe(3);
    const decisions = { kind: 'purchase', outcome: 'accepted' };
    expect(
      (sample(after, 'lottery_submission_decision_seconds_count', decisions) ?? 0) -
        (sample(before, 'lottery_submission_decision_seconds_count', decisions) ?? 0),
    ).toBe(1);
    expect(sample(after, 'lottery_submission_decision_seconds_sum', decisions)).toBeGreaterThan(0);
    // The refused verification is an activity failure of its type, too.
    expect(
      sample(after, 'activity_failures_total', { activity: 'verifyPurchasePayment', type: 'AmountMismatch' }),
    ).toBeGreaterThanOrEqual(1);
    // The worker's own Node process metrics are there beside them.
    expect(namesOn(after).has('process_cpu_user_seconds_total')).toBe(true);
    for (const secret of [wallet.address, bought, short, labelled, roundId])
      expect(after).not.toContain(secret);

    // The database facts are on the API: the rejected payment is a refund owed, in lamports.
    const api = (await request(system.app).get('/metrics').expect(200)).text;
    expect(sample(api, 'lottery_refunds_owed', { currency: 'SOL' })).toBe(1);
    expect(sample(api, 'lottery_refunds_owed_base_units', { currency: 'SOL' })).toBe(Number(PRICE_SOL));
    expect(sample(api, 'email_outbox_oldest_unsent_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(api, 'revenue_snapshots_in_progress')).toBe(0);
    expect(namesOn(api).has('http_request_duration_seconds_bucket')).toBe(true);
    // Readiness as /readyz reports it, one sample per check.
    const ready = (await request(system.app).get('/readyz')).body.checks as Record<string, { ok: boolean }>;
    for (const [check, { ok }] of Object.entries(ready))
      expect({ check, up: sample(api, 'readiness_check_up', { check }) }).toEqual({ check, up: ok ? 1 : 0 });
    expect(sample(api, 'readiness_check_up', { check: 'postgres' })).toBe(1);
    for (const secret of [wallet.address, bought, short, labelled, roundId])
      expect(api).not.toContain(secret);
  }, 120_000);

  it("serves the Temporal SDK's worker metrics in Prometheus format on the worker's SDK port", async () => {
    const page = await scrape(metricsPort);
    const names = namesOn(page);
    for (const name of [
      'temporal_worker_task_slots_available',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_sticky_cache_size',
      'temporal_workflow_completed',
    ])
      expect({ name, present: names.has(name) }).toEqual({ name, present: true });
  });
});
