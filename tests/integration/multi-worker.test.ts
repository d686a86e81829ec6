/**
 * Two worker processes on one task queue (what `WORKERS=2 npm start` runs), real signed SOL
 * payments on the local chain: one worker is killed outright (SIGKILL) in the middle of a
 * burst of purchases, and the other carries every purchase to its tickets, numbered 1..N
 * without gap or duplicate. Readiness names both workers' pollers before the kill; after
 * it, the dead one's last access stops while the other's moves on.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { PublicKey, SystemProgram, type Keypair } from '@solana/web3.js';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { createChainConnection } from '../../src/chain/rpc';
import { ownDatabase, startTestSystem, type TestSystem } from '../support/harness';
import { fundedKeypair, sendLegacy, SOL } from '../support/chain-fixtures';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n;
const WALLETS = 6;
const PER_WALLET = 6;

interface ReadyWorker {
  identity: string;
  lastAccess: { workflow: string | null; activity: string | null };
}

describe('several workers on one task queue', () => {
  let chain: LocalChain;
  let system: TestSystem;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const workers: WorkerProcess[] = [];
  const admin = newWallet();
  let adminAuth: { Authorization: string };

  /** The workers /readyz lists, once `until` holds for them (asked with a backoff). */
  async function readyWorkers(until: (workers: ReadyWorker[]) => boolean): Promise<ReadyWorker[]> {
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      const res = await request(system.app).get('/readyz');
      const listed = (res.body.checks.workers.workers ?? []) as ReadyWorker[];
      if (until(listed)) return listed;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  const byIndex = (listed: ReadyWorker[], index: number) =>
    listed.find((w) => w.identity.startsWith(`worker-${index}@`));

  /** A purchase's tickets: a 200's, or for a 202 what its status URL says once decided. */
  async function ticketsFrom(res: request.Response): Promise<number[]> {
    if (res.status !== 202) {
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
      return res.body.ticketsIssued as number[];
    }
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      const status = await request(system.app)
        .get(res.body.statusUrl as string)
        .set(adminAuth);
      if (status.status === 200 && status.body.status !== 'pending') {
        expect(status.body.status).toBe('accepted');
        return status.body.ticketNumbers as number[];
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  beforeAll(async () => {
    database = await ownDatabase('multiworker');
    chain = await startLocalChain({ port: 0 });
    const payerKeyFile = path.join(
      process.env.SR_TEST_TMP ?? '/tmp',
      `multiworker-payer-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(payerKeyFile, fundedKeypair(chain, 10));
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      TREASURY_WALLET: fundedKeypair(chain, 1).publicKey.toBase58(),
      PAYER_KEY_FILE: payerKeyFile,
      ADMIN_WALLETS: admin.address,
      LOTTERY_VERIFY_WINDOW: '20s',
      PURCHASE_WAIT: '30s',
    });
    adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('one of two workers killed (SIGKILL) mid-burst: the other decides every purchase, gapless; readiness shows which one stopped', async () => {
    workers.push(await startWorkerProcess(system, { WORKER_INDEX: '0' }));
    workers.push(await startWorkerProcess(system, { WORKER_INDEX: '1' }));
    const doomed = workers[1] as WorkerProcess;
    // The server learns of pollers when they poll: ask until both workers poll both types.
    const polling = (w: ReadyWorker | undefined) => Boolean(w?.lastAccess.workflow && w.lastAccess.activity);
    const before = await readyWorkers((l) => polling(byIndex(l, 0)) && polling(byIndex(l, 1)));
    expect(before.map((w) => w.identity)).toEqual([
      expect.stringMatching(/^worker-0@.+:\d+$/),
      expect.stringMatching(/^worker-1@.+:\d+$/),
    ]);

    const round = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      });
    expect(round.status).toBe(201);
    const roundId = round.body.id as string;
    const treasury = system.config.solana.treasuryWallet as string;
    const connection = createChainConnection(system.config);
    const payments: { keypair: Keypair; token: string; signature: string; count: number }[] = [];
    await Promise.all(
      Array.from({ length: WALLETS }, async (_, w) => {
        const keypair = fundedKeypair(chain, 5);
        const token = await signIn(system.app, walletOf(keypair.secretKey));
        for (let i = 0; i < PER_WALLET; i++) {
          const count = 1 + ((w + i) % 3);
          const transfer = SystemProgram.transfer({
            fromPubkey: keypair.publicKey,
            toPubkey: new PublicKey(treasury),
            lamports: BigInt(count) * PRICE_SOL + BigInt(i),
          });
          payments.push({
            keypair,
            token,
            signature: await sendLegacy(connection, [transfer], [keypair]),
            count,
          });
        }
      }),
    );

    const purchase = async (p: (typeof payments)[number]) =>
      request(system.app)
        .post('/api/v1/lottery/purchase')
        .set({ Authorization: `Bearer ${p.token}` })
        .send({
          walletAddress: p.keypair.publicKey.toBase58(),
          ticketCount: p.count,
          paymentMethod: 'SOL',
          transactionSignature: p.signature,
          roundId,
        });
    // The last payment is held back: bought after the burst, it makes the survivor poll again.
    const burst = payments.slice(0, -1);
    const answers = burst.map(purchase);
    // Kill one once part of the burst is through, really in the middle of it.
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      const [{ n }] = (await system.sql<{ n: number }>(
        `select count(*)::int n from chain_receipts where status = 'accepted' and round_id = ?`,
        [roundId],
      )) as [{ n: number }];
      if (n >= 5) {
        expect(n).toBeLessThan(burst.length);
        break;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
    await doomed.kill();

    const responses = await Promise.all(answers);
    // Every burst purchase decided: the dead worker's last access is final by now.
    const afterBurst = await readyWorkers(() => true);
    responses.push(await purchase(payments.at(-1) as (typeof payments)[number]));
    const tickets = await Promise.all(responses.map((res) => ticketsFrom(res)));
    for (const [i, issued] of tickets.entries()) expect(issued).toHaveLength(payments[i]!.count);
    const total = payments.reduce((sum, p) => sum + p.count, 0);
    const numbers = (
      await system.sql<{ n: number }>(
        'select ticket_number n from lottery_tickets where lottery_round = ? order by ticket_number',
        [roundId],
      )
    ).map((r) => Number(r.n));
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // each purchase's tickets are the ones its answer named, owned by the wallet that paid
    for (const [i, p] of payments.entries()) {
      const rows = await system.sql<{ n: number; wallet: string }>(
        'select ticket_number n, wallet_address wallet from lottery_tickets where transaction_signature = ? order by ticket_number',
        [p.signature],
      );
      expect(rows.map((r) => ({ n: Number(r.n), wallet: r.wallet }))).toEqual(
        [...tickets[i]!].sort((a, b) => a - b).map((n) => ({ n, wallet: p.keypair.publicKey.toBase58() })),
      );
    }

    // The survivor polls on, past the burst; the dead one's last access stays where it stopped
    // (until the server forgets it, minutes later: then it is gone from the list).
    const lastAccess = (l: ReadyWorker[], index: number) => byIndex(l, index)?.lastAccess;
    const movedOn = (l: ReadyWorker[]) =>
      (['workflow', 'activity'] as const).every(
        (kind) => (lastAccess(l, 0)?.[kind] ?? '') > (lastAccess(afterBurst, 0)?.[kind] ?? ''),
      );
    const after = await readyWorkers(movedOn);
    expect(byIndex(after, 0)?.identity).toBe(byIndex(before, 0)?.identity);
    if (byIndex(after, 1)) expect(lastAccess(after, 1)).toEqual(lastAccess(afterBurst, 1));
  }, 240_000);
});
