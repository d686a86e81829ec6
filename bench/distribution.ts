/**
 * Revenue Pass at scale, end to end through the API and the real worker on the local chain:
 *  1. snapshot + compute: `POST /admin/revenue/distributions` → `revenue-distribution:{month}`
 *     resolves the owner of every listed pass at one slot and splits the month → awaiting
 *     approval (target ≤ 30 s for 10,000 passes);
 *  2. claims: holders call `POST /revenue-pass/claims` at once → one `revenue-claim` run per
 *     pass, each paying through the exactly-once payout path (target ≥ 50 payouts/s), checked
 *     against the holders' balances on the chain; with this Temporal server's ceiling (a
 *     trivial workflow + one activity) measured in the same run for the ratio.
 * Run: npx tsx bench/distribution.ts [--passes 10000] [--holders 200] [--claims 1000] [--concurrency 64]
 * Needs PostgreSQL and Redis; starts its own Temporal dev server, database and local chain.
 */
import { parseArgs } from 'node:util';
import { Keypair, LAMPORTS_PER_SOL } from '@solana/web3.js';
import { mintNfts } from '../src/chain/dev-tools';
import { workflowIds } from '../src/temporal/workflow-ids';
import { distributionStatusQuery, type DistributionState } from '../workflows/revenue.api';
import { pool, signerOf, startBenchSystem, type BenchSystem } from './support/system';

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '10000' },
    holders: { type: 'string', default: '200' },
    claims: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
  },
});
const PASSES = Number(values.passes);
const HOLDERS = Number(values.holders);
const CLAIMS = Math.min(Number(values.claims), PASSES);
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

    const approved = await system.post(`/admin/revenue/distributions/${MONTH}/approve`, {}, adminToken);
    if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
    await waitFor(system, (s) => s.status === 'open');

    // 2. Claims: the first holders' passes, up to CLAIMS, every holder claiming at once.
    const claimants: { holder: Keypair; mints: string[]; token: string }[] = [];
    let claimCount = 0;
    for (const holder of holders) {
      if (claimCount >= CLAIMS) break;
      const mints = (mintsOf.get(holder) ?? []).slice(0, CLAIMS - claimCount);
      claimCount += mints.length;
      claimants.push({ holder, mints, token: await system.signIn(signerOf(holder)) });
    }
    const balance = async (k: Keypair) =>
      BigInt(await system.connection.getBalance(k.publicKey, 'confirmed'));
    const before = await Promise.all(claimants.map((c) => balance(c.holder)));
    let refused = 0;
    const c0 = performance.now();
    await pool(claimants, CONCURRENCY, async (c) => {
      const answer = await system.post('/revenue-pass/claims', { month: MONTH, passMints: c.mints }, c.token);
      if (answer.status !== 200) refused += 1;
    });
    const claimSeconds = (performance.now() - c0) / 1000;
    const rate = claimCount / claimSeconds;
    const after = await Promise.all(claimants.map((c) => balance(c.holder)));
    const wrong = claimants.filter(
      (c, i) => after[i]! - before[i]! !== perPass * BigInt(c.mints.length),
    ).length;

    const ceiling = await system.ceiling(Math.min(claimCount, 400), 64);
    console.log(
      `claims: ${claimCount} payouts by ${claimants.length} wallets in ${claimSeconds.toFixed(2)} s = ${rate.toFixed(1)}/s ` +
        `(target ≥ 50/s; ${refused} requests not answered 200)`,
    );
    console.log(
      `Temporal ceiling (1 workflow + 1 activity): ${ceiling.toFixed(1)}/s; ratio claims/ceiling ${(rate / ceiling).toFixed(2)}`,
    );
    console.log(
      `balances on chain: ${claimants.length} wallets checked, ${wrong} not paid exactly their passes' share`,
    );
  } finally {
    await system.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
