/**
 * Reconciliation of a round against the chain: real signed payments on the local chain,
 * submitted through the API to the real worker, plus a treasury transfer nobody submitted.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Connection, SystemProgram, type Keypair } from '@solana/web3.js';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { createChainConnection } from '../../src/chain/rpc';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { fundedKeypair, newMint, sendLegacy, tokenAccountWith, SOL } from '../support/chain-fixtures';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n;

describe('round reconciliation (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let treasury: Keypair;
  /** Its own: its rounds' sales windows would overlap other suites' (one round sells at a time). */
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const admin = newWallet();
  let adminAuth: { Authorization: string };

  const paySol = (from: Keypair, lamports: bigint) =>
    sendLegacy(
      connection,
      [SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: treasury.publicKey, lamports })],
      [from],
    );

  beforeAll(async () => {
    database = await ownDatabase('reconcile');
    chain = await startLocalChain({ port: 0 });
    const mintAuthority = fundedKeypair(chain, 10);
    treasury = fundedKeypair(chain, 1);
    const payerKeyFile = path.join(
      process.env.SR_TEST_TMP ?? '/tmp',
      `reconcile-payer-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(payerKeyFile, fundedKeypair(chain, 10));
    const bootstrap = new Connection(chain.url, 'confirmed');
    const usdcMint = await newMint(bootstrap, mintAuthority, 6);
    await tokenAccountWith(bootstrap, mintAuthority, usdcMint, treasury.publicKey, 0n);
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      USDC_MINT: usdcMint.toBase58(),
      PAYER_KEY_FILE: payerKeyFile,
      ADMIN_WALLETS: admin.address,
      LOTTERY_GRACE_PERIOD: '200ms',
      LOTTERY_VERIFY_WINDOW: '20s',
      PURCHASE_WAIT: '30s',
    });
    connection = createChainConnection(system.config);
    worker = await startTestWorker(system);
    adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('lists an accepted and an overpaid purchase and an unsubmitted transfer; totals balance', async () => {
    const created = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      })
      .expect(201);
    const roundId = created.body.id as string;
    const buyer = fundedKeypair(chain, 5);
    const auth = { Authorization: `Bearer ${await signIn(system.app, walletOf(buyer.secretKey))}` };
    const accepted = await paySol(buyer, PRICE_SOL);
    const overpaid = await paySol(buyer, PRICE_SOL + 123n);
    const unsubmitted = await paySol(fundedKeypair(chain, 5), 777n);
    for (const signature of [accepted, overpaid]) {
      const res = await request(system.app).post('/api/v1/lottery/purchase').set(auth).send({
        walletAddress: buyer.publicKey.toBase58(),
        ticketCount: 1,
        paymentMethod: 'SOL',
        transactionSignature: signature,
        roundId,
      });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
    }

    const res = await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${roundId}/reconciliation`)
      .set(adminAuth)
      .expect(200);
    const bySignature = new Map(
      (res.body.signatures as { signature: string }[]).map((s) => [s.signature, s]),
    );
    expect(bySignature.get(accepted)).toMatchObject({
      status: 'accepted',
      tickets: 1,
      chainPaidBaseUnits: { SOL: PRICE_SOL.toString(), USDC: '0' },
      ticketValueBaseUnits: { SOL: PRICE_SOL.toString() },
      refundOwedBaseUnits: '0',
    });
    expect(bySignature.get(overpaid)).toMatchObject({
      status: 'accepted',
      tickets: 1,
      chainPaidBaseUnits: { SOL: (PRICE_SOL + 123n).toString() },
      refundOwedBaseUnits: '123',
      refundPayout: null,
    });
    // The treasury's own funding (an airdrop in the suite's setup) also landed in the window
    // and nobody submitted it: it is listed as unclaimed too.
    const unclaimed = res.body.unclaimed as { signature: string; paidBaseUnits: { SOL: string } }[];
    expect(unclaimed).toContainEqual({ signature: unsubmitted, paidBaseUnits: { SOL: '777', USDC: '0' } });
    expect(unclaimed.map((u) => u.signature)).not.toContain(accepted);
    const unclaimedSol = unclaimed.reduce((sum, u) => sum + BigInt(u.paidBaseUnits.SOL), 0n);
    expect(res.body.totals[0]).toEqual({
      currency: 'SOL',
      receivedBaseUnits: (2n * PRICE_SOL + 123n + unclaimedSol).toString(),
      ticketValueBaseUnits: (2n * PRICE_SOL).toString(),
      refundsOwedBaseUnits: '123',
      refundsPaidBaseUnits: '0',
      unclaimedBaseUnits: unclaimedSol.toString(),
      differenceBaseUnits: '0',
      balanced: true,
    });
    expect(res.body.balanced).toBe(true);

    // `npm run reconcile -- <roundId>` prints the same figures and exits 0 when balanced.
    const cli = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', '..', 'src', 'cli', 'reconcile.ts'), roundId],
      { env: { ...process.env, ...system.env } },
    );
    const lines = cli.stdout.trim().split('\n');
    expect(lines.find((l) => l.includes(overpaid))).toContain('refund owed 123 SOL, not paid');
    expect(lines.find((l) => l.includes(unsubmitted))).toContain('SOL 777 lamports');
    expect(lines).toContainEqual(
      expect.stringContaining(`SOL: received ${res.body.totals[0].receivedBaseUnits} = tickets`),
    );
    expect(lines.at(-1)).toBe('BALANCED');
    console.log(`npm run reconcile -- ${roundId}\n${cli.stdout}`);
  }, 120_000);

  it('refuses bad input: a malformed round id 400, an unknown one 404, no token 401, not an admin 403', async () => {
    const url = (id: string) => `/api/v1/admin/lottery/rounds/${id}/reconciliation`;
    const bad = await request(system.app).get(url('%20bad%20id')).set(adminAuth);
    expect(bad.status).toBe(400);
    const unknown = await request(system.app).get(url('no-such-round')).set(adminAuth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no-such-round');
    await request(system.app).get(url('no-such-round')).expect(401);
    const stranger = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app).get(url('no-such-round')).set(stranger).expect(403);
  });
});
