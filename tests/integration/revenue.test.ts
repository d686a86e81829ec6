/**
 * The Revenue Pass end to end: admin API → `revenue-distribution:{month}` on a real worker →
 * holder snapshot on the local chain → approvals by distinct admins → claims paid through the
 * payout path (balances on the local chain checked exactly) → close with the unclaimed total.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import bs58 from 'bs58';
import request from 'supertest';
import { Connection, Keypair, type PublicKey } from '@solana/web3.js';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { claimBatchOf } from '../../src/domain/revenue/vocabulary';
import { BusinessStatus, DistributionMonth, WalletAddress } from '../../src/temporal/search-attributes';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { fundedKeypair, newNft, sendLegacy, tokenAccountWith, SOL } from '../support/chain-fixtures';
import { recordHistory, replayRuns } from '../support/replay';
import { startWorkerProcess } from '../support/worker-process';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  approveUpdate,
  distributionStatusQuery,
  type DistributionState,
  type RevenueDistributionInput,
} from '../../workflows/revenue.api';
import { newWallet, signIn, walletOf } from '../support/wallet';

const MONTH = '2026-01';
const SOURCES = [
  { name: 'Royalties', amountBaseUnits: '1000000001' },
  { name: 'Merch', amountBaseUnits: '2000000007' },
];
const SHARE_BPS = 3333;
const SCALE_MONTH = '2026-03';
/** 200 passes over 40 wallets (the scale); REVENUE_TEST_PASSES changes it. */
const SCALE_PASSES = Number(process.env.REVENUE_TEST_PASSES ?? 200);
/** Each wallet's claim is one payout: enough of them that a kill lands mid-way. */
const SCALE_WALLETS = 40;

describe('revenue pass (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let mintAuthority: Keypair;
  const adminA = newWallet();
  const adminB = newWallet();
  /** A third admin: its approval comes after the two that open the claims. */
  const adminC = newWallet();
  let authA: { Authorization: string };
  let authB: { Authorization: string };
  let authC: { Authorization: string };
  const tokens = new Map<string, string>();
  // Holders: alice 2 passes, bob 1, dave 1 (moved to eve after the snapshot), frank 1 (never claims).
  let alice: Keypair, bob: Keypair, dave: Keypair, eve: Keypair, frank: Keypair;
  const passes: Record<string, PublicKey[]> = {};
  let davePassAccount: PublicKey;
  const claimIds: string[] = [];

  const balance = async (k: Keypair) => BigInt(await connection.getBalance(k.publicKey, 'confirmed'));

  async function authOf(keypair: Keypair) {
    const wallet = walletOf(keypair.secretKey);
    let token = tokens.get(wallet.address);
    if (!token) {
      token = await signIn(system.app, wallet);
      tokens.set(wallet.address, token);
    }
    return { Authorization: `Bearer ${token}` };
  }

  const state = (month: string) =>
    system.resources.temporal.workflow
      .getHandle(workflowIds.revenueDistribution(month))
      .query(distributionStatusQuery);

  /** Polls the workflow's status query until `ok` (the workflow publishes each step there). */
  async function until(
    month: string,
    ok: (s: DistributionState) => boolean,
    withinMs = 60_000,
  ): Promise<DistributionState> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const s = await state(month);
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting; last state ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The failure type and message of an `approve` sent straight to the run (as the Temporal CLI does). */
  async function approveRefusal(
    month: string,
    adminWallet: string,
  ): Promise<{ type?: string; message: string }> {
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.revenueDistribution(month));
    const err: unknown = await handle.executeUpdate(approveUpdate, { args: [{ adminWallet }] }).then(
      () => new Error(`approve by ${adminWallet} was accepted`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return {
      type: (cause as ApplicationFailure).type ?? undefined,
      message: (cause as ApplicationFailure).message,
    };
  }

  /** Confirmed payouts of a month's claims. */
  const paidCount = async (month: string) =>
    (
      await system.sql<{ n: number }>(
        `select count(*)::int as n from payouts where key like ? and status = 'confirmed'`,
        [`claim:${month}:%`],
      )
    )[0]!.n;

  /** Resolves once `n` of the month's payouts are confirmed. */
  async function untilPaid(month: string, n: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await paidCount(month)) < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} payouts confirmed after 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const claim = async (keypair: Keypair, body: Record<string, unknown>) =>
    request(system.app)
      .post('/api/v1/revenue-pass/claims')
      .set(await authOf(keypair))
      .send(body);

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    mintAuthority = Keypair.generate();
    chain.airdrop(mintAuthority.publicKey.toBase58(), 1_000n * SOL);
    const payer = fundedKeypair(chain, 100);
    const payerKeyFile = path.join(
      process.env.SR_TEST_TMP ?? '/tmp',
      `revenue-payer-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(payerKeyFile, payer);
    connection = new Connection(chain.url, 'confirmed');
    [alice, bob, dave, eve, frank] = [1, 2, 3, 4, 5].map(() => fundedKeypair(chain, 1)) as [
      Keypair,
      Keypair,
      Keypair,
      Keypair,
      Keypair,
    ];
    const holdings: [string, Keypair, number][] = [
      ['alice', alice, 2],
      ['bob', bob, 1],
      ['dave', dave, 1],
      ['frank', frank, 1],
    ];
    for (const [name, owner, n] of holdings) {
      passes[name] = [];
      for (let i = 0; i < n; i++) {
        const nft = await newNft(connection, mintAuthority, owner.publicKey);
        passes[name].push(nft.mint);
        if (name === 'dave') davePassAccount = nft.tokenAccount;
      }
    }
    // Its own database: it asserts on every month and on the public totals, which other
    // suites' months (admin-dashboard's closed 1999 months) would change.
    database = await ownDatabase('revenue');
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      PAYER_KEY_FILE: payerKeyFile,
      TREASURY_WALLET: mintAuthority.publicKey.toBase58(),
      ADMIN_WALLETS: `${adminA.address},${adminB.address},${adminC.address}`,
      REVENUE_APPROVALS_REQUIRED: '2',
      REVENUE_CLAIM_WINDOW: '10m',
      REVENUE_CLAIM_WAIT: '30s',
      REVENUE_SNAPSHOT_CHUNK: '2',
      DATABASE_POOL_MAX: '10',
    });
    worker = await startTestWorker(system);
    authA = { Authorization: `Bearer ${await signIn(system.app, adminA)}` };
    authB = { Authorization: `Bearer ${await signIn(system.app, adminB)}` };
    authC = { Authorization: `Bearer ${await signIn(system.app, adminC)}` };
    // Alice has an e-mail on file: she gets `distributionAvailable`.
    await authOf(alice);
    await system.sql(`update users set email = 'alice@example.com' where wallet_address = ?`, [
      alice.publicKey.toBase58(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('bad input on every admin and public route → 400/401/403, nothing stored', async () => {
    const good = { month: MONTH, currency: 'SOL', shareBps: SHARE_BPS, sources: SOURCES };
    const bad: Record<string, unknown>[] = [
      { ...good, month: '2026-13' },
      { ...good, month: '26-01' },
      { ...good, shareBps: 10_001 },
      { ...good, shareBps: 1.5 },
      { ...good, sources: [{ name: 'x', amountBaseUnits: '-5' }] },
      { ...good, sources: [{ name: 'x', amountBaseUnits: '1.5' }] },
      { ...good, sources: [{ name: 'x', amountBaseUnits: 100 }] },
      { ...good, sources: [] },
      { ...good, sources: [SOURCES[0], SOURCES[0]] },
      { ...good, currency: 'BTC' },
      { ...good, extra: 1 },
      { month: MONTH, shareBps: 100, csv: 'name,amount\nRoyalties,1.5\nMerch,-2\nBad' },
      { month: MONTH, shareBps: 100, csv: 'name,amount\nRoyalties,0.0000000001' },
    ];
    for (const body of bad) {
      const res = await request(system.app).post('/api/v1/admin/revenue/distributions').set(authA).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    const csvRes = await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authA)
      .send({ month: MONTH, shareBps: 100, csv: 'name,amount\nRoyalties,1.5\nMerch,-2\nBad' });
    expect(csvRes.body.error.details.rows.map((r: { row: number }) => r.row)).toEqual([2, 3]);
    await request(system.app).post('/api/v1/admin/revenue/distributions').send(good).expect(401);
    await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(await authOf(alice))
      .send(good)
      .expect(403);
    // Pass imports: bad mints, both forms, non-admin.
    for (const body of [{ mints: ['nope'] }, { mints: [] }, { csv: 'mint\nnot-a-mint' }, {}]) {
      await request(system.app).post('/api/v1/admin/revenue/passes').set(authA).send(body).expect(400);
    }
    await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(await authOf(alice))
      .send({ mints: [passes.alice![0]!.toBase58()] })
      .expect(403);
    // Public routes.
    await request(system.app).get('/api/v1/revenue-pass/distributions/2026-1').expect(400);
    await request(system.app)
      .get('/api/v1/revenue-pass/claims/not-a-wallet')
      .set(await authOf(alice))
      .expect(400);
    await request(system.app)
      .get(`/api/v1/revenue-pass/claims/${bob.publicKey.toBase58()}`)
      .set(await authOf(alice))
      .expect(403);
    for (const body of [
      { month: 'x' },
      { month: MONTH, passMints: ['bad'] },
      { month: MONTH, passMints: [] },
      {},
    ]) {
      expect((await claim(alice, body)).status).toBe(400);
    }
    await request(system.app).post('/api/v1/revenue-pass/claims').send({ month: MONTH }).expect(401);
    // A month that does not exist.
    expect((await claim(alice, { month: '2025-01' })).status).toBe(404);

    expect(await system.sql('select month from revenue_distributions')).toEqual([]);
    // Other suites of the run share the database and list passes of their own: only ours count.
    const ours = Object.values(passes)
      .flat()
      .map((m) => m.toBase58());
    expect(
      await system.sql(
        `select mint_address from nft_mints where mint_address in (${ours.map(() => '?').join(', ')})`,
        ours,
      ),
    ).toEqual([]);
  });

  it('a month end to end: snapshot, two distinct admins, claims paid to snapshot owners exactly, close', async () => {
    // The pass set, half as JSON and half as CSV.
    const all = Object.values(passes)
      .flat()
      .map((m) => m.toBase58());
    const imported = await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(authA)
      .send({ mints: all.slice(0, 2) })
      .expect(200);
    expect(imported.body).toMatchObject({ added: 2 });
    const csvImport = await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(authA)
      .send({ csv: `mint\n${all.join('\n')}\n` })
      .expect(200);
    expect(csvImport.body).toMatchObject({ added: all.length - 2, alreadyListed: 2 });

    const created = await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authA)
      .send({ month: MONTH, currency: 'SOL', shareBps: SHARE_BPS, sources: SOURCES });
    expect(created.status).toBe(201);
    // A second start of the same month: 409.
    const again = await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authB)
      .send({ month: MONTH, currency: 'SOL', shareBps: 100, sources: SOURCES });
    expect(again.status).toBe(409);

    const total = 3000000008n;
    const distribution = (total * BigInt(SHARE_BPS)) / 10_000n;
    const perPass = distribution / 5n;
    const dust = distribution - perPass * 5n;
    const awaiting = await until(MONTH, (s) => s.status === 'awaiting_approval');
    expect(awaiting).toMatchObject({
      totalRevenueBaseUnits: total.toString(),
      distributionAmountBaseUnits: distribution.toString(),
      perPassAmountBaseUnits: perPass.toString(),
      dustBaseUnits: dust.toString(),
      passCount: 5,
      snapshot: { holders: 5 },
    });
    // Every listed pass is resolved; passes other suites listed (never minted on this chain) hold nothing.
    expect(awaiting.snapshot.done).toBe(awaiting.snapshot.total);
    expect(awaiting.snapshot.total).toBeGreaterThanOrEqual(5);
    const view = await request(system.app)
      .get(`/api/v1/admin/revenue/distributions/${MONTH}`)
      .set(authA)
      .expect(200);
    expect(view.body).toMatchObject({
      status: 'awaiting_approval',
      snapshotDone: awaiting.snapshot.done,
      passCount: 5,
    });

    // The snapshot is taken: dave's pass moves to eve now, but dave (the snapshot owner) is paid.
    const eveAccount = await tokenAccountWith(connection, mintAuthority, passes.dave![0]!, eve.publicKey, 0n);
    await sendLegacy(
      connection,
      [
        createTransferCheckedInstruction(
          davePassAccount,
          passes.dave![0]!,
          eveAccount,
          dave.publicKey,
          1n,
          0,
        ),
      ],
      [dave],
    );

    // No money moves before approval.
    const payoutsBefore = await system.sql('select key from payouts');
    expect((await claim(alice, { month: MONTH })).status).toBe(409);
    expect(await system.sql('select key from payouts')).toEqual(payoutsBefore);

    // Approval rules: non-admin 403; one admin twice counts once; two distinct admins open.
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(await authOf(alice))
      .send({})
      .expect(403);
    const first = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authA)
      .send({})
      .expect(200);
    expect(first.body.approvals).toHaveLength(1);
    const twice = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authA)
      .send({});
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DuplicateApproval');
    expect(twice.body.error.message).toBe(
      `${adminA.address} has already approved ${MONTH}; 1 of 2 distinct admin approval(s) so far`,
    );
    // A name that is not an admin wallet, sent as the CLI would: refused, never counted.
    for (const name of ['not-a-wallet', alice.publicKey.toBase58()]) {
      const refused = await approveRefusal(MONTH, name);
      expect(refused.type).toBe('NotAdminWallet');
      expect(refused.message).toContain('is not one of the admin wallets (ADMIN_WALLETS)');
    }
    expect((await state(MONTH)).approvals.map((a) => a.wallet)).toEqual([adminA.address]);
    expect((await state(MONTH)).status).toBe('awaiting_approval');
    expect((await claim(alice, { month: MONTH })).status).toBe(409);
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authB)
      .send({})
      .expect(200);
    // Right after the approval that opens the claims: the refusal says it is approved, not a stale status.
    const third = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authC)
      .send({});
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('InvalidDistributionState');
    expect(third.body.error.message).toMatch(
      new RegExp(
        `^${MONTH} is already approved(: its claims are open| by 2 admin\\(s\\): its claims are opening)$`,
      ),
    );
    const open = await until(MONTH, (s) => s.status === 'open');
    expect(open.approvals.map((a) => a.wallet).sort()).toEqual([adminA.address, adminB.address].sort());
    const afterOpen = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authB)
      .send({});
    expect(afterOpen.status).toBe(409);
    expect(afterOpen.body.error).toMatchObject({
      code: 'DuplicateApproval',
      message: `${adminB.address} has already approved ${MONTH}; its claims are open`,
    });
    const lateNewcomer = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/approve`)
      .set(authC)
      .send({});
    expect(lateNewcomer.status).toBe(409);
    expect(lateNewcomer.body.error).toMatchObject({
      code: 'InvalidDistributionState',
      message: `${MONTH} is already approved: its claims are open`,
    });
    const [row] = await system.sql<{ approvals: unknown[] }>(
      'select approvals from revenue_distributions where month = ?',
      [MONTH],
    );
    expect(row!.approvals).toHaveLength(2);
    expect(
      await system.sql(`select template from email_notifications where dedupe_key = ?`, [
        `distribution:${MONTH}:${alice.publicKey.toBase58()}`,
      ]),
    ).toEqual([{ template: 'distributionAvailable' }]);

    const claimable = await request(system.app)
      .get('/api/v1/revenue-pass/claimable')
      .set(await authOf(alice))
      .expect(200);
    expect(claimable.body.claimable).toEqual([
      expect.objectContaining({ month: MONTH, amountBaseUnits: (2n * perPass).toString() }),
    ]);

    // Eve holds dave's pass now, but did not at the snapshot: she cannot claim it.
    const eveClaim = await claim(eve, { month: MONTH, passMints: [passes.dave![0]!.toBase58()] });
    expect(eveClaim.status).toBe(403);
    expect((await claim(eve, { month: MONTH })).status).toBe(404);
    expect(
      (await claim(alice, { month: MONTH, passMints: [Keypair.generate().publicKey.toBase58()] })).status,
    ).toBe(404);

    // A claim the RUN refuses answers with the failure table's status for its type, not a
    // blanket 409 (issue 14's defect: the lottery's resultWithin mapped every refusal to 409).
    // A run under the id frank's claim of his pass will use, but asking for eve, is already
    // running (started delayed, so the route joins it before it decides): NotSnapshotOwner.
    const frankPass = passes.frank![0]!.toBase58();
    const frankBalance = await balance(frank);
    const frankBatch = claimBatchOf([frankPass]);
    await system.resources.temporal.workflow.start('revenueWalletClaim', {
      taskQueue: system.config.temporal.taskQueue,
      workflowId: workflowIds.revenueWalletClaim(MONTH, frank.publicKey.toBase58(), frankBatch),
      args: [
        { month: MONTH, requestedBy: eve.publicKey.toBase58(), passMints: [frankPass], batch: frankBatch },
      ],
      startDelay: '5s',
    });
    const refused = await claim(frank, { month: MONTH, passMints: [frankPass] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NotSnapshotOwner');
    expect(refused.body.error.message).toMatch(/belonged to another wallet/);
    expect(await balance(frank)).toBe(frankBalance);
    expect(await system.sql(`select id from revenue_claims where pass_mint = ?`, [frankPass])).toEqual([]);

    const before = {
      alice: await balance(alice),
      bob: await balance(bob),
      dave: await balance(dave),
      eve: await balance(eve),
    };
    // Alice claims her first pass, then all of hers: the second request pays the second pass
    // in a payout of its own; the first answers for itself, refused as already claimed (rule 8).
    const [aliceFirst, aliceSecond] = passes.alice!.map((m) => m.toBase58()) as [string, string];
    const aliceOne = await claim(alice, { month: MONTH, passMints: [aliceFirst] });
    expect(aliceOne.status).toBe(200);
    expect(aliceOne.body.claims).toEqual([
      expect.objectContaining({ passMint: aliceFirst, status: 'paid', amountBaseUnits: perPass.toString() }),
    ]);
    const mixed = await claim(alice, { month: MONTH });
    expect(mixed.status).toBe(200);
    expect(mixed.body.totalAmountBaseUnits).toBe(perPass.toString());
    const byMint = new Map(
      (mixed.body.claims as { passMint: string }[]).map((c) => [c.passMint, c] as const),
    );
    expect(byMint.get(aliceSecond)).toMatchObject({ status: 'paid', amountBaseUnits: perPass.toString() });
    expect(byMint.get(aliceFirst)).toEqual({
      passMint: aliceFirst,
      status: 'refused',
      error: { code: 'AlreadyClaimed', message: expect.stringMatching(/already claimed/) },
    });
    expect(byMint.get(aliceSecond)).not.toMatchObject({
      transactionSignature: aliceOne.body.claims[0].transactionSignature,
    });
    expect(await balance(alice)).toBe(before.alice + 2n * perPass);

    // Bob submits the same claim three times at once: one run, paid once, the same answer.
    const [b1, b2, b3] = await Promise.all([
      claim(bob, { month: MONTH }),
      claim(bob, { month: MONTH }),
      claim(bob, { month: MONTH }),
    ]);
    for (const r of [b1, b2, b3]) {
      expect(r!.status).toBe(200);
      expect(r!.body.totalAmountBaseUnits).toBe(perPass.toString());
    }
    expect(
      new Set(
        [b1, b2, b3].flatMap((r) =>
          r!.body.claims.map((c: { transactionSignature: string }) => c.transactionSignature),
        ),
      ).size,
    ).toBe(1);
    const d = await claim(dave, { month: MONTH, passMints: [passes.dave![0]!.toBase58()] });
    expect(d.status).toBe(200);
    expect(d.body.claims[0]).toMatchObject({ status: 'paid', amountBaseUnits: perPass.toString() });

    expect(await balance(alice)).toBe(before.alice + 2n * perPass);
    expect(await balance(bob)).toBe(before.bob + perPass);
    expect(await balance(dave)).toBe(before.dave + perPass);
    expect(await balance(eve)).toBe(before.eve);
    // A later claim of an already paid pass is refused as already claimed: no second transfer.
    const bobAgain = await claim(bob, { month: MONTH });
    expect(bobAgain.status).toBe(409);
    expect(bobAgain.body.error.code).toBe('AlreadyClaimed');
    expect(await balance(bob)).toBe(before.bob + perPass);
    const payouts = await system.sql<{ key: string; status: string }>(
      `select key, status from payouts where key like ? order by key`,
      [`claim:${MONTH}:%`],
    );
    expect(payouts).toHaveLength(4);
    expect(payouts.every((p) => p.status === 'confirmed')).toBe(true);
    const runOf = (k: Keypair, mints: string[]) =>
      workflowIds.revenueWalletClaim(MONTH, k.publicKey.toBase58(), claimBatchOf(mints));
    // A claim run (revenueWalletClaimV2) starts with its month, wallet and status and
    // upserts only its last status.
    const aliceRun = system.resources.temporal.workflow.getHandle(runOf(alice, [aliceFirst]));
    const described = await aliceRun.describe();
    expect(described.type).toBe('revenueWalletClaimV2');
    expect(described.typedSearchAttributes.get(DistributionMonth)).toBe(MONTH);
    expect(described.typedSearchAttributes.get(WalletAddress)).toBe(alice.publicKey.toBase58());
    expect(described.typedSearchAttributes.get(BusinessStatus)).toBe('paid');
    const upserts = ((await aliceRun.fetchHistory()).events ?? []).filter(
      (e) => e.upsertWorkflowSearchAttributesEventAttributes,
    );
    expect(upserts).toHaveLength(1);
    claimIds.push(
      runOf(alice, [aliceFirst]),
      runOf(alice, [aliceSecond]),
      runOf(
        bob,
        passes.bob!.map((m) => m.toBase58()),
      ),
      runOf(
        dave,
        passes.dave!.map((m) => m.toBase58()),
      ),
    );

    // Public reads.
    const list = await request(system.app).get('/api/v1/revenue-pass/distributions').expect(200);
    expect(list.body.distributions).toHaveLength(1);
    expect(list.body.totalDistributedBaseUnits).toBe((4n * perPass).toString());
    const month = await request(system.app).get(`/api/v1/revenue-pass/distributions/${MONTH}`).expect(200);
    expect(month.body).toMatchObject({
      month: MONTH,
      claimedCount: 4,
      perPassAmountBaseUnits: perPass.toString(),
      perPassAmount: Number(perPass) / 1e9,
      totalRevenueBaseUnits: total.toString(),
      sources: [
        { name: 'Royalties', amountBaseUnits: '1000000001', amount: 1.000000001 },
        { name: 'Merch', amountBaseUnits: '2000000007', amount: 2.000000007 },
      ],
    });
    const history = await request(system.app)
      .get(`/api/v1/revenue-pass/claims/${alice.publicKey.toBase58()}`)
      .set(await authOf(alice))
      .expect(200);
    expect(history.body.totalClaimedBaseUnits).toBe((2n * perPass).toString());
    expect(history.body.claimHistory).toHaveLength(2);
    await request(system.app)
      .get(`/api/v1/revenue-pass/claims/${alice.publicKey.toBase58()}`)
      .set(authA)
      .expect(200);

    // Admin views: claim status per pass, CSV exports.
    const perPassStatus = await request(system.app)
      .get(`/api/v1/admin/revenue/distributions/${MONTH}/claims?pageSize=2&page=3`)
      .set(authA)
      .expect(200);
    expect(perPassStatus.body).toMatchObject({ total: 5, page: 3 });
    expect(perPassStatus.body.passes).toHaveLength(1);
    const perPassCsv = await request(system.app)
      .get(`/api/v1/admin/revenue/distributions/${MONTH}/claims?format=csv`)
      .set(authA)
      .expect(200);
    const [passHeader, ...passRows] = perPassCsv.text.trim().split('\n');
    expect(passHeader).toBe(
      'passMint,ownerWallet,claimStatus,amountBaseUnits,transactionSignature,claimedAt,paidAt',
    );
    expect(passRows).toHaveLength(5);
    const claimsCsv = await request(system.app)
      .get('/api/v1/admin/revenue/claims.csv')
      .set(authA)
      .expect(200);
    expect(claimsCsv.text.trim().split('\n')).toHaveLength(5);
    const distCsv = await request(system.app)
      .get('/api/v1/admin/revenue/distributions?format=csv')
      .set(authA)
      .expect(200);
    expect(distCsv.text).toContain(`${MONTH},open,SOL,${total}`);

    // Cancel is refused once open; close records the unclaimed total (frank's pass).
    const cancel = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/cancel`)
      .set(authA)
      .send({});
    expect(cancel.status).toBe(409);
    const closed = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${MONTH}/close`)
      .set(authA)
      .send({})
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', unclaimedBaseUnits: perPass.toString() });

    // A claim after close: 409 with a clear message, nothing paid.
    const frankBefore = await balance(frank);
    const late = await claim(frank, { month: MONTH });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ClaimsClosed');
    expect(late.body.error.message).toMatch(/claims for 2026-01 closed/);
    expect(await balance(frank)).toBe(frankBefore);
    // The closed month still cannot be started again.
    expect(
      (
        await request(system.app)
          .post('/api/v1/admin/revenue/distributions')
          .set(authA)
          .send({ month: MONTH, currency: 'SOL', shareBps: 100, sources: SOURCES })
      ).status,
    ).toBe(409);
  }, 180_000);

  it('cancel before opening: no claim, no money; then approve is refused', async () => {
    const created = await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authA)
      .send({ month: '2026-02', currency: 'SOL', shareBps: 10_000, csv: 'name,amount\nRoyalties,1.5\n' })
      .expect(201);
    expect(created.body.sources).toEqual([{ name: 'Royalties', amountBaseUnits: '1500000000' }]);
    await until('2026-02', (s) => s.status === 'awaiting_approval');
    const cancelled = await request(system.app)
      .post('/api/v1/admin/revenue/distributions/2026-02/cancel')
      .set(authB)
      .send({ reason: 'wrong figures' })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const approve = await request(system.app)
      .post('/api/v1/admin/revenue/distributions/2026-02/approve')
      .set(authA)
      .send({});
    expect(approve.status).toBe(409);
    expect((await claim(alice, { month: '2026-02' })).status).toBe(404);
    expect(await system.sql(`select key from payouts where key like 'claim:2026-02:%'`)).toEqual([]);
    const [row] = await system.sql<{ status: string }>(
      `select status from revenue_distributions where month = '2026-02'`,
    );
    expect(row!.status).toBe('cancelled');
  }, 120_000);

  it('a run started without the admin list (before it existed): the approval activity refuses a non-admin', async () => {
    const month = '2026-04';
    const input: RevenueDistributionInput = {
      month,
      currency: 'SOL',
      sources: [{ name: 'Royalties', amountBaseUnits: '5000000000' }],
      shareBps: 10_000,
      createdBy: adminA.address,
      approvalsRequired: 2,
      claimWindowMs: 600_000,
      snapshotChunkSize: 2,
      fundingSignature: null,
    };
    await system.resources.temporal.workflow.start('revenueDistribution', {
      taskQueue: system.config.temporal.taskQueue,
      workflowId: workflowIds.revenueDistribution(month),
      args: [input],
    });
    await until(month, (s) => s.status === 'awaiting_approval');
    const refused = await approveRefusal(month, 'not-a-wallet');
    expect(refused).toEqual({
      type: 'NotAdminWallet',
      message: `adminWallet: "not-a-wallet" is not in ADMIN_WALLETS; only an admin can approve ${month}`,
    });
    expect((await state(month)).approvals).toEqual([]);
    const [row] = await system.sql<{ approvals: unknown[] }>(
      'select approvals from revenue_distributions where month = ?',
      [month],
    );
    expect(row!.approvals).toEqual([]);
    // An admin still counts, and the refused name did not take a place among the approvers.
    const approved = await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${month}/approve`)
      .set(authA)
      .send({})
      .expect(200);
    expect(approved.body.approvals.map((a: { wallet: string }) => a.wallet)).toEqual([adminA.address]);
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${month}/cancel`)
      .set(authA)
      .send({})
      .expect(200);
  }, 120_000);

  it('one funding transaction funds one month: a second month naming it is refused (409), also when two are created at once', async () => {
    const create = (month: string, fundingSignature?: string) =>
      request(system.app)
        .post('/api/v1/admin/revenue/distributions')
        .set(authA)
        .send({ month, currency: 'SOL', shareBps: 100, sources: SOURCES, fundingSignature });
    const signature = () => bs58.encode(crypto.randomBytes(64));
    const rowOf = async (month: string) =>
      system.sql<{ transaction_signature: string | null }>(
        'select transaction_signature from revenue_distributions where month = ?',
        [month],
      );
    const noRun = async (month: string) =>
      expect(
        system.resources.temporal.workflow.getHandle(workflowIds.revenueDistribution(month)).describe(),
      ).rejects.toThrow(/not found/i);

    const funding = signature();
    expect((await create('2027-01', funding)).status).toBe(201);
    expect(await rowOf('2027-01')).toEqual([{ transaction_signature: funding }]);
    const second = await create('2027-02', funding);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'FundingAlreadyUsed',
      message: expect.stringContaining(`already funds 2027-01`),
    });
    // Nothing written: no row, no run.
    expect(await rowOf('2027-02')).toEqual([]);
    await noRun('2027-02');

    // Two months naming one new signature at once: one is created, the other refused naming it.
    const shared = signature();
    const [c, d] = await Promise.all([create('2027-03', shared), create('2027-04', shared)]);
    expect([c!.status, d!.status].sort()).toEqual([201, 409]);
    const [wonMonth, lostMonth] = c!.status === 201 ? ['2027-03', '2027-04'] : ['2027-04', '2027-03'];
    const lost = c!.status === 201 ? d! : c!;
    expect(lost.body.error).toMatchObject({
      code: 'FundingAlreadyUsed',
      message: expect.stringContaining(`already funds ${wonMonth}`),
    });
    expect(
      await system.sql('select month from revenue_distributions where transaction_signature = ?', [shared]),
    ).toEqual([{ month: wonMonth }]);
    expect(await rowOf(lostMonth)).toEqual([]);
    // The refused month can be created afterwards with its own funding transaction.
    const own = signature();
    expect((await create(lostMonth, own)).status).toBe(201);
    expect(await rowOf(lostMonth)).toEqual([{ transaction_signature: own }]);

    // The database refuses it too, whatever writes it.
    await expect(
      system.sql('update revenue_distributions set transaction_signature = ? where month = ?', [
        funding,
        wonMonth,
      ]),
    ).rejects.toThrow(/revenue_distributions_funding_signature_unique/);

    for (const month of ['2027-01', '2027-03', '2027-04']) {
      await request(system.app)
        .post(`/api/v1/admin/revenue/distributions/${month}/cancel`)
        .set(authA)
        .send({ reason: 'test month' })
        .expect(200);
    }
  }, 120_000);

  it('a wallet holding 3 passes claims: one payout of 3× the per-pass amount, 3 claim rows paid with its signature; a second claim is refused', async () => {
    const month = `${2100 + crypto.randomInt(800)}-05`;
    const carol = fundedKeypair(chain, 1);
    const carolPasses: string[] = [];
    for (let i = 0; i < 3; i++) {
      carolPasses.push((await newNft(connection, mintAuthority, carol.publicKey)).mint.toBase58());
    }
    await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(authA)
      .send({ mints: carolPasses })
      .expect(200);
    await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authA)
      .send({
        month,
        currency: 'SOL',
        shareBps: 10_000,
        sources: [{ name: 'All', amountBaseUnits: '800000003' }],
      })
      .expect(201);
    const awaiting = await until(month, (s) => s.status === 'awaiting_approval', 120_000);
    const perPass = BigInt(awaiting.perPassAmountBaseUnits!);
    for (const auth of [authA, authB]) {
      await request(system.app)
        .post(`/api/v1/admin/revenue/distributions/${month}/approve`)
        .set(auth)
        .send({})
        .expect(200);
    }
    await until(month, (s) => s.status === 'open');
    const before = await balance(carol);

    const paid = await claim(carol, { month });
    expect(paid.status).toBe(200);
    expect(paid.body.totalAmountBaseUnits).toBe((3n * perPass).toString());
    const claims = paid.body.claims as { passMint: string; status: string; transactionSignature: string }[];
    expect(claims.map((c) => c.passMint).sort()).toEqual([...carolPasses].sort());
    expect(claims.every((c) => c.status === 'paid')).toBe(true);
    const signatures = new Set(claims.map((c) => c.transactionSignature));
    expect(signatures.size).toBe(1);
    const [signature] = signatures;
    // On chain: the wallet received exactly 3× the per-pass amount (the payer paid the fee).
    expect(await balance(carol)).toBe(before + 3n * perPass);
    const payouts = await system.sql<{ key: string; amount: string; recipient: string; signature: string }>(
      `select key, amount_base_units::text as amount, recipient, signature from payouts
        where key like ? and status = 'confirmed'`,
      [`claim:${month}:%`],
    );
    expect(payouts).toEqual([
      {
        key: expect.any(String),
        amount: (3n * perPass).toString(),
        recipient: carol.publicKey.toBase58(),
        signature,
      },
    ]);
    const rows = await system.sql<{
      pass_mint: string;
      status: string;
      payout_key: string;
      signature: string;
    }>(
      `select c.pass_mint, c.status, c.payout_key, c.transaction_signature as signature
         from revenue_claims c join revenue_distributions d on d.id = c.distribution_id
        where d.month = ? order by c.pass_mint`,
      [month],
    );
    expect(rows).toEqual(
      [...carolPasses]
        .sort()
        .map((pass_mint) => ({ pass_mint, status: 'paid', payout_key: payouts[0]!.key, signature })),
    );
    // One revenue.claim_paid event per pass, with its amount and the payout's signature.
    const paidEvents = await system.sql<{ wallet_address: string; metadata: Record<string, string> }>(
      `select wallet_address, metadata from analytics_events
        where event_type = 'revenue.claim_paid' and metadata->>'payoutKey' = ? order by metadata->>'passMint'`,
      [payouts[0]!.key],
    );
    expect(paidEvents).toEqual(
      [...carolPasses].sort().map((passMint) => ({
        wallet_address: carol.publicKey.toBase58(),
        metadata: { payoutKey: payouts[0]!.key, passMint, amountBaseUnits: perPass.toString(), signature },
      })),
    );

    // The same passes again (all, or one named): refused as already claimed, nothing sent.
    const again = await claim(carol, { month });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'AlreadyClaimed' });
    const named = await claim(carol, { month, passMints: [carolPasses[1]] });
    expect(named.status).toBe(409);
    expect(named.body.error.message).toMatch(/already claimed/);
    expect(await balance(carol)).toBe(before + 3n * perPass);
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${month}/close`)
      .set(authA)
      .send({})
      .expect(200);
  }, 240_000);

  it(`${SCALE_PASSES} passes claimed (each wallet twice at once), worker killed mid-way: each wallet paid exactly once`, async () => {
    const holders = Array.from({ length: SCALE_WALLETS }, () => fundedKeypair(chain, 1));
    const mints: PublicKey[][] = holders.map(() => []);
    for (let i = 0; i < SCALE_PASSES; i++) {
      const owner = holders[i % SCALE_WALLETS]!;
      mints[i % SCALE_WALLETS]!.push((await newNft(connection, mintAuthority, owner.publicKey)).mint);
    }
    await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(authA)
      .send({ mints: mints.flat().map((m) => m.toBase58()) })
      .expect(200);
    await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(authA)
      .send({
        month: SCALE_MONTH,
        currency: 'SOL',
        shareBps: 10_000,
        sources: [{ name: 'All', amountBaseUnits: '9000000001' }],
      })
      .expect(201);
    // About a hundred snapshot chunks of two passes, each a scan of the whole local chain: a
    // minute when the machine is busy with the other suites.
    const awaiting = await until(SCALE_MONTH, (s) => s.status === 'awaiting_approval', 240_000);
    const passCount = BigInt(awaiting.passCount!);
    expect(awaiting.passCount).toBe(SCALE_PASSES + 8); // the earlier months' eight passes are listed too
    const perPass = 9000000001n / passCount;
    expect(awaiting.perPassAmountBaseUnits).toBe(perPass.toString());
    for (const auth of [authA, authB]) {
      await request(system.app)
        .post(`/api/v1/admin/revenue/distributions/${SCALE_MONTH}/approve`)
        .set(auth)
        .send({})
        .expect(200);
    }
    await until(SCALE_MONTH, (s) => s.status === 'open');
    const before = await Promise.all(holders.map(balance));
    for (const h of holders) await authOf(h);

    // Every wallet claims twice at once against the worker process, which is killed (SIGKILL)
    // once payouts are under way; an in-process worker then takes over the same task queue.
    await worker.close();
    const doomed = await startWorkerProcess(system);
    const submissions = holders.flatMap((h) => [
      claim(h, { month: SCALE_MONTH }),
      claim(h, { month: SCALE_MONTH }),
    ]);
    await untilPaid(SCALE_MONTH, Math.ceil(SCALE_WALLETS / 4));
    await doomed.kill();
    const paidAtKill = await paidCount(SCALE_MONTH);
    expect(paidAtKill).toBeLessThan(SCALE_WALLETS);
    worker = await startTestWorker(system);
    const responses = await Promise.all(submissions);
    for (const r of responses) expect([200, 202]).toContain(r.status);

    // Whatever the API answered, every claim run finishes paid.
    const ids = holders.map((h, i) =>
      workflowIds.revenueWalletClaim(
        SCALE_MONTH,
        h.publicKey.toBase58(),
        claimBatchOf(mints[i]!.map((m) => m.toBase58())),
      ),
    );
    await Promise.all(ids.map((id) => system.resources.temporal.workflow.getHandle(id).result()));
    const after = await Promise.all(holders.map(balance));
    holders.forEach((_, i) => expect(after[i]! - before[i]!).toBe(perPass * BigInt(mints[i]!.length)));
    // One payout per wallet; every pass's claim row paid, pointing at its wallet's payout.
    expect(await paidCount(SCALE_MONTH)).toBe(SCALE_WALLETS);
    const claims = await system.sql<{ n: number; payouts: number }>(
      `select count(*)::int as n, count(distinct c.payout_key)::int as payouts
         from revenue_claims c join revenue_distributions d on d.id = c.distribution_id
         join payouts p on p.key = c.payout_key and p.signature = c.transaction_signature
        where d.month = ? and c.status = 'paid'`,
      [SCALE_MONTH],
    );
    expect(claims[0]).toEqual({ n: SCALE_PASSES, payouts: SCALE_WALLETS });
    claimIds.push(...ids.slice(0, 3));
  }, 600_000);

  it('replays the recorded histories of the revenue workflows', async () => {
    const ids = [
      workflowIds.revenueDistribution(MONTH),
      workflowIds.revenueDistribution('2026-02'),
      ...claimIds,
    ];
    for (const id of ids) await system.resources.temporal.workflow.getHandle(id).result();
    await replayRuns(system.resources.temporal, ids);
    await recordHistory(system, workflowIds.revenueDistribution(MONTH), 'revenueDistribution-closed');
    await recordHistory(system, workflowIds.revenueDistribution('2026-02'), 'revenueDistribution-cancelled');
    // revenueWalletClaim-paid stays as recorded before 'claim-payout-local-first' (the old path),
    // revenueWalletClaim-paid-local-payout as recorded before the API started revenueWalletClaimV2.
    await recordHistory(system, claimIds[0]!, 'revenueWalletClaimV2-paid');
  }, 120_000);
});
