/**
 * Every committed workflow history (tests/fixtures/histories/*.json, recorded from real runs
 * by `npm run test:record-histories`) replays against the current workflow bundle. A change
 * that would break a workflow already running (a command added, removed or reordered, an
 * activity renamed) without `patched()` fails here, on every run.
 */
import * as workflows from '../../workflows';
import { historyFixtures, replayFixtures } from '../support/replay';

/** The notable paths each workflow type has a fixture for (file name without .json). */
const PATHS = [
  'ticketPurchase-accepted',
  'ticketPurchase-rejected',
  'ticketPurchase-late',
  'ticketPurchase-not-found-released',
  'ticketPurchase-refused-released',
  'ticketPurchase-late-after-freeze',
  'ticketPurchase-accepted-held-freeze',
  'ticketPurchase-accepted-local-steps',
  'burnClaim-accepted',
  'burnClaim-accepted-sighted',
  'burnClaim-accepted-local-steps',
  'lotteryRound-drawn',
  'lotteryRound-frozen-on-time',
  'lotteryRound-held-for-confirming',
  'lotteryRound-cancelled',
  'lotteryRound-sales-opened-after-commitment',
  'lotteryRound-cancelled-commitment-after-window',
  'lotteryRefunds-paid',
  'revenueDistribution-closed',
  'revenueDistribution-cancelled',
  'revenueClaim-paid',
  'revenueWalletClaim-paid',
  'revenueWalletClaim-paid-local-payout',
  'revenueWalletClaimV2-paid',
  'utilityProject-completed',
  'utilityProject-rejected',
  'utilityProject-client-messages',
  'emailDelivery-sent',
  'emailDelivery-retried',
  'emailDelivery-failed',
  'emailDelivery-gave-up',
  'emailOutboxSweeper-continued-as-new',
];

const fixtures = historyFixtures();

describe('committed workflow histories', () => {
  it('cover every workflow type the worker runs, and every notable path', () => {
    const exported = Object.entries(workflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    const recorded = new Set(fixtures.map((f) => f.workflowType));
    expect(exported.filter((type) => !recorded.has(type))).toEqual([]);
    const files = new Set(fixtures.map((f) => f.file));
    expect(PATHS.filter((name) => !files.has(`${name}.json`))).toEqual([]);
    // Each fixture is named after the workflow type it records.
    for (const { file, workflowType } of fixtures) expect(file.startsWith(`${workflowType}-`)).toBe(true);
  });

  it('replay against the current workflow bundle', async () => {
    expect(await replayFixtures(fixtures)).toEqual({});
  }, 120_000);
});
