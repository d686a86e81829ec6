/**
 * Anchored draws (issue 19) on the local chain with real PostgreSQL and Temporal: the memo
 * primitive publishes exactly once (a crash between signing and sending still puts one memo
 * on chain), and a round made through the API publishes its commitment before sales open and
 * its digest at the freeze, with the beacon fixed by rule from the digest memo's slot.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connection, SystemProgram, type Keypair } from '@solana/web3.js';
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
import { commitMemoText, parseCommitMemo, parseFreezeMemo } from '../../src/domain/lottery/anchors';
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
});
