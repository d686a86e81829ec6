/**
 * `npm run demo` against a real system: the API listening on a port, a worker, a local chain
 * set up the way `npm start` sets it up (its keys, treasury, payer and USDC-like mint), and a
 * database of its own (its rounds must not overlap other suites'). The demo's main function
 * runs the whole story twice; each step's outcome is checked on chain and through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Keypair, PublicKey } from '@solana/web3.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { ensureLocalChainEnv, loadLocalKeypair } from '../../src/chain/local-keys';
import { connectRpc } from '../../src/chain/rpc';
import { registerNftMints } from '../../src/db/nft-mints';
import { DemoError, runDemo, type DemoSetup } from '../../src/cli/demo/run';
import { localChainOnly } from '../../src/cli/demo/local-only';
import {
  ownDatabase,
  startTestSystem,
  startTestWorker,
  testConfig,
  type TestSystem,
} from '../support/harness';
import { signIn, walletOf } from '../support/wallet';

describe('npm run demo (the whole story against a running system)', () => {
  let chain: LocalChain;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let server: Server;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  let setup: DemoSetup;
  const admin = Keypair.generate();
  const printed: string[] = [];

  beforeAll(async () => {
    database = await ownDatabase('demo');
    chain = await startLocalChain({ port: 0 });
    const dataDir = fs.mkdtempSync(path.join(process.env.SR_TEST_TMP ?? '/tmp', 'demo-data-'));
    const localConfig = testConfig({ DATA_DIR: dataDir, RPC_URL: chain.url });
    const chainEnv = await ensureLocalChainEnv(localConfig, { rpcUrl: chain.url });
    system = await startTestSystem({
      DATABASE_URL: database.url,
      ...chainEnv,
      ADMIN_WALLETS: admin.publicKey.toBase58(),
      LOTTERY_GRACE_PERIOD: '200ms',
      PURCHASE_WAIT: '30s',
      DATABASE_POOL_MAX: '10',
    });
    worker = await startTestWorker(system);
    server = system.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    setup = {
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      temporal: system.config.temporal,
      rpcUrl: chain.url,
      connection: connectRpc(chain.url, { commitment: 'confirmed' }),
      treasury: new PublicKey(chainEnv.TREASURY_WALLET),
      usdcMint: new PublicKey(chainEnv.USDC_MINT),
      faucet: loadLocalKeypair(localConfig, 'payer'),
      admin,
      listStonedRabbits: async (mints) => {
        await registerNftMints(
          system.resources.orm.em.fork() as EntityManager,
          mints,
          'stoned-rabbits',
          'Stoned Rabbit',
        );
      },
      print: (line) => printed.push(line),
    };
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  const adminAuth = async () => ({
    Authorization: `Bearer ${await signIn(system.app, walletOf(admin.secretKey))}`,
  });

  it('refuses production and a chain that is not local', () => {
    expect(() => localChainOnly({ ...system.config, isProduction: true })).toThrow(
      new DemoError('the demo is for a local stack; refused with NODE_ENV=production'),
    );
    const mainnet = { ...system.config.solana, rpcUrl: 'https://api.mainnet-beta.solana.com' };
    expect(() => localChainOnly({ ...system.config, solana: mainnet })).toThrow(
      /runs on the local chain only; RPC_URL https:\/\/api.mainnet-beta.solana.com is not local/,
    );
    expect(localChainOnly(system.config)).toBe(chain.url);
  });

  it('says which round blocks it when another round sells for longer than it waits, and creates nothing', async () => {
    const auth = await adminAuth();
    const blocker = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(auth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 3_600_000).toISOString(),
        ticketPriceLamports: '10000000',
        ticketPriceUsdc: '1000000',
      })
      .expect(201);
    const roundId = blocker.body.id as string;
    const error = await runDemo(setup).then(
      () => new Error('the demo ran although a round blocked it'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DemoError);
    expect((error as Error).message).toContain(`round ${roundId} (`);
    expect((error as Error).message).toMatch(/blocks a new round: rounds may not overlap/);
    expect(await system.sql('select id from lottery_rounds')).toEqual([{ id: roundId }]);
    // Closed, it no longer sells: the next runs are free to go.
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(auth)
      .send({})
      .expect(200);
  });

  it('runs a round to a verified draw and a paid prize, a month to claims paid on chain, a project to completed; and again with new ids', async () => {
    const first = await runDemo(setup);

    const { lottery } = first;
    expect(lottery.purchases.map((p) => [p.currency, p.tickets.length])).toEqual([
      ['SOL', 2],
      ['SOL', 1],
      ['USDC', 1],
    ]);
    expect(lottery.burn.tickets).toHaveLength(2);
    const allTickets = [...lottery.purchases.flatMap((p) => p.tickets), ...lottery.burn.tickets].sort(
      (a, b) => a - b,
    );
    expect(allTickets).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lottery.verification).toMatchObject({ verdict: 'MATCH', beaconOnChain: 'OK' });
    expect(lottery.draw.ticketCount).toBe(6);
    const round = await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${lottery.roundId}`)
      .set(await adminAuth())
      .expect(200);
    expect(round.body).toMatchObject({ status: 'completed' });
    expect(round.body.prizePayout).toMatchObject({
      status: 'confirmed',
      signature: lottery.prize.signature,
      recipient: lottery.draw.winnerWallet,
      amountBaseUnits: '50000000',
    });
    const [mint] = await system.sql<{ burned: string | null }>(
      'select burned_signature as burned from nft_mints where mint_address = ?',
      [lottery.burn.mint],
    );
    expect(mint?.burned).toEqual(expect.any(String));

    const { revenue } = first;
    expect(revenue.month).toMatch(/^\d{4}-\d{2}$/);
    // 2 SOL of revenue, half shared, over the 3 passes of the demo's holders.
    expect(revenue.perPassBaseUnits).toBe(String(1_000_000_000n / 3n));
    expect(revenue.claims.map((c) => [c.passes, c.balanceGain])).toEqual([
      [2, String(2n * (1_000_000_000n / 3n))],
      [1, String(1_000_000_000n / 3n)],
    ]);
    // Every payout of the month is confirmed, and they are the transactions the claims answered.
    const payouts = await system.sql<{ status: string; signature: string }>(
      `select status, signature from payouts where key like ?`,
      [`claim:${revenue.month}:%`],
    );
    expect(payouts.length).toBeGreaterThan(0);
    expect(new Set(payouts.map((p) => p.status))).toEqual(new Set(['confirmed']));
    expect(new Set(payouts.map((p) => p.signature))).toEqual(
      new Set(revenue.claims.flatMap((c) => c.signatures)),
    );

    expect(first.utility).toMatchObject({ status: 'completed', progress: 100 });
    const project = await request(system.app)
      .get(`/api/v1/utility-factory/project/${first.utility.projectId}`)
      .expect(200);
    expect(project.body).toMatchObject({ status: 'completed', progress: 100 });

    // One readable line per step, each with its dashboard page; a step of a run names its run.
    const api = setup.apiUrl;
    const ui = `${system.config.temporal.uiUrl}/namespaces/${system.config.temporal.namespace}/workflows/`;
    expect(printed.filter((l) => l.startsWith('✓ lottery'))).toHaveLength(9);
    expect(printed.filter((l) => l.startsWith('✓ revenue'))).toHaveLength(7);
    expect(printed.filter((l) => l.startsWith('✓ utility'))).toHaveLength(4);
    for (const line of printed) {
      expect(line).not.toContain('\n');
      expect(line).toContain(`dashboard ${api}/admin/`);
    }
    expect(printed.find((l) => l.includes('verify-draw'))).toContain(
      `temporal ${ui}${encodeURIComponent(`lottery-round:${lottery.roundId}`)}`,
    );
    expect(printed.find((l) => l.includes('completed UF-'))).toContain(
      `temporal ${ui}${encodeURIComponent(`utility-project:${first.utility.projectId}`)}`,
    );

    // Again, while another round sells past the demo's own start: the demo's round starts at its
    // end (rounds may not overlap), with a new round id, a new month and a new project.
    const blocker = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(await adminAuth())
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 1_000).toISOString(),
        endDate: new Date(Date.now() + 8_000).toISOString(),
        ticketPriceLamports: '10000000',
        ticketPriceUsdc: '1000000',
      })
      .expect(201);
    printed.length = 0;
    const second = await runDemo(setup);
    expect(printed[0]).toBe(
      `… lottery  another round sells until ${new Date(Math.ceil(Date.parse(blocker.body.endDate as string) / 1000) * 1000).toISOString()}; the demo's round starts then`,
    );
    const [secondRound] = await system.sql<{ start: Date }>(
      'select start_date as start from lottery_rounds where id = ?',
      [second.lottery.roundId],
    );
    expect(new Date(secondRound!.start).getTime()).toBeGreaterThanOrEqual(
      Date.parse(blocker.body.endDate as string),
    );
    expect(second.lottery.roundId).not.toBe(lottery.roundId);
    expect(second.lottery.verification.verdict).toBe('MATCH');
    expect(second.revenue.month).not.toBe(revenue.month);
    expect(second.revenue.claims).toHaveLength(2);
    expect(second.utility.projectId).not.toBe(first.utility.projectId);
    expect(second.utility.status).toBe('completed');
  }, 600_000);
});
