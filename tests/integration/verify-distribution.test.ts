/**
 * The public allocation and `npm run verify-distribution` on a real month: made through the
 * admin API on a real worker and the local chain, claimed and paid through the payout path,
 * then verified from the public endpoint and the chain alone (the distribution memo published
 * at approval, every payout): MATCH; and MISMATCH naming the failed checks when one amount or
 * one owner is changed (in the fetched allocation, or in the database rows behind it, even
 * with the digest rewritten to fit), when the memo is missing, or when its signer published a
 * second memo for the month.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Connection, Keypair, type PublicKey } from '@solana/web3.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { publishMemo } from '../../activities/anchors';
import { createChainDeps } from '../../src/chain/deps';
import { readMemo } from '../../src/chain/memo';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import {
  fetchAllocation,
  formatReport,
  verifyDistribution,
  type DistributionReport,
} from '../../src/cli/verify-distribution';
import { allocationDigest, type PublishedAllocation } from '../../src/domain/revenue/allocation';
import { BACKFILL_ALLOCATION_DIGESTS } from '../../migrations/Migration20261203000100_allocation_digest';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { distributionStatusQuery, type DistributionState } from '../../workflows/revenue.api';
import { fundedKeypair, newNft, SOL } from '../support/chain-fixtures';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { recordHistory } from '../support/replay';
import { newWallet, signIn, walletOf } from '../support/wallet';

const run = promisify(execFile);

// Revenue months and workflow ids are shared within a run's Temporal: a random year.
const MONTH = `${2100 + crypto.randomInt(7000)}-05`;
const SOURCES = [
  { name: 'Royalties', amountBaseUnits: '1000000001' },
  { name: 'Merch', amountBaseUnits: '2000000007' },
];
const SHARE_BPS = 4444;

describe('verify-distribution (public allocation + local chain)', () => {
  let chain: LocalChain;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  let server: ReturnType<TestSystem['app']['listen']>;
  let apiUrl: string;
  const admin = newWallet();
  let adminAuth: { Authorization: string };
  let alice: Keypair, bob: Keypair, carol: Keypair;
  const passes: Record<string, PublicKey[]> = {};

  const state = (): Promise<DistributionState> =>
    system.resources.temporal.workflow
      .getHandle(workflowIds.revenueDistribution(MONTH))
      .query(distributionStatusQuery);

  /** Polls the run's status query (the workflow publishes each step there) until `status`. */
  async function untilStatus(status: DistributionState['status']): Promise<DistributionState> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await state().catch(() => null);
      if (s?.status === status) return s;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${status}; last ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const claim = async (keypair: Keypair) =>
    request(system.app)
      .post('/api/v1/revenue-pass/claims')
      .set({ Authorization: `Bearer ${await signIn(system.app, walletOf(keypair.secretKey))}` })
      .send({ month: MONTH });

  const allocationUrl = (month: string) => `/api/v1/revenue-pass/distributions/${month}/allocation`;
  const failedChecks = (r: DistributionReport) => r.checks.filter((c) => c.ok === false).map((c) => c.name);

  beforeAll(async () => {
    // Its own database: the snapshot covers every listed pass, and other suites list theirs.
    database = await ownDatabase('verifydist');
    chain = await startLocalChain({ port: 0 });
    const mintAuthority = Keypair.generate();
    chain.airdrop(mintAuthority.publicKey.toBase58(), 1_000n * SOL);
    const payer = fundedKeypair(chain, 100);
    const payerKeyFile = path.join(
      process.env.SR_TEST_TMP ?? '/tmp',
      `verifydist-payer-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(payerKeyFile, payer);
    const connection = new Connection(chain.url, 'confirmed');
    [alice, bob, carol] = [1, 2, 3].map(() => fundedKeypair(chain, 1)) as [Keypair, Keypair, Keypair];
    for (const [name, owner, n] of [
      ['alice', alice, 2],
      ['bob', bob, 1],
      ['carol', carol, 1],
    ] as const) {
      passes[name] = [];
      for (let i = 0; i < n; i++)
        passes[name].push((await newNft(connection, mintAuthority, owner.publicKey)).mint);
    }
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      PAYER_KEY_FILE: payerKeyFile,
      TREASURY_WALLET: mintAuthority.publicKey.toBase58(),
      ADMIN_WALLETS: admin.address,
      REVENUE_APPROVALS_REQUIRED: '1',
      REVENUE_CLAIM_WINDOW: '10m',
      REVENUE_CLAIM_WAIT: '30s',
      REVENUE_SNAPSHOT_CHUNK: '2',
    });
    worker = await startTestWorker(system);
    server = system.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('serves the allocation only once approved; malformed 400, unknown 404, not approved 409', async () => {
    await request(system.app).get(allocationUrl('2026-13')).expect(400);
    await request(system.app).get(allocationUrl('26-01')).expect(400);
    const unknown = await request(system.app).get(allocationUrl('2099-01')).expect(404);
    expect(unknown.body.error.message).toBe('month: there is no revenue distribution for 2099-01');

    const mints = Object.values(passes)
      .flat()
      .map((m) => m.toBase58());
    await request(system.app).post('/api/v1/admin/revenue/passes').set(adminAuth).send({ mints }).expect(200);
    await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(adminAuth)
      .send({ month: MONTH, currency: 'SOL', shareBps: SHARE_BPS, sources: SOURCES })
      .expect(201);
    const awaiting = await untilStatus('awaiting_approval');
    expect(awaiting.passCount).toBe(4);

    // The digest is fixed with the split, before approval; the list is not public yet.
    const [row] = await system.sql<{ allocation_digest: string | null }>(
      'select allocation_digest from revenue_distributions where month = ?',
      [MONTH],
    );
    expect(row!.allocation_digest).toMatch(/^[0-9a-f]{64}$/);
    const early = await request(system.app).get(allocationUrl(MONTH)).expect(409);
    expect(early.body.error.message).toBe(
      `the ${MONTH} distribution is not approved yet (status awaiting_approval): its allocation is published when its claims open`,
    );

    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(adminAuth)
      .send({})
      .expect(200);
    await untilStatus('open');
  });

  it('a real month: the allocation in canonical order, paid claims with signatures, verify MATCH', async () => {
    // Alice (2 passes) and bob claim; carol does not.
    for (const holder of [alice, bob]) expect((await claim(holder)).status).toBe(200);

    const res = await request(system.app).get(allocationUrl(MONTH)).expect(200);
    expect(res.type).toBe('application/json');
    const allocation = res.body as PublishedAllocation;
    const total = 3000000008n;
    const distribution = (total * BigInt(SHARE_BPS)) / 10_000n;
    const perPass = distribution / 4n;
    expect(allocation).toMatchObject({
      format: 'sr-allocation-v1',
      month: MONTH,
      status: 'open',
      currency: 'SOL',
      tokenMint: null,
      totalRevenueBaseUnits: total.toString(),
      shareBps: SHARE_BPS,
      distributionAmountBaseUnits: distribution.toString(),
      perPassAmountBaseUnits: perPass.toString(),
      dustBaseUnits: (distribution - perPass * 4n).toString(),
      passCount: 4,
      sources: SOURCES,
    });
    expect(allocation.snapshotSlot).toEqual(expect.any(Number));
    // Byte order of the mints (not the database's locale collation).
    const mints = allocation.passes.map((p) => p.passMint);
    expect(mints).toEqual([...mints].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const ownerOf = new Map(
      Object.entries(passes).flatMap(([name, ms]) => ms.map((m) => [m.toBase58(), name] as const)),
    );
    const holders = { alice, bob, carol };
    for (const p of allocation.passes) {
      const name = ownerOf.get(p.passMint) as keyof typeof holders;
      expect(p.owner).toBe(holders[name].publicKey.toBase58());
      expect(p.amountBaseUnits).toBe(perPass.toString());
      expect(p.claimStatus).toBe(name === 'carol' ? 'unclaimed' : 'paid');
      expect(p.payoutSignature === null).toBe(name === 'carol');
    }
    const [row] = await system.sql<{ allocation_digest: string }>(
      'select allocation_digest from revenue_distributions where month = ?',
      [MONTH],
    );
    expect(allocation.allocationDigest).toBe(row!.allocation_digest);
    expect(allocation.allocationDigest).toBe(allocationDigest(allocation.passes));
    // The migration's backfill (PostgreSQL's sha256 over the same text) gives the same digest.
    await system.sql('update revenue_distributions set allocation_digest = null where month = ?', [MONTH]);
    await system.sql(BACKFILL_ALLOCATION_DIGESTS);
    expect(
      await system.sql('select allocation_digest from revenue_distributions where month = ?', [MONTH]),
    ).toEqual([{ allocation_digest: allocation.allocationDigest }]);
    expect(allocation.memo).toBe(
      `stoned-rabbits:distribution:v1 month=${MONTH} snapshotSlot=${allocation.snapshotSlot} passes=4 ` +
        `perPass=${perPass} currency=SOL dust=${distribution - perPass * 4n} allocation=${allocation.allocationDigest}`,
    );

    // Published at approval, before the claims opened, by the payout key.
    expect(allocation.memoSignature).toEqual(expect.any(String));
    const landed = await readMemo(new Connection(chain.url), allocation.memoSignature!, 'confirmed');
    expect(landed).toMatchObject({ slot: allocation.memoSlot, texts: [allocation.memo], failed: false });
    expect((await state()).memo).toEqual({ signature: allocation.memoSignature, slot: allocation.memoSlot });

    const report = await verifyDistribution(await fetchAllocation(MONTH, apiUrl), chain.url);
    expect(failedChecks(report)).toEqual([]);
    expect(report.verdict).toBe('MATCH');
    const paidSignatures = new Set(allocation.passes.map((p) => p.payoutSignature).filter(Boolean));
    expect(report.checks.filter((c) => c.name.startsWith('payout ')).map((c) => c.ok)).toEqual(
      [...paidSignatures].map(() => true),
    );

    // The command itself, as a holder runs it.
    const cli = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/verify-distribution.ts', MONTH, '--api', apiUrl, '--rpc', chain.url],
      { cwd: path.join(__dirname, '../..') },
    );
    expect(cli.stdout).toContain(`MATCH distribution ${MONTH}`);
    expect(cli.stdout).toContain('MATCH    allocation digest = SHA-256 of the canonical list');
    expect(cli.stdout).toContain(`MATCH    distribution memo on chain: ${allocation.memoSignature}`);
    expect(cli.stdout).toContain('MATCH    one distribution memo for the month');
    expect(cli.stdout).toContain('MATCH    every payout comes from the payout wallet that signed the memo');
    expect(cli.stdout).toContain('SKIPPED  snapshot owners on chain at the snapshot slot');
    expect(cli.stdout).not.toContain('MISMATCH');
  }, 120_000);

  it('MISMATCH naming the checks when one amount or one owner is changed', async () => {
    const honest = await fetchAllocation(MONTH, apiUrl);
    const paidIndex = honest.passes.findIndex((p) => p.claimStatus === 'paid');
    const paid = honest.passes[paidIndex]!;

    // One paid pass's amount raised by one base unit.
    const amount = structuredClone(honest);
    amount.passes[paidIndex]!.amountBaseUnits = (BigInt(paid.amountBaseUnits) + 1n).toString();
    const byAmount = await verifyDistribution(amount, chain.url);
    expect(byAmount.verdict).toBe('MISMATCH');
    expect(failedChecks(byAmount)).toEqual([
      'every pass is owed the per-pass amount',
      'allocation digest = SHA-256 of the canonical list',
      expect.stringMatching(new RegExp(`^payout ${paid.payoutSignature}`)),
    ]);
    expect(formatReport(byAmount)).toMatch(new RegExp(`^MISMATCH distribution ${MONTH}: failed `, 'm'));

    // One paid pass's owner replaced: the digest breaks and the chain shows nothing paid to it.
    const owner = structuredClone(honest);
    owner.passes[paidIndex]!.owner = Keypair.generate().publicKey.toBase58();
    expect(failedChecks(await verifyDistribution(owner, chain.url))).toEqual([
      'allocation digest = SHA-256 of the canonical list',
      expect.stringMatching(new RegExp(`^payout ${paid.payoutSignature}`)),
    ]);

    // The database row behind the endpoint changed after approval: the stored digest no longer fits.
    const [d] = await system.sql<{ id: string }>('select id from revenue_distributions where month = ?', [
      MONTH,
    ]);
    const unpaid = honest.passes.find((p) => p.claimStatus === 'unclaimed')!;
    await system.sql(
      'update revenue_snapshots set owner_wallet = ? where distribution_id = ? and pass_mint = ?',
      [alice.publicKey.toBase58(), d!.id, unpaid.passMint],
    );
    try {
      const tampered = await verifyDistribution(await fetchAllocation(MONTH, apiUrl), chain.url);
      expect(tampered.verdict).toBe('MISMATCH');
      expect(failedChecks(tampered)).toEqual(['allocation digest = SHA-256 of the canonical list']);
      // The digest rewritten to fit the changed list: consistent in itself, but not what was approved on chain.
      await system.sql('update revenue_distributions set allocation_digest = null where month = ?', [MONTH]);
      await system.sql(BACKFILL_ALLOCATION_DIGESTS);
      const rewritten = await verifyDistribution(await fetchAllocation(MONTH, apiUrl), chain.url);
      expect(failedChecks(rewritten)).toEqual(['distribution memo on chain']);
      expect(rewritten.checks.find((c) => c.name === 'distribution memo on chain')!.detail).toMatch(
        /, not the declared memo$/,
      );
    } finally {
      await system.sql(
        'update revenue_snapshots set owner_wallet = ? where distribution_id = ? and pass_mint = ?',
        [unpaid.owner, d!.id, unpaid.passMint],
      );
      await system.sql('update revenue_distributions set allocation_digest = ? where month = ?', [
        honest.allocationDigest,
        MONTH,
      ]);
    }
    expect((await verifyDistribution(await fetchAllocation(MONTH, apiUrl), chain.url)).verdict).toBe('MATCH');

    // No memo named, or another transaction named as the memo.
    expect(failedChecks(await verifyDistribution({ ...honest, memoSignature: null }, chain.url))).toEqual([
      'distribution memo on chain',
    ]);
    const elsewhere = await verifyDistribution({ ...honest, memoSignature: paid.payoutSignature }, chain.url);
    expect(failedChecks(elsewhere)).toEqual(['distribution memo on chain']);
  }, 120_000);

  it('MISMATCH when the payout wallet published a second distribution memo for the month', async () => {
    const honest = await fetchAllocation(MONTH, apiUrl);
    const other = honest.memo.replace(/allocation=[0-9a-f]{64}$/, `allocation=${'0'.repeat(64)}`);
    const em = system.resources.orm.em.fork() as EntityManager;
    const second = await publishMemo(em, createChainDeps(system.config), `test:second:${MONTH}`, other);
    const report = await verifyDistribution(honest, chain.url);
    expect(failedChecks(report)).toEqual(['one distribution memo for the month']);
    expect(report.checks.find((c) => c.name === 'one distribution memo for the month')!.detail).toContain(
      second.signature,
    );

    // The run, closed, as a replay fixture of the anchored path.
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/close`)
      .set(adminAuth)
      .expect(200);
    await recordHistory(
      system,
      workflowIds.revenueDistribution(MONTH),
      'revenueDistribution-closed-anchored',
    );
  }, 120_000);
});
