/**
 * `npm run reconcile -- <roundId>`: the round's reconciliation (the same figures as
 * `GET /api/v1/admin/lottery/rounds/:id/reconciliation`), read from this environment's
 * database and Solana RPC, printed one line per signature, then the unclaimed treasury
 * transfers and the per-currency totals.
 * `npm run reconcile -- --month YYYY-MM`: the month's (as
 * `GET /api/v1/admin/revenue/distributions/:month/reconciliation`): split, funding, one line
 * per claim row, each payout once, totals.
 * Exits 0 when BALANCED, 1 when UNBALANCED, 2 when the round or month is unknown or the
 * arguments are wrong.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createChainDeps } from '../chain/deps';
import { ConfigError, loadConfig } from '../config';
import { reconcileRoundOnChain, type RoundReconciliation } from '../db/lottery/reconciliation';
import { openOrm } from '../db/orm';
import { roundIdProblem } from '../domain/lottery/vocabulary';
import { isDomainError } from '../domain/errors';
import { monthProblem } from '../domain/values';
import { reconcileMonthOnChain, type MonthReconciliation } from '../db/revenue/reconciliation';

/** What a base unit of each currency is called in these lines. */
const BASE_UNIT = { SOL: 'lamports', USDC: 'USDC base units' } as const;

const perCurrency = (amounts: { SOL: string; USDC: string }) =>
  `SOL ${amounts.SOL} ${BASE_UNIT.SOL}, USDC ${amounts.USDC} base units`;

const verdict = (balanced: boolean) => (balanced ? 'BALANCED' : 'UNBALANCED');

/** The reconciliation as readable lines (amounts in base units, as the API gives them). */
function reconciliationLines(r: RoundReconciliation): string[] {
  const lines = [`round ${r.roundId}`, 'submitted signatures:'];
  for (const s of r.signatures) {
    const refund =
      s.refundOwedBaseUnits === '0'
        ? 'no refund owed'
        : `refund owed ${s.refundOwedBaseUnits} ${s.currency ? BASE_UNIT[s.currency] : 'base units'}, ${s.refundPayout ? `payout ${s.refundPayout.status}${s.refundPayout.signature ? ` ${s.refundPayout.signature}` : ''}` : 'not paid'}`;
    lines.push(
      `  ${s.signature} ${s.kind} ${s.status}${s.reason ? ` (${s.reason})` : ''} by ${s.wallet}: chain paid ${perCurrency(s.chainPaidBaseUnits)}; ${s.tickets} ticket(s) worth ${perCurrency(s.ticketValueBaseUnits)}; ${refund}`,
    );
  }
  if (r.signatures.length === 0) lines.push('  (none)');
  lines.push('unclaimed treasury transfers in the sales window:');
  for (const u of r.unclaimed) lines.push(`  ${u.signature}: ${perCurrency(u.paidBaseUnits)}`);
  if (r.unclaimed.length === 0) lines.push('  (none)');
  if (r.treasuryHistory.truncated) {
    lines.push(
      `  (treasury history stopped at ${r.treasuryHistory.maxSignatures} signatures per address, TREASURY_HISTORY_MAX_SIGNATURES: transfers before ${new Date((r.treasuryHistory.reachedSeconds ?? 0) * 1000).toISOString()} are not listed)`,
    );
  }
  lines.push('totals (base units): received = ticket value + refunds owed + unclaimed');
  for (const t of r.totals) {
    lines.push(
      `  ${t.currency}: received ${t.receivedBaseUnits} = tickets ${t.ticketValueBaseUnits} + refunds owed ${t.refundsOwedBaseUnits} (paid ${t.refundsPaidBaseUnits}) + unclaimed ${t.unclaimedBaseUnits}; difference ${t.differenceBaseUnits}`,
    );
  }
  lines.push(verdict(r.balanced));
  return lines;
}

/** The month's reconciliation as readable lines (base units of the month's currency). */
function monthLines(r: MonthReconciliation): string[] {
  const c = r.currency;
  const lines = [
    `month ${r.month} (${r.status}), ${c}: declared ${r.distributionAmountBaseUnits} = ${r.perPassAmountBaseUnits} per pass × ${r.passCount} pass(es) + dust ${r.dustBaseUnits}`,
    r.funding
      ? `funding ${r.funding.signature}: ${r.funding.chainPaidBaseUnits === null ? 'not checked (no PAYER_KEY_FILE names the payout wallet)' : `chain moved ${r.funding.chainPaidBaseUnits} to the payout wallet`}, claims can take ${r.funding.payableBaseUnits}${r.funding.covers === false ? ' (DOES NOT COVER)' : ''}`
      : 'funding: no funding transaction recorded',
    'claims:',
  ];
  for (const cl of r.claims) {
    const payout = cl.payout
      ? `payout ${cl.payout.status}${cl.payout.signature ? ` ${cl.payout.signature}` : ''}`
      : 'no payout row';
    lines.push(
      `  ${cl.passMint} by ${cl.wallet}: ${cl.amountBaseUnits} ${c} ${cl.status}; ${payout} (${cl.payoutKey})`,
    );
  }
  if (r.claims.length === 0) lines.push('  (none)');
  lines.push('payouts (each once, with the claim rows it pays):');
  for (const p of r.payouts) {
    lines.push(
      `  ${p.key} to ${p.recipient}: ${p.amountBaseUnits} ${p.currency} ${p.status}${p.signature ? ` ${p.signature}` : ''}; ${p.claimRows} claim row(s) total ${p.claimRowsBaseUnits}${p.matches ? '' : ' (MISMATCH)'}`,
    );
  }
  if (r.payouts.length === 0) lines.push('  (none)');
  const t = r.totals;
  lines.push('totals (base units): declared = paid + owed (claimed, not yet paid) + unclaimed + dust');
  lines.push(
    `  ${t.currency}: declared ${t.declaredBaseUnits} = paid ${t.paidBaseUnits} + owed ${t.owedBaseUnits} + unclaimed ${t.unclaimedBaseUnits} (${t.unclaimedPasses} pass(es)) + dust ${t.dustBaseUnits}; difference ${t.differenceBaseUnits}`,
  );
  lines.push(verdict(r.balanced));
  return lines;
}

type Target = { kind: 'round'; roundId: string } | { kind: 'month'; month: string };

/** The arguments as a round or a month, or the usage error. */
function targetOf(args: readonly string[]): Target | string {
  const usage = 'usage: npm run reconcile -- <roundId> | --month YYYY-MM';
  if (args[0] === '--month') {
    const problem = monthProblem(args[1]);
    return problem ? `${usage} (the month ${problem})` : { kind: 'month', month: args[1]! };
  }
  const roundId = args[0] ?? '';
  const problem = roundIdProblem(roundId);
  return problem ? `${usage} (the round id ${problem})` : { kind: 'round', roundId };
}

/** The target's lines and verdict, or null when it does not exist. */
async function reconcile(
  em: EntityManager,
  chain: ReturnType<typeof createChainDeps>,
  target: Target,
): Promise<{ lines: string[]; balanced: boolean } | null> {
  if (target.kind === 'month') {
    const r = await reconcileMonthOnChain(em, chain, target.month);
    return r && { lines: monthLines(r), balanced: r.balanced };
  }
  const r = await reconcileRoundOnChain(em, chain, target.roundId);
  return r && { lines: reconciliationLines(r), balanced: r.balanced };
}

async function main(): Promise<number> {
  const target = targetOf(process.argv.slice(2));
  if (typeof target === 'string') {
    console.error(target);
    return 2;
  }
  const config = loadConfig();
  const orm = await openOrm(config.database);
  try {
    let result: Awaited<ReturnType<typeof reconcile>>;
    try {
      result = await reconcile(orm.em.fork() as EntityManager, createChainDeps(config), target);
    } catch (err) {
      // Not reconcilable yet (a month not split): say why, as for a target that does not exist.
      if (!isDomainError(err)) throw err;
      console.error(err.message);
      return 2;
    }
    if (!result) {
      console.error(
        target.kind === 'month'
          ? `there is no revenue distribution for ${target.month}`
          : `round ${target.roundId} does not exist`,
      );
      return 2;
    }
    for (const line of result.lines) console.log(line);
    return result.balanced ? 0 : 1;
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
