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
 *     minutes, and the peak RSS of the API + worker (one process here). Targets beside each.
 * Run: npx tsx bench/distribution.ts [--passes 10000] [--holders 1000] [--concurrency 64]
 * Needs PostgreSQL and Redis; starts its own Temporal dev server, database and local chain.
 */
import { parseArgs } from 'node:util';
import { Keypair, LAMPORTS_PER_SOL } from '@solana/web3.js';
import { mintNfts } from '../src/chain/dev-tools';
import { workflowIds } from '../src/temporal/workflow-ids';
import { distributionStatusQuery, type DistributionState } from '../workflows/revenue.api';
import { trackPeakRss } from './support/rss';
import { pool, signerOf, startBenchSystem, type BenchSystem } from './support/system';

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '10000' },
    holders: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
  },
});
const PASSES = Number(values.passes);
const HOLDERS = Number(values.holders);
const CONCURRENCY = Number(values.concurrency);
const MONTH = '2026-10';
const REVENUE = 1_000n * BigInt(LAMPORTS_PER_SOL) + 7n; // 1,000 SOL and 7 lamports of dust
const IMPORT_BATCH = 10_000;

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
  const system = await startBenchSystem('distribution', {
    REVENUE_SNAPSHOT_CHUNK: '2000',
    REVENUE_CLAIM_WAIT: '120s',
  });
  const rss = trackPeakRss();
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
    const c0 = performance.now();
    await pool(claimants, CONCURRENCY, async (c) => {
      const answer = await system.post('/revenue-pass/claims', { month: MONTH }, c.token);
      if (answer.status !== 200) {
        refused += 1;
        return;
      }
      for (const claim of answer.body.claims as { transactionSignature?: string }[]) {
        if (claim.transactionSignature) signatures.add(claim.transactionSignature);
      }
    });
    const end = performance.now();
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
    const rssDuringMonth = rss.peakMb();

    const ceiling = await system.ceiling(claimants.length, CONCURRENCY);
    console.log(
      `claims: ${claimants.length} holders (${passesClaimed} passes) paid in ${claimSeconds.toFixed(2)} s ` +
        `(${refused} requests not answered 200, ${signatures.size} payout transactions)`,
    );
    console.log(
      `Temporal ceiling (1 workflow + 1 activity, ${claimants.length} runs): ${ceiling.toFixed(1)}/s`,
    );
    console.log(
      `holders paid: ${holdersRate.toFixed(1)}/s = ${(holdersRate / ceiling).toFixed(2)}× ceiling (target ≥ 1.0×)`,
    );
    console.log(`passes settled: ${passesRate.toFixed(1)}/s = ${(passesRate / ceiling).toFixed(2)}× ceiling`);
    console.log(
      `fees paid by the payer: ${fees} lamports over ${signatures.size} transactions = ` +
        `${signatures.size ? fees / BigInt(claimants.length) : 0n} lamports per holder, ` +
        `${passesClaimed ? (Number(fees) / passesClaimed).toFixed(0) : 0} per pass`,
    );
    console.log(
      `month of ${ready.passCount} passes, ${claimants.length} holders: approval → every holder paid in ` +
        `${monthMinutes.toFixed(2)} min (target ≤ 5 min for 10,000 passes / 1,000 holders)`,
    );
    console.log(
      `balances on chain: ${claimants.length} wallets checked, ${wrong} not paid exactly their passes' share`,
    );
    console.log(
      `peak RSS, API + worker (one process): ${rssDuringMonth.toFixed(0)} MB during the month, ` +
        `${rss.stop().toFixed(0)} MB overall (targets: API ≤ 150 MB, worker ≤ 300 MB)`,
    );
  } finally {
    await system.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
