/**
 * Freeze + digest + beacon-independent draw of a large round through the real activities
 * (activities/lottery.ts): `freezeTicketSet` (row lock, stream tickets 1..N in number order
 * from PostgreSQL, SHA-256 digest) and `drawLotteryWinner` (seed from the database, HMAC draw,
 * winner written). Target: ≤ 2 s for 1,000,000 tickets. Then serves the public proof of that
 * round through the real route (`GET /lottery/rounds/:id/proof`, streamed in pages) and checks
 * it recomputes to the same winner.
 * Run: npx tsx bench/draw.ts [--tickets 1000000]
 * Needs PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432); uses a database of its own
 * (created, migrated, dropped) and an in-process local chain for the freeze slot and beacon.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Keypair } from '@solana/web3.js';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { Redis } from 'ioredis';
import type { Client } from '@temporalio/client';
import { createLotteryActivities } from '../activities/lottery';
import { API_BASE } from '../src/api/app';
import { createRegistry } from '../src/api/openapi';
import { unused } from '../src/api/openapi-document';
import { lotteryRoutes } from '../src/api/routes/lottery';
import { checkDrawProof } from '../src/cli/verify-draw';
import type { DrawProof } from '../src/domain/lottery/fair-draw';
import { createChainDeps } from '../src/chain/deps';
import { startLocalChain } from '../src/chain/local';
import { loadConfig } from '../src/config';
import { dropDatabase, ensureDatabase, migrateUp, openOrm } from '../src/db/orm';
import { createLogger } from '../src/logger';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '1000000' } } });
const TICKETS = Number(values.tickets);

async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/sr_bench_${crypto.randomBytes(4).toString('hex')}`;
  const databaseUrl = base.toString();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-draw-'));
  const chain = await startLocalChain({ port: 0 });
  await ensureDatabase(databaseUrl);
  const orm = await openOrm({ url: databaseUrl, poolMax: 5 });
  try {
    await migrateUp(orm);
    const config = loadConfig({
      JWT_SECRET: 'bench-does-not-sign-tokens-placeholder',
      RPC_URL: chain.url,
      DATA_DIR: tmp,
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger('silent');
    // Never connected: this bench issues no tickets through the activities, and its routes use no Redis.
    const redis = new Redis({ lazyConnect: true });
    const activities = createLotteryActivities({
      config,
      logger,
      orm,
      redis,
      chain: createChainDeps(config),
    });
    const roundId = `bench-${crypto.randomBytes(3).toString('hex')}`;
    const now = Date.now();
    await activities.createLotteryRound({
      roundId,
      prizePoolLamports: '1000000000',
      startDate: new Date(now - 3_600_000).toISOString(),
      endDate: new Date(now - 60_000).toISOString(),
      drawingDate: null,
      ticketPriceLamports: '10000000',
      ticketPriceUsdc: '1000000',
      ticketsPerBurn: 1,
      createdBy: null,
      timing: { gracePeriodMs: 0, pendingPollMs: 0, prizeWindowMs: 0 },
    });

    // Setup (not timed): N tickets from 1,000 wallets on one receipt per 1,000 tickets.
    const setupStart = Date.now();
    const wallets = Array.from({ length: 1000 }, () => Keypair.generate().publicKey.toBase58());
    const signature = () =>
      Keypair.generate().publicKey.toBase58() + Keypair.generate().publicKey.toBase58().slice(0, 43);
    const em = orm.em.fork() as EntityManager;
    const conn = em.getConnection();
    const receipts = Array.from({ length: Math.ceil(TICKETS / 1000) }, signature);
    // As PostgreSQL array literals (a JS array would be expanded into a list by the driver).
    const pgArray = (items: string[]) => `{${items.join(',')}}`;
    await conn.execute(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, status)
       select s, 'purchase', ?, ?, 'accepted' from unnest(?::text[]) s`,
      [roundId, wallets[0], pgArray(receipts)],
    );
    await conn.execute(
      `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
         transaction_signature, amount_paid_base_units)
       select (?::text[])[1 + (n % 1000)], n, ?, 'purchase', 'SOL', (?::text[])[1 + ((n - 1) / 1000)], 10000000
         from generate_series(1, ?) n`,
      [pgArray(wallets), roundId, pgArray(receipts), TICKETS],
    );
    await conn.execute('update lottery_rounds set total_tickets_sold = ? where id = ?', [TICKETS, roundId]);
    await conn.execute('analyze lottery_tickets');
    console.log(`setup: ${TICKETS} tickets in ${Date.now() - setupStart} ms (not timed)`);

    const t0 = performance.now();
    const frozen = await activities.freezeTicketSet(roundId);
    const t1 = performance.now();
    chain.warpSlots(40); // finalize past the freeze slot (the beacon wait is chain time, not ours)
    const beacon = await activities.takeDrawBeacon(roundId, frozen.freezeSlot);
    const t2 = performance.now();
    const draw = await activities.drawLotteryWinner(roundId);
    const t3 = performance.now();
    const computeMs = t1 - t0 + (t3 - t2);
    console.log(
      `freeze + digest of ${frozen.frozenTicketCount} tickets: ${(t1 - t0).toFixed(0)} ms (digest ${frozen.ticketDigest})`,
    );
    console.log(`beacon (slot ${beacon.slot}): ${(t2 - t1).toFixed(0)} ms`);
    console.log(
      `draw: ${(t3 - t2).toFixed(0)} ms → winner index ${draw.winnerIndex}, ticket ${draw.winnerTicket}`,
    );
    console.log(
      `freeze + digest + draw: ${computeMs.toFixed(0)} ms (target ≤ 2000 ms) ${computeMs <= 2000 ? 'OK' : 'OVER'}`,
    );

    // The public proof of the round, through the lottery routes on a bare app (no Redis or Temporal used).
    const router = Router();
    lotteryRoutes({
      deps: {
        config,
        logger,
        orm,
        redis,
        temporal: unused<Client>('temporal'),
        probes: {},
      },
      registry: createRegistry(),
      router,
      basePath: API_BASE,
    });
    const server = express().use(API_BASE, router).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_BASE}/lottery/rounds/${roundId}/proof`;
      const p0 = performance.now();
      const res = await fetch(url);
      const body = await res.text();
      const p1 = performance.now();
      const verdict = checkDrawProof(JSON.parse(body) as DrawProof).verdict;
      console.log(
        `proof: ${(body.length / 1e6).toFixed(1)} MB served in ${(p1 - p0).toFixed(0)} ms (status ${res.status}, ` +
          `${frozen.frozenTicketCount} tickets); recomputes: ${verdict}`,
      );
    } finally {
      server.close();
    }
  } finally {
    await orm.close();
    await dropDatabase(databaseUrl);
    await chain.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
