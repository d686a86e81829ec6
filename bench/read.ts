/**
 * Read path under load: `GET /api/v1/lottery/rounds/current` and `GET /api/v1/lottery/tickets/:wallet`
 * (signed in, a wallet holding 100 tickets) through the whole API stack (rate limit in Redis,
 * JWT + revocation check, PostgreSQL), beside a bare `node:http` server answering the same
 * bytes, in the same run, and `/healthz` beside bare Express 5 (no middleware) answering the
 * same body. autocannon runs as a separate process so the load generator does not share the
 * server's event loop. Prints req/s, p50/p99, the ratios and the bench process's peak RSS.
 * Targets: `/healthz` ≥ 0.6× bare Express; `rounds/current` ≥ 0.8× `/healthz`;
 * `tickets/:wallet` (100 tickets) ≥ 0.3× `/healthz`; p99 ≤ 20 ms.
 * With `--cpu-prof <dir>`, each of our routes' load phases is CPU-profiled in this process (the
 * API's): `<dir>/<route>.cpuprofile`, and its top self-time entries printed below its figures.
 * Run: npx tsx bench/read.ts [--seconds 10] [--connections 32] [--cpu-prof <dir>]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import express from 'express';
import { profiled } from './support/cpu-profile';
import { signerOf, startBenchSystem } from './support/system';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PROFILE_DIR = values['cpu-prof'];
const PRICE = 10_000_000n;
const AUTOCANNON = path.resolve(__dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** autocannon in its own process against `url`; its JSON result. */
function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const args = [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(SECONDS)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

interface Served {
  url: string;
  close(): Promise<void>;
}

/** `handler` listening on a free loopback port. */
async function serve(handler: http.RequestListener): Promise<Served> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A bare node:http server answering `body` as JSON to every request. */
const bareServer = (body: string): Promise<Served> =>
  serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });

/** Bare Express 5: no middleware, one route answering `body` as JSON. */
function bareExpress(body: unknown): Promise<Served> {
  const app = express();
  app.get('/', (_req, res) => {
    res.json(body);
  });
  return serve(app);
}

/** `load(url, headers)`, CPU-profiled as `name` (its top entries printed) when --cpu-prof is given. */
async function loadOurs(name: string, url: string, headers: Record<string, string> = {}): Promise<Load> {
  if (!PROFILE_DIR) return load(url, headers);
  const { result, top } = await profiled(PROFILE_DIR, name.replace(/[^A-Za-z0-9]+/g, '_'), () =>
    load(url, headers),
  );
  console.log(`  CPU profile of ${name} (self time, API process):\n    ${top.join('\n    ')}`);
  return result;
}

/** `l`'s figures, and its ratio to `base` against the target when given. */
const line = (name: string, l: Load, base?: { load: Load; target: number; of: string }) =>
  `${name.padEnd(34)} ${l.rps.toFixed(0).padStart(6)} req/s  p50 ${l.p50} ms  p99 ${l.p99} ms` +
  `  non-2xx ${l.non2xx}  errors ${l.errors}` +
  (base ? `  ${(l.rps / base.load.rps).toFixed(2)}× ${base.of} (target ≥ ${base.target}, p99 ≤ 20 ms)` : '');

async function main(): Promise<void> {
  const system = await startBenchSystem('read', { PURCHASE_WAIT: '60s' });
  try {
    // Setup: a round, and a wallet holding 100 tickets from 20 verified purchases.
    const adminToken = await system.signIn(system.admin);
    const round = await system.post(
      '/admin/lottery/rounds',
      {
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 3_600_000).toISOString(),
        ticketPriceLamports: PRICE.toString(),
        ticketPriceUsdc: '1000000',
      },
      adminToken,
    );
    if (round.status !== 201) throw new Error(`round: ${JSON.stringify(round.body)}`);
    const buyer = Keypair.generate();
    await system.airdrop(buyer.publicKey.toBase58(), 100n * BigInt(LAMPORTS_PER_SOL));
    const token = await system.signIn(signerOf(buyer));
    for (let i = 0; i < 20; i++) {
      const tx = new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: buyer.publicKey,
          toPubkey: system.treasury.publicKey,
          lamports: 5n * PRICE + BigInt(i),
        }),
      );
      const signature = await sendAndConfirmTransaction(system.connection, tx, [buyer]);
      const bought = await system.post(
        '/lottery/purchase',
        {
          walletAddress: buyer.publicKey.toBase58(),
          ticketCount: 5,
          paymentMethod: 'SOL',
          transactionSignature: signature,
          roundId: round.body.id,
        },
        token,
      );
      if (bought.status !== 200) throw new Error(`purchase: ${JSON.stringify(bought.body)}`);
    }

    const api = system.apiUrl;
    const current = await fetch(`${api}/lottery/rounds/current`);
    const currentBody = await current.text();
    const tickets = await fetch(`${api}/lottery/tickets/${buyer.publicKey.toBase58()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const ticketsBody = await tickets.text();
    console.log(
      `bodies: rounds/current ${currentBody.length} B, tickets/:wallet ${ticketsBody.length} B; ` +
        `${CONNECTIONS} connections, ${SECONDS} s each`,
    );

    // The framework's own floor: bare Express, then our middleware (request id, log, metrics,
    // helmet) in front of a route that does no work.
    const healthzUrl = `${new URL(api).origin}/healthz`;
    const healthzBody = (await (await fetch(healthzUrl)).json()) as unknown;
    const express5 = await bareExpress(healthzBody);
    let bareExpressLoad: Load;
    try {
      bareExpressLoad = await load(express5.url);
    } finally {
      await express5.close();
    }
    console.log(line('bare Express 5 (no middleware)', bareExpressLoad));
    const healthz = await loadOurs('GET /healthz', healthzUrl);
    console.log(
      line('GET /healthz (middleware only)', healthz, {
        load: bareExpressLoad,
        target: 0.6,
        of: 'bare Express',
      }),
    );

    for (const [name, url, body, headers, target] of [
      ['GET /lottery/rounds/current', `${api}/lottery/rounds/current`, currentBody, {}, 0.8],
      [
        'GET /lottery/tickets/:wallet',
        `${api}/lottery/tickets/${buyer.publicKey.toBase58()}`,
        ticketsBody,
        { authorization: `Bearer ${token}` },
        0.3,
      ],
    ] as const) {
      const bare = await bareServer(body);
      try {
        const bareLoad = await load(bare.url);
        console.log(line(`bare node:http (same ${body.length} B)`, bareLoad));
        const routeLoad = await loadOurs(name, url, headers);
        console.log(line(name, routeLoad, { load: healthz, target, of: '/healthz' }));
        console.log(
          `${''.padEnd(34)} ${(routeLoad.rps / bareLoad.rps).toFixed(2)}× bare node:http with the same bytes`,
        );
      } finally {
        await bare.close();
      }
    }
    // API and worker share this process in the bench (targets: API ≤ 150 MB, worker ≤ 300 MB).
    console.log(
      `peak RSS of the bench process (API + worker + load setup): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  } finally {
    await system.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
