/**
 * Anchored draws (issue 19) on the local chain with real PostgreSQL and Temporal: the memo
 * primitive publishes exactly once (a crash between signing and sending still puts one memo
 * on chain), and a round made through the API publishes its commitment before sales open and
 * its digest at the freeze, with the beacon fixed by rule from the digest memo's slot (also
 * when the delay crosses an epoch boundary).
 */
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connection, Keypair, SystemProgram } from '@solana/web3.js';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { createChainDeps, type ChainDeps } from '../../src/chain/deps';
import { readMemo } from '../../src/chain/memo';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { publishMemo, signMemo } from '../../activities/anchors';
import {
  checkDrawProof,
  checkDrawProofOnChain,
  formatResult,
  type PublicDrawProof,
} from '../../src/cli/verify-draw';
import { beaconAtSlot } from '../../src/chain/beacon';
import {
  beaconTargetSlot,
  commitMemoKey,
  commitMemoText,
  parseCommitMemo,
  parseFreezeMemo,
} from '../../src/domain/lottery/anchors';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { roundStatusQuery } from '../../workflows/lottery.api';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { fundedKeypair, sendLegacy, SOL } from '../support/chain-fixtures';
import { recordHistory } from '../support/replay';
import { newWallet, signIn, walletOf } from '../support/wallet';

const DELAY_SLOTS = 4;
const REVEAL_DEADLINE_MS = 3_000;
const PRICE_SOL = SOL / 100n;

describe('anchored draws (local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let deps: ChainDeps;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let treasury: Keypair;
  let payer: Keypair;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const admin = newWallet();
  let adminAuth: { Authorization: string };
  /** The public proof of the round drawn below, for the verify-draw tests. */
  let drawnProof: PublicDrawProof | undefined;

  const em = () => system.resources.orm.em.fork() as EntityManager;
  const newKey = (label: string) => `test:${label}:${crypto.randomBytes(6).toString('hex')}`;
  /** Every memo text the payer has put on chain. */
  const memosOnChain = async (): Promise<string[]> => {
    const sigs = await connection.getSignaturesForAddress(payer.publicKey, { limit: 1000 }, 'confirmed');
    const texts: string[] = [];
    for (const { signature } of sigs)
      texts.push(...((await readMemo(connection, signature, 'confirmed'))?.texts ?? []));
    return texts;
  };

  beforeAll(async () => {
    database = await ownDatabase('anchors');
    chain = await startLocalChain({ port: 0 });
    treasury = fundedKeypair(chain, 1);
    payer = fundedKeypair(chain, 10);
    const keyFile = path.join(
      process.env.SR_TEST_TMP ?? '/tmp',
      `anchors-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(keyFile, payer);
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      PAYER_KEY_FILE: keyFile,
      ADMIN_WALLETS: admin.address,
      LOTTERY_GRACE_PERIOD: '200ms',
      LOTTERY_PRIZE_WINDOW: '1s',
      LOTTERY_REVEAL_DEADLINE: `${REVEAL_DEADLINE_MS}ms`,
      LOTTERY_BEACON_DELAY_SLOTS: String(DELAY_SLOTS),
      PURCHASE_WAIT: '30s',
    });
    deps = createChainDeps(system.config);
    connection = new Connection(chain.url, 'confirmed');
    worker = await startTestWorker(system);
    adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  /** A round created through the API, its sales opened, one ticket bought. */
  async function roundWithOneTicket(): Promise<{
    roundId: string;
    startDate: string;
    signature: string;
    buyer: Keypair;
  }> {
    const startDate = new Date(Math.ceil((Date.now() + 5_000) / 1_000) * 1_000).toISOString();
    const created = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate,
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      });
    expect(created.status).toBe(201);
    const roundId = created.body.id as string;

    // Sales open at startDate; buy one ticket (block times are whole seconds: a second past it).
    const buyer = fundedKeypair(chain, 2);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(startDate) + 1_500 - Date.now())));
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
    const bought = await request(system.app)
      .post('/api/v1/lottery/purchase')
      .set({ Authorization: `Bearer ${await signIn(system.app, walletOf(buyer.secretKey))}` })
      .send({
        walletAddress: buyer.publicKey.toBase58(),
        ticketCount: 1,
        paymentMethod: 'SOL',
        transactionSignature: signature,
        roundId,
      });
    expect({ status: bought.status, error: bought.body.error }).toEqual({ status: 200, error: undefined });

    return { roundId, startDate, signature, buyer };
  }

  it('publishMemo puts the text on chain once; the same key again is the same memo; another text is refused', async () => {
    const key = newKey('memo');
    const text = `stoned-rabbits:test:v1 key=${key}`;
    const published = await publishMemo(em(), deps, key, text);
    const landed = await readMemo(connection, published.signature, 'confirmed');
    expect(landed).toMatchObject({ slot: published.slot, texts: [text], failed: false });
    expect(landed!.signers[0]).toBe(payer.publicKey.toBase58());
    // As a real RPC: the memo program logs it too.
    const tx = await connection.getTransaction(published.signature, {
      commitment: 'confirmed',
      maxSupportedTransactionVersion: 0,
    });
    expect(tx!.meta!.logMessages!.some((line) => line.includes(text))).toBe(true);

    expect(await publishMemo(em(), deps, key, text)).toEqual(published);
    await expect(publishMemo(em(), deps, key, `${text} changed`)).rejects.toMatchObject({
      code: 'MemoKeyConflict',
    });
    expect((await memosOnChain()).filter((t) => t.startsWith(text))).toEqual([text]);
  });

  it('a crash between signing and sending: the retry sends the stored bytes, and one memo lands', async () => {
    const key = newKey('crash');
    const text = `stoned-rabbits:test:v1 crash=${key}`;
    // The first attempt signed and stored, then died before sending.
    const storedSignature = await signMemo(em(), deps, key, text);
    expect(await connection.getSignatureStatus(storedSignature)).toMatchObject({ value: null });
    const published = await publishMemo(em(), deps, key, text);
    expect(published.signature).toBe(storedSignature);
    expect((await memosOnChain()).filter((t) => t === text)).toHaveLength(1);
  });

  it("the rule's beacon across an epoch boundary: a digest memo in an epoch's last slots, the beacon in the next epoch", async () => {
    const delay = 32;
    // Warp to a few slots before the next epoch (local chain: every slot has a block, like a
    // leader that never skips; skipped slots are covered by the unit tests' slot lists).
    const { epoch, slotIndex, slotsInEpoch } = await connection.getEpochInfo('confirmed');
    const toBoundary = slotsInEpoch - slotIndex;
    if (toBoundary > 8) chain.warpSlots(toBoundary - 8);
    const key = newKey('epoch');
    const text = `stoned-rabbits:test:v1 epoch=${key}`;
    const memo = await publishMemo(em(), deps, key, text);
    const target = beaconTargetSlot(memo.slot, delay);
    expect(await connection.getEpochInfo('confirmed')).toMatchObject({ epoch });
    // Not final yet: the rule says wait, never "take an earlier block".
    await expect(beaconAtSlot(connection, target)).rejects.toMatchObject({ code: 'BeaconNotReady' });
    chain.warpSlots(target + 64 - memo.slot);
    const beacon = await beaconAtSlot(connection, target);
    expect(beacon.slot).toBe(target);
    const block = await connection.getBlock(target, {
      commitment: 'finalized',
      maxSupportedTransactionVersion: 0,
    });
    expect(beacon.blockhash).toBe(block!.blockhash);
    expect(Math.floor(memo.slot / slotsInEpoch)).toBe(epoch);
    expect(Math.floor(beacon.slot / slotsInEpoch)).toBe(epoch + 1);
  });

  it('a round publishes its commitment before sales and its digest at the freeze; the beacon follows the rule', async () => {
    const { roundId, startDate } = await roundWithOneTicket();
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(adminAuth)
      .send({})
      .expect(200);
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/draw`)
      .set(adminAuth)
      .send({})
      .expect(200);
    const proof = (await request(system.app).get(`/api/v1/lottery/rounds/${roundId}/proof`).expect(200)).body;

    const { commitMemo, digestMemo, beaconRule } = proof.anchors;
    expect(beaconRule).toEqual({
      name: 'first-block-at-or-after-v1',
      delaySlots: DELAY_SLOTS,
      commitment: 'finalized',
    });
    expect(parseCommitMemo(commitMemo.text)).toEqual({
      roundId,
      seedCommitment: proof.seedCommitment,
      startDate,
      endDate: proof.endDate,
      ticketPriceLamports: PRICE_SOL.toString(),
      ticketPriceUsdc: '1000000',
    });
    expect(parseFreezeMemo(digestMemo.text)).toEqual({
      roundId,
      ticketCount: 1,
      ticketDigest: proof.ticketDigest,
      beaconDelaySlots: DELAY_SLOTS,
    });
    const commitOnChain = await readMemo(connection, commitMemo.signature);
    const digestOnChain = await readMemo(connection, digestMemo.signature);
    expect(commitOnChain).toMatchObject({ slot: commitMemo.slot, texts: [commitMemo.text] });
    expect(digestOnChain).toMatchObject({ slot: digestMemo.slot, texts: [digestMemo.text] });
    expect(commitOnChain!.blockTime! * 1000).toBeLessThan(Date.parse(startDate));
    // Its start was after the memo: it stays as requested.
    expect(proof.startDate).toBe(startDate);
    // The local chain produces every slot: the rule's beacon is the target slot itself.
    expect(proof.beaconSlot).toBe(digestMemo.slot + DELAY_SLOTS);
    const block = await connection.getBlock(proof.beaconSlot, {
      commitment: 'finalized',
      maxSupportedTransactionVersion: 0,
      transactionDetails: 'none',
      rewards: false,
    });
    expect(block!.blockhash).toBe(proof.beaconBlockhash);

    const state = await handle.query('status');
    expect(state).toMatchObject({
      commitMemo: { signature: commitMemo.signature, slot: commitMemo.slot },
      digestMemo: { signature: digestMemo.signature, slot: digestMemo.slot },
    });
    await recordHistory(system, workflowIds.lotteryRound(roundId), 'lotteryRound-anchored');
    drawnProof = proof;
  });

  describe('verify-draw --rpc needs nothing but the public proof', () => {
    const failedOf = async (proof: PublicDrawProof) => {
      const result = await checkDrawProofOnChain(proof, chain.url);
      expect(result.verdict).toBe(result.failed.length === 0 ? 'MATCH' : 'MISMATCH');
      return result.failed;
    };
    const honest = () => structuredClone(drawnProof!);

    it('an honest proof: every check OK, MATCH', async () => {
      const result = await checkDrawProofOnChain(honest(), chain.url);
      const printed = formatResult(honest().roundId, result);
      expect(result.failed).toEqual([]);
      expect(result.checks.map((c) => [c.name, c.result])).toEqual([
        ['seed hashes to the commitment', 'OK'],
        ['tickets hash to the digest', 'OK'],
        ['winner recomputes', 'OK'],
        ['commitment memo on chain', 'OK'],
        ['commitment memo before start', 'OK'],
        ['digest memo on chain', 'OK'],
        ['digest memo before beacon', 'OK'],
        ['one commitment and one digest memo', 'OK'],
        ["beacon is the rule's slot", 'OK'],
        ['beacon blockhash on chain', 'OK'],
      ]);
      expect(printed.split('\n').at(-1)).toBe('MATCH');
      // Without the chain the same proof still matches, its chain parts said NOT_CHECKED.
      const offline = checkDrawProof(honest());
      expect(offline.verdict).toBe('MATCH');
      expect(offline.checks.filter((c) => c.result === 'NOT_CHECKED').map((c) => c.name)).toContain(
        'commitment memo before start',
      );
    });

    it('a second commitment memo for the round (a seed to pick later) → MISMATCH naming it', async () => {
      const proof = honest();
      const memo = parseCommitMemo(proof.anchors!.commitMemo!.text)!;
      const other = commitMemoText({ ...memo, seedCommitment: 'f'.repeat(64) });
      await publishMemo(em(), deps, newKey('second-commit'), other);
      expect(await failedOf(proof)).toEqual(['one commitment and one digest memo']);
    });

    it('a commitment memo published after startDate → MISMATCH naming it', async () => {
      const proof = honest();
      const memo = parseCommitMemo(proof.anchors!.commitMemo!.text)!;
      const lateStart = new Date(Date.now() - 60_000).toISOString();
      const text = commitMemoText({ ...memo, startDate: lateStart });
      const late = await publishMemo(em(), deps, newKey('late-commit'), text);
      proof.startDate = lateStart;
      proof.anchors!.commitMemo = { signature: late.signature, slot: late.slot, text };
      // The honest commitment memo is now a second one of the round, too.
      expect(await failedOf(proof)).toEqual([
        'commitment memo before start',
        'one commitment and one digest memo',
      ]);
    });

    it('a digest memo after the beacon slot → MISMATCH naming it', async () => {
      const proof = honest();
      const text = proof.anchors!.digestMemo!.text;
      const late = await publishMemo(em(), deps, newKey('late-digest'), text);
      proof.anchors!.digestMemo = { signature: late.signature, slot: late.slot, text };
      expect(await failedOf(proof)).toContain('digest memo before beacon');
    });

    it("a beacon that is not the rule's slot → MISMATCH naming it", async () => {
      const proof = honest();
      const next = await connection.getBlock(proof.beaconSlot + 1, {
        commitment: 'finalized',
        maxSupportedTransactionVersion: 0,
        transactionDetails: 'none',
        rewards: false,
      });
      proof.beaconSlot += 1;
      proof.beaconBlockhash = next!.blockhash;
      expect(await failedOf(proof)).toContain("beacon is the rule's slot");
    });

    it('a ticket changed → MISMATCH naming the digest', async () => {
      const proof = honest();
      proof.tickets = proof.tickets!.map((t) => ({ ...t, wallet: newWallet().address }));
      expect(await failedOf(proof)).toContain('tickets hash to the digest');
    });

    it('the seed changed → MISMATCH naming the commitment', async () => {
      const proof = honest();
      proof.revealedSeed = crypto.randomBytes(32).toString('hex');
      expect(await failedOf(proof)).toContain('seed hashes to the commitment');
    });
  });

  it('a seed that cannot be revealed: after the reveal deadline the round is cancelled and everyone refunded', async () => {
    const { roundId, signature, buyer } = await roundWithOneTicket();
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(adminAuth)
      .send({})
      .expect(200);
    for (
      let wait = 20;
      (await handle.query(roundStatusQuery)).beaconSlot === null;
      wait = Math.min(wait * 2, 200)
    ) {
      await new Promise((r) => setTimeout(r, wait));
    }
    // The seed is lost: the row no longer holds a readable seed.
    await system.sql(`update lottery_rounds set secret_seed = 'lost' where id = ?`, [roundId]);
    const asked = Date.now();
    const drawn = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/draw`)
      .set(adminAuth)
      .send({});
    expect(drawn.status).toBe(409);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(REVEAL_DEADLINE_MS - 1_000);
    expect(await handle.result()).toMatchObject({ status: 'cancelled', draw: null });
    const [round] = await system.sql<{ status: string; drawn_at: unknown }>(
      'select status, drawn_at from lottery_rounds where id = ?',
      [roundId],
    );
    expect(round).toEqual({ status: 'cancelled', drawn_at: null });
    await request(system.app).get(`/api/v1/lottery/rounds/${roundId}/proof`).expect(409);

    // Everyone is owed and paid back in full through the refunds path.
    const before = BigInt(await connection.getBalance(buyer.publicKey, 'confirmed'));
    const paid = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/refunds/pay`)
      .set(adminAuth)
      .send({});
    expect(paid.status).toBe(200);
    expect(JSON.stringify(paid.body)).toContain(signature);
    expect(BigInt(await connection.getBalance(buyer.publicKey, 'confirmed')) - before).toBe(PRICE_SOL);
    await recordHistory(system, workflowIds.lotteryRound(roundId), 'lotteryRound-seed-lost-cancelled');
  });
  describe('sales open once the commitment is on chain', () => {
    let server: Server | undefined;
    afterAll(async () => {
      if (server) await new Promise((resolve) => server!.close(resolve));
    });

    const pay = (from: Keypair, to: Keypair['publicKey'], lamports: bigint) =>
      sendLegacy(
        connection,
        [SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports })],
        [from],
      );
    const createRound = (startDate: string, endDate: string) =>
      request(system.app).post('/api/v1/admin/lottery/rounds').set(adminAuth).send({
        prizePool: 1,
        startDate,
        endDate,
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      });
    const submit = async (buyer: Keypair, roundId: string, signature: string) =>
      request(system.app)
        .post('/api/v1/lottery/purchase')
        .set({ Authorization: `Bearer ${await signIn(system.app, walletOf(buyer.secretKey))}` })
        .send({
          walletAddress: buyer.publicKey.toBase58(),
          ticketCount: 1,
          paymentMethod: 'SOL',
          transactionSignature: signature,
          roundId,
        });
    async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
      for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
        const value = await read();
        if (done(value)) return value;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    const publicRound = async (roundId: string) =>
      (await request(system.app).get(`/api/v1/lottery/rounds/${roundId}`).expect(200)).body as {
        status: string;
        startDate: string;
      };

    it('a round asked to start in the past takes nothing before its commitment is on chain, opens the second after it, and verify-draw says MATCH', async () => {
      // The signer cannot pay a fee: the chain refuses the commitment memo until it is funded again.
      const holder = Keypair.generate();
      const balance = BigInt(await connection.getBalance(payer.publicKey, 'confirmed'));
      await pay(payer, holder.publicKey, balance - 5_000n);
      expect(await connection.getBalance(payer.publicKey, 'confirmed')).toBe(0);

      const requestedStart = new Date(Date.now() - 60_000).toISOString();
      const created = await createRound(requestedStart, new Date(Date.now() + 30 * 60_000).toISOString());
      // Answered (after its bounded wait) as not open yet: the memo cannot land.
      expect({
        status: created.status,
        round: created.body.status,
        startDate: created.body.startDate,
      }).toEqual({
        status: 201,
        round: 'scheduled',
        startDate: requestedStart,
      });
      const roundId = created.body.id as string;
      const handle = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
      await until(
        () =>
          system.sql<{ error: string | null }>('select last_error as error from chain_memos where key = ?', [
            commitMemoKey(roundId),
          ]),
        (rows) => Boolean(rows[0]?.error),
      );

      // Its start has passed, but its commitment is not on chain: a paid purchase and a burn claim are refused, nothing recorded.
      const buyer = fundedKeypair(chain, 2);
      const early = await pay(buyer, treasury.publicKey, PRICE_SOL);
      const refused = await submit(buyer, roundId, early);
      expect({
        status: refused.status,
        message: refused.body.error?.message,
        details: refused.body.error?.details,
      }).toEqual({
        status: 409,
        message: `round ${roundId} has not started: its commitment is not on chain yet (sales open once it is)`,
        details: { roundId, status: 'scheduled' },
      });
      const burn = await request(system.app)
        .post('/api/v1/lottery/burn-claim')
        .set({ Authorization: `Bearer ${await signIn(system.app, walletOf(buyer.secretKey))}` })
        .send({
          walletAddress: buyer.publicKey.toBase58(),
          nftsBurned: [newWallet().address],
          transactionSignatures: [early],
          ticketsClaimed: 1,
          roundId,
        });
      expect({ status: burn.status, message: burn.body.error?.message }).toEqual({
        status: 409,
        message: refused.body.error.message,
      });
      expect(await system.sql('select 1 from chain_receipts where signature = ?', [early])).toEqual([]);
      expect(await publicRound(roundId)).toMatchObject({ status: 'scheduled', startDate: requestedStart });

      // Funded again: the memo lands, and sales open the first whole second after its block time.
      await pay(holder, payer.publicKey, balance - 10_000n);
      const opened = await until(
        () => publicRound(roundId),
        (round) => round.status === 'active',
      );
      const state = await handle.query(roundStatusQuery);
      const memo = await readMemo(connection, state.commitMemo!.signature, 'confirmed');
      const salesOpened = new Date((memo!.blockTime! + 1) * 1000).toISOString();
      expect(Date.parse(salesOpened)).toBeGreaterThan(Date.parse(requestedStart));
      expect(opened.startDate).toBe(salesOpened);
      expect(state.startDate).toBe(salesOpened);
      const adminView = await request(system.app)
        .get(`/api/v1/admin/lottery/rounds/${roundId}`)
        .set(adminAuth)
        .expect(200);
      expect(adminView.body.startDate).toBe(salesOpened);

      // The payment made before the commitment was on chain is no ticket: late, owed back in full.
      const late = await submit(buyer, roundId, early);
      expect({ status: late.status, code: late.body.error?.code }).toEqual({
        status: 409,
        code: 'LatePayment',
      });
      expect(late.body.error.message).toMatch(/before the round's start/);
      expect(
        await system.sql(
          'select status, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
          [early],
        ),
      ).toEqual([{ status: 'late', refund: PRICE_SOL.toString() }]);
      const bought = await submit(buyer, roundId, await pay(buyer, treasury.publicKey, PRICE_SOL));
      expect({ status: bought.status, tickets: bought.body.ticketsIssued }).toEqual({
        status: 200,
        tickets: [1],
      });

      await request(system.app)
        .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
        .set(adminAuth)
        .send({})
        .expect(200);
      await request(system.app)
        .post(`/api/v1/admin/lottery/rounds/${roundId}/draw`)
        .set(adminAuth)
        .send({})
        .expect(200);
      const proof = (await request(system.app).get(`/api/v1/lottery/rounds/${roundId}/proof`).expect(200))
        .body;
      expect(proof.startDate).toBe(salesOpened);
      expect(parseCommitMemo(proof.anchors.commitMemo.text)?.startDate).toBe(requestedStart);

      // The CLI a holder runs, against the API and the chain alone.
      server = system.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server!.once('listening', resolve));
      const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/verify-draw.ts', roundId, '--api', api, '--rpc', chain.url],
        { cwd: path.resolve(__dirname, '..', '..') },
      );
      console.log(`npm run verify-draw -- ${roundId} --rpc ${chain.url}\n${stdout}`);
      const lines = stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('MATCH');
      expect(lines.filter((line) => line.startsWith('  OK '))).toHaveLength(10);
      expect(stdout).toContain(`the memo asked ${requestedStart}: sales opened the second after it landed`);
      await recordHistory(
        system,
        workflowIds.lotteryRound(roundId),
        'lotteryRound-sales-opened-after-commitment',
      );
    });

    it('a round whose window ends before its commitment lands is cancelled, saying why; a payment to it is owed back', async () => {
      const endDate = new Date(Date.now() - 60_000).toISOString();
      const created = await createRound(new Date(Date.now() - 120_000).toISOString(), endDate);
      expect({ status: created.status, round: created.body.status }).toEqual({
        status: 201,
        round: 'cancelled',
      });
      const roundId = created.body.id as string;
      const handle = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'cancelled', draw: null });
      expect(result.cancelReason).toMatch(
        new RegExp(
          `^its commitment memo landed at .* too late for its sales window ending ${endDate}: sales open only once the commitment is on chain`,
        ),
      );
      expect(await publicRound(roundId)).toMatchObject({ status: 'cancelled' });

      const buyer = fundedKeypair(chain, 2);
      const signature = await pay(buyer, treasury.publicKey, PRICE_SOL);
      const late = await submit(buyer, roundId, signature);
      expect({ status: late.status, code: late.body.error?.code }).toEqual({
        status: 409,
        code: 'LatePayment',
      });
      expect(
        await system.sql(
          'select status, refund_owed_base_units::text as refund from chain_receipts where signature = ?',
          [signature],
        ),
      ).toEqual([{ status: 'late', refund: PRICE_SOL.toString() }]);
      await recordHistory(
        system,
        workflowIds.lotteryRound(roundId),
        'lotteryRound-cancelled-commitment-after-window',
      );
    });
  });
});
