/**
 * The whole story against a running system: a lottery round, a Revenue Pass month and a
 * Utility Factory project, each step printed as one line with its dashboard page and its run
 * in the Temporal UI. Every run uses new wallets, ids and a new month, so it can run again.
 */
import { openDemo, type DemoSetup } from './context';
import { runLotteryRound, type LotteryOutcome } from './lottery';
import { runRevenueMonth, type RevenueOutcome } from './revenue';
import { runUtilityProject, type UtilityOutcome } from './utility';

export { DemoError, type DemoSetup } from './context';

export interface DemoOutcome {
  lottery: LotteryOutcome;
  revenue: RevenueOutcome;
  utility: UtilityOutcome;
}

export async function runDemo(setup: DemoSetup): Promise<DemoOutcome> {
  const demo = await openDemo(setup);
  const lottery = await runLotteryRound(demo);
  const revenue = await runRevenueMonth(demo);
  const utility = await runUtilityProject(demo);
  return { lottery, revenue, utility };
}
