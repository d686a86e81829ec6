/**
 * Payouts per second through the exactly-once payout path (activities/payouts.ts): create the
 * row, sign, persist, send, confirm, record the receipt, against the local chain and a
 * PostgreSQL database of the bench's own (created, migrated and dropped).
 * Run: npx tsx bench/payouts.ts [--payouts 400] [--concurrency 16] [--currency SOL|USDC]
 * Needs PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432). Bounded: each phase
 * stops after 30 s. The chain runs in this process, sharing its event loop and 2 cores.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Keypair, LAMPORTS_PER_SOL, PublicKey } from '@solana/web3.js';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Transaction } from '@solana/web3.js';
import { startLocalChain } from '../src/chain/local';
import { createChainDeps } from '../src/chain/deps';
import { sendAndConfirm } from '../src/chain/dev-tools';
import { ensureUsdcMint } from '../src/chain/local-keys';
import { writeKeypairFile } from '../src/chain/payer-key';
import { sendPayout } from '../activities/payouts';
import { createPayout } from '../src/db/payouts';
import { loadConfig } from '../src/config';
import { dropDatabase, ensureDatabase, migrateUp, openOrm } from '../src/db/orm';

const TIME_LIMIT_MS = 30_000;
const { values } = parseArgs({
  options: {
    payouts: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '16' },
    currency: { type: 'string', default: 'SOL' },
  },
});
const PAYOUTS = Number(values.payouts);
const CONCURRENCY = Number(values.concurrency);
const CURRENCY = values.currency === 'USDC' ? 'USDC' : 'SOL';

async function pool(
  count: number,
  concurrency: number,
  deadline: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next;
      next += 1;
      await task(i);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return done;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/sr_bench_${crypto.randomBytes(4).toString('hex')}`;
  const databaseUrl = base.toString();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-payouts-'));
  const chain = await startLocalChain({ port: 0 });
  await ensureDatabase(databaseUrl);
  const orm = await openOrm({ url: databaseUrl, poolMax: 20 });
  try {
    await migrateUp(orm);
    const payer = Keypair.generate();
    chain.airdrop(payer.publicKey.toBase58(), 1_000_000n * BigInt(LAMPORTS_PER_SOL));
    const keyFile = path.join(tmp, 'payer.json');
    writeKeypairFile(keyFile, payer);
    const config = loadConfig({
      JWT_SECRET: 'bench-does-not-sign-tokens-placeholder',
      RPC_URL: chain.url,
      PAYER_KEY_FILE: keyFile,
      DATA_DIR: tmp,
      LOG_LEVEL: 'silent',
    });
    let deps = createChainDeps(config);
    if (CURRENCY === 'USDC') {
      const mint = await ensureUsdcMint(deps.connection, payer, Keypair.generate());
      const account = getAssociatedTokenAddressSync(mint, payer.publicKey);
      await sendAndConfirm(
        deps.connection,
        new Transaction().add(
          createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, payer.publicKey, mint),
          createMintToInstruction(mint, account, payer.publicKey, 10n ** 15n),
        ),
        [payer],
      );
      deps = { ...deps, usdcMint: mint.toBase58() };
    }
    const em = () => orm.em.fork() as EntityManager;
    const amount = CURRENCY === 'SOL' ? 1_000_000n : 1_000n; // 0.001 SOL (rent-exempt) / 0.001 USDC
    const runId = crypto.randomBytes(3).toString('hex');
    const recipients = Array.from({ length: PAYOUTS }, () => Keypair.generate().publicKey.toBase58());
    const keys = recipients.map((_, i) => `bench:${runId}:${i}`);

    // Sequential first: the latency of one payout with nothing else running.
    const sequentialCount = Math.min(50, PAYOUTS);
    const seqStart = Date.now();
    const seqDone = await pool(sequentialCount, 1, seqStart + TIME_LIMIT_MS, async (i) => {
      await createPayout(em(), {
        key: `${keys[i]}:seq`,
        kind: 'claim',
        recipient: recipients[i]!,
        currency: CURRENCY,
        amountBaseUnits: amount,
      });
      await sendPayout(em(), deps, `${keys[i]}:seq`, { pollMs: 50 });
    });
    const seqMs = Date.now() - seqStart;
    console.log(
      `sequential: ${seqDone} ${CURRENCY} payouts in ${seqMs} ms = ${((seqDone * 1000) / seqMs).toFixed(1)}/s (${(seqMs / seqDone).toFixed(1)} ms each)`,
    );

    const latencies: number[] = [];
    const start = Date.now();
    const done = await pool(PAYOUTS, CONCURRENCY, start + TIME_LIMIT_MS, async (i) => {
      const t = Date.now();
      await createPayout(em(), {
        key: keys[i]!,
        kind: 'claim',
        recipient: recipients[i]!,
        currency: CURRENCY,
        amountBaseUnits: amount,
      });
      await sendPayout(em(), deps, keys[i]!, { pollMs: 50 });
      latencies.push(Date.now() - t);
    });
    const ms = Date.now() - start;
    latencies.sort((a, b) => a - b);
    console.log(
      `concurrent (${CONCURRENCY} in flight): ${done} ${CURRENCY} payouts in ${ms} ms = ${((done * 1000) / ms).toFixed(1)}/s; ` +
        `latency p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1) ?? 0} ms`,
    );

    // Re-sending every finished key must move nothing: a pass over the same keys.
    const againStart = Date.now();
    await pool(done, CONCURRENCY, againStart + TIME_LIMIT_MS, async (i) => {
      await sendPayout(em(), deps, keys[i]!);
    });
    console.log(`repeat sendPayout of ${done} confirmed keys (no-ops): ${Date.now() - againStart} ms`);

    // Paid exactly once: every recipient holds exactly the amount.
    const sample = recipients.slice(0, Math.min(done, 100));
    let wrong = 0;
    for (const recipient of sample) {
      const owner = new PublicKey(recipient);
      const held =
        CURRENCY === 'SOL'
          ? BigInt(await deps.connection.getBalance(owner, 'confirmed'))
          : BigInt(
              (
                await deps.connection.getTokenAccountBalance(
                  getAssociatedTokenAddressSync(new PublicKey(deps.usdcMint), owner),
                )
              ).value.amount,
            );
      // sequential payouts went to the same first 50 recipients
      const expected = amount * (recipients.indexOf(recipient) < sequentialCount ? 2n : 1n);
      if (held !== expected) wrong += 1;
    }
    console.log(`balances checked on chain: ${sample.length} recipients, ${wrong} wrong`);
  } finally {
    await orm.close();
    await dropDatabase(databaseUrl);
    await chain.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
