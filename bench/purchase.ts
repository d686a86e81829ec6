/**
 * Verified purchases per second end to end: HTTP `POST /api/v1/lottery/purchase` → workflow
 * `ticket-purchase:{sig}` on a real worker → verification against the local chain → tickets in
 * PostgreSQL, with p50/p99 submit-to-tickets latency; and, in the same run, the bare ceiling
 * of this Temporal server (a trivial workflow with one activity, started and completed per
 * second). Prints the ratio and checks numbers 1..N with no gap or duplicate.
 * Run: npx tsx bench/purchase.ts [--purchases 400] [--wallets 40] [--concurrency 64]
 *        [--temporal dev|cluster|both]   (both: the dev server, then the cluster, figures side by side)
 * Needs PostgreSQL and Redis at their configured URLs; starts its own Temporal (dev server, or
 * the real server on PostgreSQL with 8 history shards), database (dropped after) and local
 * chain (bench/support/system.ts).
 */
import { parseArgs } from 'node:util';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import { percentile, pool, signerOf, startBenchSystem, type TemporalKind } from './support/system';

const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '400' },
    wallets: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '64' },
    temporal: { type: 'string', default: 'dev' },
  },
});
const PURCHASES = Number(values.purchases);
const WALLETS = Number(values.wallets);
const CONCURRENCY = Number(values.concurrency);
const PRICE = 10_000_000n;
const KINDS: TemporalKind[] =
  values.temporal === 'both' ? ['dev', 'cluster'] : values.temporal === 'cluster' ? ['cluster'] : ['dev'];
if (!['dev', 'cluster', 'both'].includes(values.temporal))
  throw new Error('--temporal: dev, cluster or both');

async function main(): Promise<void> {
  for (const kind of KINDS) {
    console.log(
      `--- Temporal: ${kind === 'dev' ? 'dev server (SQLite, 1 shard)' : 'cluster (PostgreSQL, 8 shards)'}`,
    );
    await measure(kind);
  }
}

async function measure(kind: TemporalKind): Promise<void> {
  const system = await startBenchSystem('purchase', { PURCHASE_WAIT: '60s' }, kind);
  const { treasury, post, signIn } = system;
  try {
    const ceiling = await system.ceiling(PURCHASES, CONCURRENCY);
    const ceilingCount = PURCHASES;

    // Setup (not timed): a round, funded wallets, their payments, their tokens.
    const adminToken = await signIn(system.admin);
    const round = await post(
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
    const roundId = round.body.id as string;
    const wallets = Array.from({ length: WALLETS }, () => Keypair.generate());
    for (const w of wallets) await system.airdrop(w.publicKey.toBase58(), 100n * BigInt(LAMPORTS_PER_SOL));
    const tokens = new Map<string, string>();
    for (const w of wallets) tokens.set(w.publicKey.toBase58(), await signIn(signerOf(w)));
    const chainConnection = system.connection;
    const payments: { wallet: Keypair; signature: string; count: number }[] = [];
    await pool(wallets, WALLETS, async (w) => {
      for (let i = 0; i < Math.ceil(PURCHASES / WALLETS) && payments.length < PURCHASES; i++) {
        const count = 1 + (i % 3);
        const tx = new Transaction().add(
          SystemProgram.transfer({
            fromPubkey: w.publicKey,
            toPubkey: treasury.publicKey,
            lamports: BigInt(count) * PRICE + BigInt(i),
          }),
        );
        payments.push({
          wallet: w,
          signature: await sendAndConfirmTransaction(chainConnection, tx, [w]),
          count,
        });
      }
    });

    // Timed: every purchase submitted, concurrently bounded, until its tickets come back.
    const latencies: number[] = [];
    let failures = 0;
    const p0 = performance.now();
    await pool(payments, CONCURRENCY, async (p) => {
      const t = performance.now();
      const res = await post(
        '/lottery/purchase',
        {
          walletAddress: p.wallet.publicKey.toBase58(),
          ticketCount: p.count,
          paymentMethod: 'SOL',
          transactionSignature: p.signature,
          roundId,
        },
        tokens.get(p.wallet.publicKey.toBase58()),
      );
      if (res.status === 200) latencies.push(performance.now() - t);
      else failures++;
    });
    const seconds = (performance.now() - p0) / 1000;
    const rate = latencies.length / seconds;
    latencies.sort((a, b) => a - b);

    const rows = await system.resources.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        'select ticket_number n from lottery_tickets where lottery_round = ? order by ticket_number',
        [roundId],
      );
    const numbers = rows.map((r) => Number(r.n));
    const expected = payments.reduce((s, p) => s + p.count, 0);
    const gapless = numbers.length === expected && numbers.every((n, i) => n === i + 1);

    console.log(`Temporal ceiling (1 workflow + 1 activity): ${ceiling.toFixed(1)}/s over ${ceilingCount}`);
    console.log(
      `verified purchases: ${latencies.length} in ${seconds.toFixed(2)} s = ${rate.toFixed(1)}/s ` +
        `(p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, failures ${failures})`,
    );
    console.log(
      `ratio purchases/ceiling: ${(rate / ceiling).toFixed(2)} (target ≥ 0.5; absolute target ≥ 200/s)`,
    );
    console.log(
      `tickets: ${numbers.length} of ${expected}, numbers 1..N without gap or duplicate: ${gapless ? 'yes' : 'NO'}`,
    );
  } finally {
    await system.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
