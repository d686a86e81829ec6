/**
 * The exactly-once payout path on the local chain with real PostgreSQL: every check of
 * "paid once" reads the recipient's balance on chain.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import bs58 from 'bs58';
import pino from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Keypair, LAMPORTS_PER_SOL, PublicKey, type Connection } from '@solana/web3.js';
import { getAccount, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { createChainDeps, type ChainDeps } from '../../src/chain/deps';
import { PayerKey, readKeypairFile, writeKeypairFile } from '../../src/chain/payer-key';
import { broadcastPayout } from '../../src/chain/payout';
import { createPayout, type NewPayout } from '../../src/db/payouts';
import { ChainReceiptSchema, PayoutSchema } from '../../src/db/entities';
import { createActivities } from '../../activities';
import { createPayoutActivities, sendPayout, signPayout } from '../../activities/payouts';
import { connectClient, connectWorker } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startTestSystem, uniqueTaskQueue, type TestSystem } from '../support/harness';
import { chainFailure, newMint, tokenAccountWith } from '../support/chain-fixtures';

const SOL = BigInt(LAMPORTS_PER_SOL);

describe('payout path (local chain + PostgreSQL)', () => {
  let chain: LocalChain;
  let system: TestSystem;
  let deps: ChainDeps;
  let connection: Connection;
  let payer: Keypair;
  let usdcMint: PublicKey;
  let keyFile: string;
  let logText = '';
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logText += chunk.toString('utf8');
        done();
      },
    }),
  );

  const em = () => system.resources.orm.em.fork() as EntityManager;
  const balance = async (wallet: PublicKey) => BigInt(await connection.getBalance(wallet, 'confirmed'));
  const newKey = (label: string) => `test:${label}:${crypto.randomBytes(6).toString('hex')}`;
  const solPayout = (over: Partial<NewPayout> = {}): NewPayout => ({
    key: newKey('sol'),
    kind: 'claim',
    recipient: Keypair.generate().publicKey.toBase58(),
    currency: 'SOL',
    amountBaseUnits: SOL / 4n,
    ...over,
  });
  const row = (key: string) => em().findOneOrFail(PayoutSchema, { key });

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    payer = Keypair.generate();
    chain.airdrop(payer.publicKey.toBase58(), 1_000n * SOL);
    keyFile = path.join(
      process.env.SR_TEST_TMP ?? fs.mkdtempSync('/tmp/payouts-'),
      `payer-${crypto.randomBytes(4).toString('hex')}.json`,
    );
    writeKeypairFile(keyFile, payer);
    system = await startTestSystem({ RPC_URL: chain.url, PAYER_KEY_FILE: keyFile });
    deps = createChainDeps(system.config, logger);
    connection = deps.connection;
    usdcMint = await newMint(connection, payer, 6);
    await tokenAccountWith(connection, payer, usdcMint, payer.publicKey, 1_000_000n * 1_000_000n);
    deps = { ...deps, usdcMint: usdcMint.toBase58() };
  });

  afterAll(async () => {
    await system?.close();
    await chain?.close();
  });

  test('a SOL payout is paid once, with a memo naming its key, a receipt, and repeat sends are no-ops', async () => {
    const input = solPayout();
    await createPayout(em(), input);
    const recipient = new PublicKey(input.recipient);
    const outcome = await sendPayout(em(), deps, input.key, { logger });
    expect(outcome).toMatchObject({
      key: input.key,
      status: 'confirmed',
      recipient: input.recipient,
      currency: 'SOL',
      amountBaseUnits: (SOL / 4n).toString(),
      attempts: 1,
    });
    expect(await balance(recipient)).toBe(SOL / 4n);

    const landed = await connection.getTransaction(outcome.signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(landed!.meta!.logMessages!.some((line) => line.includes(`payout:${input.key}`))).toBe(true);
    expect(landed!.slot).toBe(outcome.slot);
    expect(await row(input.key)).toMatchObject({
      status: 'confirmed',
      signature: outcome.signature,
      confirmedSlot: BigInt(outcome.slot),
    });
    expect(await em().findOneOrFail(ChainReceiptSchema, { signature: outcome.signature })).toMatchObject({
      kind: 'payout',
      walletAddress: input.recipient,
      amountBaseUnits: SOL / 4n,
      status: 'accepted',
    });

    expect(await sendPayout(em(), deps, input.key)).toEqual(outcome);
    expect(await balance(recipient)).toBe(SOL / 4n);
  });

  test('createPayout is idempotent on its key and refuses a different payload under it', async () => {
    const input = solPayout();
    const first = await createPayout(em(), input);
    const again = await createPayout(em(), input);
    expect(again).toMatchObject({
      key: first.key,
      status: 'pending',
      amountBaseUnits: input.amountBaseUnits,
    });
    const error = await chainFailure(
      createPayout(em(), { ...input, amountBaseUnits: SOL }),
      'PayoutKeyConflict',
    );
    expect(error.message).toContain('0.25 SOL');
    await chainFailure(createPayout(em(), { ...solPayout(), recipient: 'not-a-wallet' }), 'InvalidAddress');
  });

  test('a USDC payout creates the recipient token account and transfers the exact amount', async () => {
    const recipient = Keypair.generate().publicKey;
    const first = {
      ...solPayout({ recipient: recipient.toBase58() }),
      currency: 'USDC' as const,
      amountBaseUnits: 12_345_678n,
    };
    await createPayout(em(), first);
    await sendPayout(em(), deps, first.key);
    const ata = getAssociatedTokenAddressSync(usdcMint, recipient, true);
    expect((await getAccount(connection, ata, 'confirmed')).amount).toBe(12_345_678n);

    // the account exists now: creating it again is a no-op inside the second payout
    const second = { ...first, key: newKey('usdc'), amountBaseUnits: 1n };
    await createPayout(em(), second);
    await sendPayout(em(), deps, second.key);
    expect((await getAccount(connection, ata, 'confirmed')).amount).toBe(12_345_679n);
  });

  test('killed after sending and before recording: the retry finds the landed signature and pays nothing more', async () => {
    const input = solPayout();
    const recipient = new PublicKey(input.recipient);
    await createPayout(em(), input);
    const signature = await signPayout(em(), deps, input.key);
    const stored = await row(input.key);
    expect(stored).toMatchObject({ status: 'signed', signature, attempts: 1 });
    // the "process" sends, then dies: nothing about the send is recorded
    await broadcastPayout(deps, stored.signedTransaction!);
    expect(await balance(recipient)).toBe(SOL / 4n);
    expect((await row(input.key)).status).toBe('signed');

    const outcome = await sendPayout(em(), deps, input.key);
    expect(outcome).toMatchObject({ signature, attempts: 1 });
    expect(await balance(recipient)).toBe(SOL / 4n);
  });

  test('blockhash expired without landing: re-signed with a fresh blockhash, persisted, paid once', async () => {
    const input = solPayout();
    const recipient = new PublicKey(input.recipient);
    await createPayout(em(), input);
    const stale = await signPayout(em(), deps, input.key);
    const staleRow = await row(input.key);
    chain.warpSlots(200);
    expect(await connection.getBlockHeight('finalized')).toBeGreaterThan(
      Number(staleRow.lastValidBlockHeight),
    );

    const outcome = await sendPayout(em(), deps, input.key, { logger });
    expect(outcome.signature).not.toBe(stale);
    expect(outcome.attempts).toBe(2);
    expect(await balance(recipient)).toBe(SOL / 4n);
    expect(
      (await connection.getSignatureStatuses([stale], { searchTransactionHistory: true })).value[0],
    ).toBeNull();
    // the stale bytes can never land now
    await broadcastPayout(deps, staleRow.signedTransaction!);
    expect(await balance(recipient)).toBe(SOL / 4n);
    expect(logText).toContain('re-signing');
  });

  test('concurrent sends of one key: one transaction, paid once, every caller gets the same outcome', async () => {
    const input = solPayout();
    const recipient = new PublicKey(input.recipient);
    await createPayout(em(), input);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => sendPayout(em(), deps, input.key)));
    expect(new Set(outcomes.map((o) => o.signature)).size).toBe(1);
    expect(outcomes[0]!.attempts).toBe(1);
    expect(await balance(recipient)).toBe(SOL / 4n);
  });

  test('concurrent sends racing a re-sign after expiry: still one landed transfer', async () => {
    const input = solPayout();
    const recipient = new PublicKey(input.recipient);
    await createPayout(em(), input);
    await signPayout(em(), deps, input.key);
    chain.warpSlots(200);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => sendPayout(em(), deps, input.key)));
    expect(new Set(outcomes.map((o) => o.signature)).size).toBe(1);
    expect(outcomes[0]!.attempts).toBe(2);
    expect(await balance(recipient)).toBe(SOL / 4n);
  });

  test('payer short of funds: a transient failure with the reason recorded; funded, it pays once', async () => {
    const poorPayer = Keypair.generate();
    chain.airdrop(poorPayer.publicKey.toBase58(), SOL / 100n);
    const poorDeps: ChainDeps = { ...deps, payer: () => PayerKey.fromKeypair(poorPayer) };
    const input = solPayout({ amountBaseUnits: SOL });
    const recipient = new PublicKey(input.recipient);
    await createPayout(em(), input);
    const error = await chainFailure(sendPayout(em(), poorDeps, input.key), 'PayoutNotConfirmedYet');
    expect(error.transient).toBe(true);
    expect((await row(input.key)).lastError).toMatch(/insufficient|0x1/i);
    expect(await balance(recipient)).toBe(0n);

    chain.airdrop(poorPayer.publicKey.toBase58(), 2n * SOL);
    const outcome = await sendPayout(em(), poorDeps, input.key);
    expect(await balance(recipient)).toBe(SOL);
    expect((await row(input.key)).lastError).toBeNull();
    expect(outcome.attempts).toBe(1);
  });

  test('a payout transaction that landed but failed: PayoutFailed, permanent, recorded, never re-signed', async () => {
    const poorPayer = Keypair.generate();
    chain.airdrop(poorPayer.publicKey.toBase58(), SOL / 100n);
    const poorDeps: ChainDeps = { ...deps, payer: () => PayerKey.fromKeypair(poorPayer) };
    const input = solPayout({ amountBaseUnits: SOL });
    await createPayout(em(), input);
    await signPayout(em(), poorDeps, input.key);
    const stored = await row(input.key);
    // someone (an RPC node, an old process) relays the stored bytes without preflight: it lands, failing
    await connection.sendRawTransaction(Buffer.from(stored.signedTransaction!, 'base64'), {
      skipPreflight: true,
    });
    const error = await chainFailure(sendPayout(em(), poorDeps, input.key), 'PayoutFailed');
    expect(error.transient).toBe(false);
    expect(error.message).toContain('landed but failed');
    expect(await row(input.key)).toMatchObject({
      status: 'failed',
      signature: stored.signature,
      attempts: 1,
    });
    await chainFailure(sendPayout(em(), poorDeps, input.key), 'PayoutFailed');
    expect(await balance(new PublicKey(input.recipient))).toBe(0n);
  });

  test('the payer secret never shows: not in logs, PayerKey output, key-file errors or stored rows', async () => {
    const secretForms = [
      bs58.encode(payer.secretKey),
      bs58.encode(payer.secretKey.subarray(0, 32)),
      JSON.stringify(Array.from(payer.secretKey)),
      Buffer.from(payer.secretKey).toString('base64'),
      Array.from(payer.secretKey.subarray(0, 8)).join(','),
    ];
    const key = PayerKey.fromFile(keyFile);
    const shown = [
      JSON.stringify(key),
      inspect(key),
      String(key),
      JSON.stringify({ deps: { payer: key } }),
    ].join('\n');
    expect(shown).toContain(payer.publicKey.toBase58());
    for (const form of secretForms) {
      expect(logText).not.toContain(form);
      expect(shown).not.toContain(form);
    }
    // signed bytes are stored, the log never carries them
    const stored = await em().find(PayoutSchema, { signedTransaction: { $ne: null } });
    expect(stored.length).toBeGreaterThan(0);
    for (const r of stored) expect(logText).not.toContain(r.signedTransaction!.slice(0, 40));

    // a damaged key file: the error names the file and never quotes it
    const damaged = `${keyFile}.damaged`;
    fs.writeFileSync(damaged, JSON.stringify(Array.from(payer.secretKey)).slice(0, 120));
    const error = await chainFailure(
      Promise.resolve().then(() => readKeypairFile(damaged)),
      'PayerKeyUnavailable',
    );
    expect(error.message).toContain(damaged);
    expect(error.message).not.toContain(Array.from(payer.secretKey.subarray(0, 8)).join(','));
  });

  describe('through a Temporal worker (activities + ApplicationFailure types)', () => {
    let worker: Worker;
    let running: Promise<void>;
    let taskQueue: string;
    let closeConnections: () => Promise<void>;
    let client: Awaited<ReturnType<typeof connectClient>>;

    beforeAll(async () => {
      const { code } = await bundleWorkflowCode({
        workflowsPath: path.resolve(__dirname, '../support/workflows/payout.ts'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
      });
      installTemporalRuntime();
      taskQueue = uniqueTaskQueue('payouts');
      const connection = await connectWorker(system.config.temporal);
      worker = await Worker.create({
        connection,
        namespace: system.config.temporal.namespace,
        taskQueue,
        workflowBundle: { code },
        activities: createActivities({
          config: system.config,
          logger: system.deps.logger,
          orm: system.resources.orm,
          redis: system.resources.redis,
          chain: deps,
        }),
      });
      running = worker.run();
      client = await connectClient(system.config.temporal);
      closeConnections = async () => {
        await client.connection.close();
        await connection.close();
      };
    });
    afterAll(async () => {
      worker?.shutdown();
      await running;
      await closeConnections?.();
    });

    test('a workflow records and sends a payout; the result is JSON-safe and paid once', async () => {
      const recipient = Keypair.generate().publicKey;
      const input = {
        key: newKey('wf'),
        kind: 'prize' as const,
        recipient: recipient.toBase58(),
        currency: 'SOL' as const,
        amountBaseUnits: '123456789',
      };
      const result = await client.workflow.execute('payoutWorkflow', {
        taskQueue,
        workflowId: input.key,
        args: [input],
      });
      expect(result).toMatchObject({ key: input.key, status: 'confirmed', amountBaseUnits: '123456789' });
      expect(await balance(recipient)).toBe(123_456_789n);
      const history = JSON.stringify(await client.workflow.getHandle(input.key).fetchHistory());
      const stored = await row(input.key);
      expect(history).not.toContain(stored.signedTransaction!.slice(0, 40));
      expect(history).not.toContain(bs58.encode(payer.secretKey));
    });

    test('an unknown payout key fails non-retryably with type PayoutNotFound', async () => {
      const result = await client.workflow.execute('failingPayoutWorkflow', {
        taskQueue,
        workflowId: newKey('missing'),
        args: ['no-such-payout'],
      });
      expect(result).toMatchObject({ failed: 'PayoutNotFound', nonRetryable: true });
    });

    test('without a payer key file, sending fails non-retryably with PayerKeyUnavailable', async () => {
      const activities = createPayoutActivities({
        config: { ...system.config, solana: { ...system.config.solana, payerKeyFile: undefined } },
        logger: system.deps.logger,
        orm: system.resources.orm,
        redis: system.resources.redis,
      });
      const input = solPayout();
      await createPayout(em(), input);
      const failure = await activities.sendPayout(input.key).catch((e: unknown) => e);
      expect(failure).toMatchObject({ type: 'PayerKeyUnavailable', nonRetryable: true });
    });
  });
});
