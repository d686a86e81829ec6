/**
 * `npm run reconcile -- <roundId>`: the round's reconciliation (the same figures as
 * `GET /api/v1/admin/lottery/rounds/:id/reconciliation`), read from this environment's
 * database and Solana RPC, printed one line per signature, then the unclaimed treasury
 * transfers and the per-currency totals. Exits 0 when BALANCED, 1 when UNBALANCED, 2 when the
 * round is unknown or the arguments are wrong.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createChainDeps } from '../chain/deps';
import { ConfigError, loadConfig } from '../config';
import { reconcileRoundOnChain, type RoundReconciliation } from '../db/lottery/reconciliation';
import { openOrm } from '../db/orm';
import { roundIdProblem } from '../domain/lottery/vocabulary';

const perCurrency = (amounts: { SOL: string; USDC: string }) =>
  `SOL ${amounts.SOL} lamports, USDC ${amounts.USDC} base units`;

/** The reconciliation as readable lines (amounts in base units, as the API gives them). */
function reconciliationLines(r: RoundReconciliation): string[] {
  const lines = [`round ${r.roundId}`, 'submitted signatures:'];
  for (const s of r.signatures) {
    const refund =
      s.refundOwedBaseUnits === '0'
        ? 'no refund owed'
        : `refund owed ${s.refundOwedBaseUnits} ${s.currency ?? ''}, ${s.refundPayout ? `payout ${s.refundPayout.status}${s.refundPayout.signature ? ` ${s.refundPayout.signature}` : ''}` : 'not paid'}`;
    lines.push(
      `  ${s.signature} ${s.kind} ${s.status}${s.reason ? ` (${s.reason})` : ''} by ${s.wallet}: chain paid ${perCurrency(s.chainPaidBaseUnits)}; ${s.tickets} ticket(s) worth ${perCurrency(s.ticketValueBaseUnits)}; ${refund}`,
    );
  }
  if (r.signatures.length === 0) lines.push('  (none)');
  lines.push('unclaimed treasury transfers in the sales window:');
  for (const u of r.unclaimed) lines.push(`  ${u.signature}: ${perCurrency(u.paidBaseUnits)}`);
  if (r.unclaimed.length === 0) lines.push('  (none)');
  lines.push('totals (base units): received = ticket value + refunds owed + unclaimed');
  for (const t of r.totals) {
    lines.push(
      `  ${t.currency}: received ${t.receivedBaseUnits} = tickets ${t.ticketValueBaseUnits} + refunds owed ${t.refundsOwedBaseUnits} (paid ${t.refundsPaidBaseUnits}) + unclaimed ${t.unclaimedBaseUnits}; difference ${t.differenceBaseUnits}`,
    );
  }
  lines.push(r.balanced ? 'BALANCED' : 'UNBALANCED');
  return lines;
}

async function main(): Promise<number> {
  const roundId = process.argv[2] ?? '';
  const problem = roundIdProblem(roundId);
  if (problem) {
    console.error(`usage: npm run reconcile -- <roundId> (the round id ${problem})`);
    return 2;
  }
  const config = loadConfig();
  const orm = await openOrm(config.database);
  try {
    const reconciliation = await reconcileRoundOnChain(
      orm.em.fork() as EntityManager,
      createChainDeps(config),
      roundId,
    );
    if (!reconciliation) {
      console.error(`round ${roundId} does not exist`);
      return 2;
    }
    for (const line of reconciliationLines(reconciliation)) console.log(line);
    return reconciliation.balanced ? 0 : 1;
  } finally {
    await orm.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `reconcile failed: ${(err as Error).message}`);
    process.exit(2);
  },
);
