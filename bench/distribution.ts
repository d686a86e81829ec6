/**
 * Revenue Pass at scale, end to end through the API and the real worker on the local chain:
 *  1. snapshot + compute: `POST /admin/revenue/distributions` → `revenue-distribution:{month}`
 *     resolves the owner of every listed pass at one slot and splits the month → awaiting
 *     approval (target ≤ 30 s for 10,000 passes);
 *  2. claims, from approval to every holder paid: once the claims open every holder calls
 *     `POST /revenue-pass/claims` for all its passes (`concurrency` at a time) → one
 *     `revenue-wallet-claim` run per holder paying all its passes in ONE payout through the
 *     exactly-once path, checked against the holders' balances on the chain. Prints holders
 *     paid and passes settled per second against this Temporal server's ceiling (a trivial
 *     workflow + one activity, as many as there are holders) measured in the same run, the
 *     fees the payer paid per holder (lamports, read from the chain), the whole month in
 *     minutes, the CPU time the API and the worker spent per holder paid (/proc, claims phase)
 *     and their peak RSS (each its own process, as `npm start` runs them). Targets beside each.
 *  3. where a claim's time goes: per holder, from its POST to the run started, its claim rows
 *     recorded, the payout activity started, the payout signed + stored, sent, confirmed, the
 *     claims marked paid, the run completed and the POST answered (median and p90 of each step,
 *     from the rows' timestamps, the worker's payout log lines and the run's history), and the
 *     workflow tasks each run took.
 * With `--cpu-prof <dir>` the API and worker processes run under `node --cpu-prof` (whole
 * process life: the snapshot too) and their top self time by function and package is printed.
 * Run: npx tsx bench/distribution.ts [--passes 10000] [--holders 1000] [--concurrency 64]
 *        [--cpu-prof <dir>]
 * Needs PostgreSQL and Redis; starts its own Temporal dev server, database and local chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Keypair, LAMPORTS_PER_SOL } from '@solana/web3.js';
import { tsToMs } from '@temporalio/common/lib/time';
import { mintNfts } from '../src/chain/dev-tools';
import { sql } from '../src/db/sql';
import { claimBatchOf } from '../src/domain/revenue/vocabulary';
import { workflowIds } from '../src/temporal/workflow-ids';
import { distributionStatusQuery, type DistributionState } from '../workflows/revenue.api';
import { printProcessProfiles } from './support/cpu-profile';
import { percentile, pool, signerOf, startBenchSystem, type BenchSystem } from './support/system';

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '10000' },
    holders: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    'cpu-prof': { type: 'string' },
  },
});
const PROFILE_DIR = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
const PASSES = Number(values.passes);
const HOLDERS = Number(values.holders);
const CONCURRENCY = Number(values.concurrency);
const MONTH = '2026-10';
const REVENUE = 1_000n * BigInt(LAMPORTS_PER_SOL) + 7n; // 1,000 SOL and 7 lamports of dust
const IMPORT_BATCH = 10_000;
const TARGETS = { ratio: 1.0, monthMinutes: 5, apiRssMb: 150, workerRssMb: 300 };
/** Runs whose history the breakdown reads (the rest of the step times come from two queries). */
const HISTORY_SAMPLE = 200;

/** One holder's claim as the bench saw it: when its POST went out and was answered (epoch ms). */
interface ClaimTiming {
  wallet: string;
  mints: string[];
  postedAt: number;
  answeredAt: number;
}

/** The steps of one claim, in order, each an epoch ms (NaN where unknown). */
const STEPS = [
  'run started',
  'claim rows recorded',
  'payout activity started',
  'payout signed + stored',
  'payout sent',
  'payout confirmed',
  'claims marked paid',
  'run completed',
  'POST answered',
] as const;
type Step = (typeof STEPS)[number];

/** The worker's `payout transaction signed and stored` / `sent` lines: key → epoch ms of the first. */
function payoutLogTimes(logFiles: string[]): { signed: Map<string, number>; sent: Map<string, number> } {
  const signed = new Map<string, number>();
  const sent = new Map<string, number>();
  for (const file of logFiles) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"payout transaction')) continue;
      const entry = JSON.parse(line) as { msg: string; payout: string; time: number };
      const into = entry.msg === 'payout transaction sent' ? sent : signed;
      if (!into.has(entry.payout)) into.set(entry.payout, entry.time);
    }
  }
  return { signed, sent };
}

/** Per-claim step times: rows (claims, payouts), worker log lines, and a sample of run histories. */
async function claimBreakdown(system: BenchSystem, timings: ClaimTiming[]): Promise<string[]> {
  const em = system.resources.orm.em.fork() as EntityManager;
  const rows = await sql<{ wallet: string; key: string; recorded: Date; paid: Date; confirmed: Date }>(
    em,
    `select c.wallet_address as wallet, c.payout_key as key, min(c.claimed_at) as recorded,
            max(c.paid_at) as paid, max(p.confirmed_at) as confirmed
       from revenue_claims c join payouts p on p.key = c.payout_key group by c.wallet_address, c.payout_key`,
  );
  const byWallet = new Map(rows.map((r) => [r.wallet, r]));
  const logs = payoutLogTimes(system.logFiles().workers);
  const steps: ({ posted: number } & Record<Step, number>)[] = [];
  const workflowTasks: number[] = [];
  await pool(timings.slice(0, HISTORY_SAMPLE), 8, async (t) => {
    const row = byWallet.get(t.wallet);
    if (!row) return;
    const handle = system.resources.temporal.workflow.getHandle(
      workflowIds.revenueWalletClaim(MONTH, t.wallet, claimBatchOf(t.mints)),
    );
    const events = (await handle.fetchHistory()).events ?? [];
    const at = (pick: (e: (typeof events)[number]) => unknown) => {
      const e = events.find((x) => pick(x));
      return e ? tsToMs(e.eventTime) : NaN;
    };
    workflowTasks.push(events.filter((e) => e.workflowTaskCompletedEventAttributes).length);
    steps.push({
      'run started': at((e) => e.workflowExecutionStartedEventAttributes),
      'claim rows recorded': new Date(row.recorded).getTime(),
      'payout activity started': at((e) => e.activityTaskStartedEventAttributes),
      'payout signed + stored': logs.signed.get(row.key) ?? NaN,
      'payout sent': logs.sent.get(row.key) ?? NaN,
      'payout confirmed': new Date(row.confirmed).getTime(),
      'claims marked paid': new Date(row.paid).getTime(),
      'run completed': at((e) => e.workflowExecutionCompletedEventAttributes),
      'POST answered': t.answeredAt,
      posted: t.postedAt,
    });
  });
  const lines = [
    `where a claim's time goes (${steps.length} runs' histories; ms from the previous step, median / p90):`,
  ];
  // Each step from the claim's latest earlier step it has (a local payout has no activity start).
  const last = steps.map((s) => s.posted);
  let previous = 'POST';
  for (const step of STEPS) {
    const deltas = steps
      .map((s, i) => {
        const d = s[step] - last[i]!;
        if (Number.isFinite(s[step])) last[i] = s[step];
        return d;
      })
      .filter((d) => Number.isFinite(d))
      .sort((a, b) => a - b);
    const figure = deltas.length
      ? `${percentile(deltas, 50).toFixed(0).padStart(6)} / ${percentile(deltas, 90).toFixed(0).padStart(6)} ms`
      : '     — (no such step)';
    lines.push(`  ${`${previous} → ${step}`.padEnd(52)} ${figure}`);
    if (deltas.length) previous = step;
  }
  const total = steps.map((s) => s['POST answered'] - s.posted).sort((a, b) => a - b);
  lines.push(
    `  ${'POST → answered, whole claim'.padEnd(52)} ${percentile(total, 50).toFixed(0).padStart(6)} / ${percentile(total, 90).toFixed(0).padStart(6)} ms`,
  );
  const tasks = workflowTasks.sort((a, b) => a - b);
  lines.push(
    `  workflow tasks per run: median ${percentile(tasks, 50)}, max ${tasks[tasks.length - 1] ?? 0}`,
  );
  return lines;
}

async function waitFor(
  system: BenchSystem,
  ok: (s: DistributionState) => boolean,
): Promise<DistributionState> {
  const handle = system.resources.temporal.workflow.getHandle(workflowIds.revenueDistribution(MONTH));
  for (;;) {
    const state = await handle.query(distributionStatusQuery);
    if (ok(state)) return state;
    if (state.status === 'cancelled') throw new Error(`distribution cancelled: ${state.cancelReason}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const system = await startBenchSystem(
    'distribution',
    { REVENUE_SNAPSHOT_CHUNK: '2000', REVENUE_CLAIM_WAIT: '120s' },
    'dev',
    // Info: the worker's payout lines (signed + stored, sent) time the breakdown's steps.
    { apis: 1, workers: 1, logLevel: 'info', cpuProfileDir: PROFILE_DIR },
  );
  try {
    // Setup (not timed): holders, their passes on chain, the hash list imported.
    const holders = Array.from({ length: HOLDERS }, () => Keypair.generate());
    const minter = Keypair.generate();
    await system.airdrop(minter.publicKey.toBase58(), 1_000n * BigInt(LAMPORTS_PER_SOL));
    const perHolder = Math.ceil(PASSES / HOLDERS);
    const mintsOf = new Map<Keypair, string[]>();
    const m0 = performance.now();
    await pool(holders, 4, async (holder) => {
      const count = Math.max(0, Math.min(perHolder, PASSES - holders.indexOf(holder) * perHolder));
      mintsOf.set(holder, await mintNfts(system.connection, minter, holder.publicKey, count));
    });
    const allMints = holders.flatMap((h) => mintsOf.get(h) ?? []);
    console.log(
      `setup: minted ${allMints.length} passes to ${HOLDERS} holders in ${((performance.now() - m0) / 1000).toFixed(1)} s`,
    );
    const adminToken = await system.signIn(system.admin);
    for (let i = 0; i < allMints.length; i += IMPORT_BATCH) {
      const imported = await system.post(
        '/admin/revenue/passes',
        { mints: allMints.slice(i, i + IMPORT_BATCH) },
        adminToken,
      );
      if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
    }

    // 1. Snapshot + compute.
    const s0 = performance.now();
    const created = await system.post(
      '/admin/revenue/distributions',
      {
        month: MONTH,
        currency: 'SOL',
        shareBps: 10_000,
        sources: [{ name: 'Bench', amountBaseUnits: REVENUE.toString() }],
      },
      adminToken,
    );
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const ready = await waitFor(system, (s) => s.status === 'awaiting_approval');
    const snapshotSeconds = (performance.now() - s0) / 1000;
    const perPass = BigInt(ready.perPassAmountBaseUnits ?? '0');
    const reconciles =
      perPass * BigInt(ready.passCount ?? 0) + BigInt(ready.dustBaseUnits ?? '0') === REVENUE;
    console.log(
      `snapshot + compute: ${ready.passCount} passes (${ready.snapshot.holders} held at slot ${ready.snapshot.slot}) ` +
        `in ${snapshotSeconds.toFixed(2)} s (target ≤ 30 s); per pass ${perPass} lamports, dust ${ready.dustBaseUnits}; ` +
        `reconciles to the lamport: ${reconciles ? 'yes' : 'NO'}`,
    );

    // 2. Approval → claims open → every holder claims all its passes → every holder paid.
    const claimants: { holder: Keypair; mints: string[]; token: string }[] = [];
    await pool(
      holders.filter((h) => (mintsOf.get(h) ?? []).length > 0),
      16,
      async (holder) => {
        const token = await system.signIn(signerOf(holder));
        claimants.push({ holder, mints: mintsOf.get(holder) ?? [], token });
      },
    );
    const passesClaimed = claimants.reduce((n, c) => n + c.mints.length, 0);
    const balance = async (k: Keypair) =>
      BigInt(await system.connection.getBalance(k.publicKey, 'confirmed'));
    const before = await Promise.all(claimants.map((c) => balance(c.holder)));
    const signatures = new Set<string>();
    let refused = 0;
    const a0 = performance.now();
    const approved = await system.post(`/admin/revenue/distributions/${MONTH}/approve`, {}, adminToken);
    if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
    await waitFor(system, (s) => s.status === 'open');
    const timings: ClaimTiming[] = [];
    const cpu0 = system.cpuMs();
    const c0 = performance.now();
    await pool(claimants, CONCURRENCY, async (c) => {
      const postedAt = Date.now();
      const answer = await system.post('/revenue-pass/claims', { month: MONTH }, c.token);
      timings.push({
        wallet: c.holder.publicKey.toBase58(),
        mints: c.mints,
        postedAt,
        answeredAt: Date.now(),
      });
      if (answer.status !== 200) {
        refused += 1;
        return;
      }
      for (const claim of answer.body.claims as { transactionSignature?: string }[]) {
        if (claim.transactionSignature) signatures.add(claim.transactionSignature);
      }
    });
    const end = performance.now();
    const cpu1 = system.cpuMs();
    const claimSeconds = (end - c0) / 1000;
    const monthMinutes = (end - a0) / 60_000;
    const holdersRate = claimants.length / claimSeconds;
    const passesRate = passesClaimed / claimSeconds;
    const after = await Promise.all(claimants.map((c) => balance(c.holder)));
    const wrong = claimants.filter(
      (c, i) => after[i]! - before[i]! !== perPass * BigInt(c.mints.length),
    ).length;
    let fees = 0n;
    await pool([...signatures], 16, async (signature) => {
      const tx = await system.connection.getTransaction(signature, {
        commitment: 'confirmed',
        maxSupportedTransactionVersion: 0,
      });
      fees += BigInt(tx?.meta?.fee ?? 0);
    });
    const rssDuringMonth = system.peakRssMb();

    const cpu2 = system.cpuMs();
    const ceiling = await system.ceiling(claimants.length, CONCURRENCY);
    const cpu3 = system.cpuMs();
    console.log(
      `claims: ${claimants.length} holders (${passesClaimed} passes) paid in ${claimSeconds.toFixed(2)} s ` +
        `(${refused} requests not answered 200, ${signatures.size} payout transactions)`,
    );
    console.log(
      `Temporal ceiling (1 workflow + 1 activity, ${claimants.length} runs): ${ceiling.toFixed(1)}/s`,
    );
    console.log(
      `holders paid: ${holdersRate.toFixed(1)}/s = ${(holdersRate / ceiling).toFixed(2)}× ceiling ` +
        `(target ≥ ${TARGETS.ratio.toFixed(1)}×) ${mark(holdersRate / ceiling >= TARGETS.ratio)}`,
    );
    console.log(
      `passes settled: ${passesRate.toFixed(1)}/s = ${(passesRate / ceiling).toFixed(2)}× ceiling ` +
        `(${(passesClaimed / claimants.length).toFixed(1)} passes per holder)`,
    );
    console.log(
      `fees paid by the payer: ${fees} lamports over ${signatures.size} transactions = ` +
        `${signatures.size ? fees / BigInt(claimants.length) : 0n} lamports per holder, ` +
        `${passesClaimed ? (Number(fees) / passesClaimed).toFixed(0) : 0} per pass`,
    );
    console.log(
      `month of ${ready.passCount} passes, ${claimants.length} holders: approval → every holder paid in ` +
        `${monthMinutes.toFixed(2)} min (target ≤ ${TARGETS.monthMinutes} min for 10,000 passes / 1,000 holders)` +
        (PASSES >= 10_000 && HOLDERS >= 1_000 ? ` ${mark(monthMinutes <= TARGETS.monthMinutes)}` : ''),
    );
    console.log(
      `balances on chain: ${claimants.length} wallets checked, ${wrong} not paid exactly their passes' share`,
    );
    const cpuPerHolder = (at0: number[], at1: number[]) =>
      at1
        .map((ms, i) => `${((ms - (at0[i] ?? 0)) / Math.max(1, claimants.length)).toFixed(1)} ms`)
        .join(', ');
    const per = (ms: number, n: number) => `${(ms / Math.max(1, n)).toFixed(1)} ms`;
    console.log(
      `CPU per holder paid (claims phase, /proc utime+stime): API ${cpuPerHolder(cpu0.apis, cpu1.apis)}; ` +
        `worker ${cpuPerHolder(cpu0.workers, cpu1.workers)}; Temporal server ` +
        `${per(cpu1.temporal - cpu0.temporal, claimants.length)} (a ceiling run: ` +
        `${per(cpu3.temporal - cpu2.temporal, claimants.length)}); local chain ${per(cpu1.chain - cpu0.chain, claimants.length)}`,
    );
    const rssMb = (mb: number[]) => mb.map((m) => m.toFixed(0)).join(', ');
    console.log(
      `peak RSS (VmHWM, snapshot included): API ${rssMb(rssDuringMonth.apis)} MB (target ≤ ${TARGETS.apiRssMb} MB) ` +
        `${mark(Math.max(...rssDuringMonth.apis) <= TARGETS.apiRssMb)}, worker ${rssMb(rssDuringMonth.workers)} MB ` +
        `(target ≤ ${TARGETS.workerRssMb} MB) ${mark(Math.max(...rssDuringMonth.workers) <= TARGETS.workerRssMb)}`,
    );
    for (const line of await claimBreakdown(system, timings)) console.log(line);
  } finally {
    await system.close();
  }
  // The children wrote their profiles as they exited (system.close).
  if (PROFILE_DIR) printProcessProfiles(PROFILE_DIR, ['api-0', 'worker-0']);
}

const mark = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
