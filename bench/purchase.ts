/**
 * Verified purchases end to end: HTTP `POST /api/v1/lottery/purchase` → workflow
 * `ticket-purchase:{sig}` on real worker processes → verification against the local chain →
 * tickets in PostgreSQL. Three figures per Temporal:
 *  - closed loop: purchases per second at `--concurrency` in flight, beside the same-run ceiling
 *    of this Temporal server (a trivial workflow with one activity, started and completed per second);
 *  - open loop: purchases offered at a fixed rate (each of `--rates` for `--duration` seconds, a
 *    mint-day surge), with p50/p95/p99 submit-to-tickets latency and how many were answered 200
 *    within PURCHASE_WAIT (the rest 202, then decided through their status URL);
 *  - the API processes' and workers' peak RSS (VmHWM) and CPU time per purchase decided (user +
 *    system from /proc/<pid>/stat over the closed and open loops).
 * Then it checks the round's ticket numbers: 1..N, no gap, no duplicate.
 * Run: npx tsx bench/purchase.ts [--purchases 400] [--wallets 40] [--concurrency 64]
 *        [--rates 10,20] [--duration 60] [--purchase-wait 20s]
 *        [--temporal dev|cluster|both] [--workers 1] [--apis 1] [--runtime compiled|tsx|both]
 *        [--cpu-prof <dir>]
 * `--runtime compiled` (the default) runs the API and workers from dist/ with production's memory
 * settings, as `npm start` and the image do (built first when stale); `tsx` from the sources;
 * `both`: compiled, then tsx, each on a system of its own.
 * `--temporal cluster` is the real server on PostgreSQL with 8 history shards
 * (scripts/lib/temporal-cluster.js; `both`: the dev server, then the cluster, side by side).
 * `--workers N --apis N` run that many worker and API processes, as `npm start` does.
 * `--cpu-prof <dir>` runs the API and worker under `node --cpu-prof` (`<dir>/<temporal>-<runtime>/`)
 * and prints each one's busiest packages and functions after the run.
 * Needs PostgreSQL and Redis at their configured URLs; starts its own Temporal, database
 * (dropped after) and local chain (bench/support/system.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import {
  percentile,
  pool,
  signerOf,
  startBenchSystem,
  type ApiAnswer,
  type BenchRuntime,
  type BenchSystem,
  type SharedCpu,
  type TemporalKind,
} from './support/system';
import { printProcessProfiles } from './support/cpu-profile';

const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '400' },
    wallets: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '64' },
    rates: { type: 'string', default: '10,20' },
    duration: { type: 'string', default: '60' },
    'purchase-wait': { type: 'string', default: '20s' },
    temporal: { type: 'string', default: 'dev' },
    workers: { type: 'string', default: '1' },
    apis: { type: 'string', default: '1' },
    runtime: { type: 'string', default: 'compiled' },
    'cpu-prof': { type: 'string' },
  },
});
const positive = (name: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: a whole number, not "${raw}"`);
  return n;
};
const PURCHASES = positive('purchases', values.purchases);
const WALLETS = Math.max(1, positive('wallets', values.wallets));
const CONCURRENCY = Math.max(1, positive('concurrency', values.concurrency));
const RATES = values.rates ? values.rates.split(',').map((r) => positive('rates', r.trim())) : [];
const DURATION_S = positive('duration', values.duration);
const PROCESSES = {
  workers: Math.max(1, positive('workers', values.workers)),
  apis: Math.max(1, positive('apis', values.apis)),
};
if (!['dev', 'cluster', 'both'].includes(values.temporal))
  throw new Error('--temporal: dev, cluster or both');
const KINDS: TemporalKind[] =
  values.temporal === 'both' ? ['dev', 'cluster'] : values.temporal === 'cluster' ? ['cluster'] : ['dev'];
if (!['compiled', 'tsx', 'both'].includes(values.runtime))
  throw new Error('--runtime: compiled, tsx or both');
const RUNTIMES: BenchRuntime[] =
  values.runtime === 'both' ? ['compiled', 'tsx'] : [values.runtime as BenchRuntime];
const PROFILE_DIR = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
const PRICE = 10_000_000n;
const TARGETS = { ratio: 1.0, p99Ms: 1_000, apiRssMb: 150, workerRssMb: 300 };

interface Payment {
  wallet: Keypair;
  token: string;
  signature: string;
  count: number;
}

/** One purchase's outcome: how it was first answered and how long until its tickets were known. */
interface Outcome {
  firstStatus: number;
  ms: number;
  decided: boolean;
}

async function main(): Promise<void> {
  console.log(
    `purchases: closed loop ${PURCHASES} at ${CONCURRENCY} in flight; open loop ${RATES.join(', ') || 'none'}/s ` +
      `for ${DURATION_S} s each; ${PROCESSES.workers} worker(s), ${PROCESSES.apis} API process(es); ` +
      `PURCHASE_WAIT ${values['purchase-wait']}`,
  );
  for (const kind of KINDS) {
    for (const runtime of RUNTIMES) {
      console.log(
        `--- Temporal: ${kind === 'dev' ? 'dev server (SQLite, 1 shard)' : 'cluster (PostgreSQL, 8 shards)'}; ` +
          `API and workers: ${runtime === 'compiled' ? 'compiled (dist/, production memory settings)' : 'tsx'}`,
      );
      await measure(kind, runtime);
    }
  }
}

async function measure(kind: TemporalKind, runtime: BenchRuntime): Promise<void> {
  const profileDir = PROFILE_DIR && path.join(PROFILE_DIR, `${kind}-${runtime}`);
  const system = await startBenchSystem('purchase', { PURCHASE_WAIT: values['purchase-wait'] }, kind, {
    ...PROCESSES,
    runtime,
    cpuProfileDir: profileDir,
  });
  try {
    const ceiling = await system.ceiling(Math.max(PURCHASES, 100), CONCURRENCY);
    const roundId = await createRound(system);
    const openCounts = RATES.map((rate) => rate * DURATION_S);
    const payments = await preparePayments(system, PURCHASES + openCounts.reduce((s, n) => s + n, 0));
    const submit = purchaser(system, roundId);

    // Closed loop: CONCURRENCY in flight until every purchase's tickets are known.
    const closed = payments.slice(0, PURCHASES);
    const closedOutcomes: Outcome[] = [];
    const cpu0 = system.cpuMs();
    const shared0 = system.sharedCpuMs();
    const c0 = performance.now();
    await pool(closed, CONCURRENCY, async (p) => {
      closedOutcomes.push(await submit(p));
    });
    const seconds = (performance.now() - c0) / 1000;
    const closedCpu = { own: system.cpuMs(), shared: system.sharedCpuMs() };
    const decided = closedOutcomes.filter((o) => o.decided).length;
    const rate = decided / seconds;
    console.log(`Temporal ceiling (1 workflow + 1 activity): ${ceiling.toFixed(1)}/s`);
    console.log(
      `closed loop: ${decided} of ${closed.length} decided in ${seconds.toFixed(2)} s = ${rate.toFixed(1)}/s ` +
        `(${latencies(closedOutcomes)}; ${answered(closedOutcomes)})`,
    );
    console.log(
      `  ratio purchases/ceiling: ${(rate / ceiling).toFixed(2)} (target ≥ ${TARGETS.ratio.toFixed(1)}) ${mark(rate / ceiling >= TARGETS.ratio)}`,
    );
    console.log(`  ${cpuBreakdown({ own: cpu0, shared: shared0 }, closedCpu, decided, seconds)}`);

    // Open loop: purchases offered at a fixed rate, whatever the answers' latency.
    let offset = PURCHASES;
    let purchasesDecided = decided;
    for (const [i, perSecond] of RATES.entries()) {
      const offered = payments.slice(offset, offset + (openCounts[i] as number));
      offset += offered.length;
      const outcomes = await openLoop(offered, perSecond, submit);
      purchasesDecided += outcomes.filter((o) => o.decided).length;
      const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
      const all200 = outcomes.every((o) => o.firstStatus === 200);
      console.log(
        `open loop ${perSecond}/s × ${DURATION_S} s: ${outcomes.filter((o) => o.decided).length} of ${offered.length} decided ` +
          `(${latencies(outcomes)}; ${answered(outcomes)})`,
      );
      if (perSecond === 20)
        console.log(
          `  target: p99 ≤ ${TARGETS.p99Ms} ms and every one 200: ${mark(percentile(sorted, 99) <= TARGETS.p99Ms && all200)}`,
        );
    }

    const cpu1 = system.cpuMs();
    const perPurchase = (at0: number[], at1: number[]) =>
      at1
        .map((ms, i) => `${((ms - (at0[i] ?? 0)) / Math.max(1, purchasesDecided)).toFixed(1)} ms`)
        .join(', ');
    console.log(
      `CPU per purchase (${runtime}, ${purchasesDecided} decided): API ${perPurchase(cpu0.apis, cpu1.apis)}; ` +
        `worker ${perPurchase(cpu0.workers, cpu1.workers)}`,
    );
    const rss = system.peakRssMb();
    const mb = (xs: number[]) => xs.map((x) => `${x.toFixed(0)} MB`).join(', ');
    console.log(
      `peak RSS (${runtime}): API ${mb(rss.apis)} (target ≤ ${TARGETS.apiRssMb} MB) ${mark(rss.apis.every((x) => x <= TARGETS.apiRssMb))}; ` +
        `worker ${mb(rss.workers)} (target ≤ ${TARGETS.workerRssMb} MB) ${mark(rss.workers.every((x) => x <= TARGETS.workerRssMb))}`,
    );
    await reportTickets(system, roundId, payments);
  } finally {
    await system.close();
  }
  // The children wrote their profiles as they exited (system.close).
  if (profileDir) printProcessProfiles(profileDir, ['api-0', 'worker-0']);
}

const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');

type CpuReading = { own: ReturnType<BenchSystem['cpuMs']>; shared: SharedCpu };

/** Where the cores went between two readings: CPU ms per purchase of each process, and how busy the machine was. */
function cpuBreakdown(at0: CpuReading, at1: CpuReading, purchases: number, seconds: number): string {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const shared = Object.fromEntries(
    Object.entries(at1.shared).map(([k, v]) => [k, v - at0.shared[k as keyof SharedCpu]]),
  ) as unknown as SharedCpu;
  const named = {
    API: sum(at1.own.apis) - sum(at0.own.apis),
    worker: sum(at1.own.workers) - sum(at0.own.workers),
    'local chain': at1.own.chain - at0.own.chain,
    'Temporal server': at1.own.temporal - at0.own.temporal,
    PostgreSQL: shared.postgres,
    Redis: shared.redis,
    'bench process': shared.bench,
  };
  const rest = shared.machine - sum(Object.values(named));
  const per = (ms: number) => (ms / Math.max(1, purchases)).toFixed(1);
  const cores = os.cpus().length;
  return (
    `CPU ms per purchase: ${Object.entries(named)
      .map(([k, v]) => `${k} ${per(v)}`)
      .join(', ')}, the rest ${per(rest)}; ` +
    `machine ${(shared.machine / seconds / 10 / cores).toFixed(0)}% busy (${cores} cores)`
  );
}

function latencies(outcomes: Outcome[]): string {
  const sorted = outcomes.filter((o) => o.decided).map((o) => o.ms);
  sorted.sort((a, b) => a - b);
  return [50, 95, 99].map((p) => `p${p} ${percentile(sorted, p).toFixed(0)} ms`).join(', ');
}

function answered(outcomes: Outcome[]): string {
  const count = (status: number) => outcomes.filter((o) => o.firstStatus === status).length;
  const other = outcomes.length - count(200) - count(202);
  return `answered 200 within PURCHASE_WAIT: ${count(200)}, 202: ${count(202)}, other: ${other}`;
}

/** Offers `payments` at `perSecond`, each at its scheduled time; resolves once all are decided. */
async function openLoop(
  payments: Payment[],
  perSecond: number,
  submit: (p: Payment) => Promise<Outcome>,
): Promise<Outcome[]> {
  const start = performance.now();
  const pending: Promise<Outcome>[] = [];
  for (const [i, p] of payments.entries()) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(submit(p));
  }
  return Promise.all(pending);
}

/** Submits a purchase; a 202 is followed through its status URL until its tickets are known. */
function purchaser(system: BenchSystem, roundId: string) {
  return async (p: Payment): Promise<Outcome> => {
    const t = performance.now();
    const res = await system.post(
      '/lottery/purchase',
      {
        walletAddress: p.wallet.publicKey.toBase58(),
        ticketCount: p.count,
        paymentMethod: 'SOL',
        transactionSignature: p.signature,
        roundId,
      },
      p.token,
    );
    let decided = res.status === 200;
    if (res.status === 202) decided = await untilAccepted(system, res, p.token);
    return { firstStatus: res.status, ms: performance.now() - t, decided };
  };
}

async function untilAccepted(system: BenchSystem, res: ApiAnswer, token: string): Promise<boolean> {
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const status = await system.getPath(res.body.statusUrl as string, token);
    if (status.status === 200 && status.body.status !== 'pending') return status.body.status === 'accepted';
    if (status.status !== 200 && status.status !== 404) return false;
    await new Promise((r) => setTimeout(r, wait));
  }
}

async function createRound(system: BenchSystem): Promise<string> {
  const adminToken = await system.signIn(system.admin);
  const round = await system.post(
    '/admin/lottery/rounds',
    {
      prizePool: 1,
      startDate: new Date(Date.now() - 60_000).toISOString(),
      endDate: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      ticketPriceLamports: PRICE.toString(),
      ticketPriceUsdc: '1000000',
    },
    adminToken,
  );
  if (round.status !== 201) throw new Error(`round not created: ${JSON.stringify(round.body)}`);
  return round.body.id as string;
}

/** Setup (not timed): funded, signed-in wallets and `total` confirmed payments from them. */
async function preparePayments(system: BenchSystem, total: number): Promise<Payment[]> {
  const wallets = Array.from({ length: WALLETS }, () => Keypair.generate());
  const perWallet = Math.ceil(total / WALLETS);
  for (const w of wallets) await system.airdrop(w.publicKey.toBase58(), 100n * BigInt(LAMPORTS_PER_SOL));
  const tokens = new Map<Keypair, string>();
  for (const w of wallets) tokens.set(w, await system.signIn(signerOf(w)));
  const payments: Payment[] = [];
  let reserved = 0; // counted before each await, so the lanes make exactly `total`
  const p0 = performance.now();
  await pool(wallets, WALLETS, async (w) => {
    for (let i = 0; i < perWallet && reserved < total; i++) {
      reserved++;
      const count = 1 + (i % 3);
      const tx = new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: w.publicKey,
          toPubkey: system.treasury.publicKey,
          lamports: BigInt(count) * PRICE + BigInt(i),
        }),
      );
      const signature = await sendAndConfirmTransaction(system.connection, tx, [w]);
      payments.push({ wallet: w, token: tokens.get(w) as string, signature, count });
    }
  });
  console.log(
    `setup: ${payments.length} payments on the local chain in ${((performance.now() - p0) / 1000).toFixed(0)} s`,
  );
  // Interleave wallets so each phase spreads over all of them.
  return payments.sort((a, b) => a.signature.localeCompare(b.signature));
}

async function reportTickets(system: BenchSystem, roundId: string, payments: Payment[]): Promise<void> {
  const rows = await system.resources.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>(
      'select ticket_number n from lottery_tickets where lottery_round = ? order by ticket_number',
      [roundId],
    );
  const numbers = rows.map((r) => Number(r.n));
  const expected = payments.reduce((s, p) => s + p.count, 0);
  const distinct = new Set(numbers);
  const duplicates = numbers.length - distinct.size;
  const max = numbers.at(-1) ?? 0;
  const gaps = max - distinct.size;
  console.log(
    `tickets: ${numbers.length} of ${expected} expected; duplicates ${duplicates}, gaps ${gaps} ` +
      `(numbers 1..N without gap or duplicate: ${duplicates === 0 && gaps === 0 && numbers.length === expected ? 'yes' : 'NO'})`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
