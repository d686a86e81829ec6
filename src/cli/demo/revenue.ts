/**
 * A Revenue Pass month through the API: passes minted to two fresh holders, their hash list
 * uploaded, a month created from a CSV of revenue sources (a month no run used before), the
 * snapshot awaited, approved by the admin, then each holder claims and the payout is seen on
 * chain with the holder's balance up by exactly the amount claimed.
 */
import crypto from 'node:crypto';
import { mintNfts } from '../../chain/dev-tools';
import { formatAmount } from '../../domain/money';
import { workflowIds } from '../../temporal/workflow-ids';
import { DemoError, errorText, pause, type Demo } from './context';

const SHARE_BPS = 5_000;
const REVENUE_CSV = 'name,amount\nRoyalties,1.5\nMerch,0.5\n';
const HOLDINGS = [2, 1];

export interface RevenueOutcome {
  month: string;
  perPassBaseUnits: string;
  claims: {
    wallet: string;
    passes: number;
    amountBaseUnits: string;
    balanceGain: string;
    signatures: string[];
  }[];
}

interface LiveDistribution {
  status: string;
  perPassAmountBaseUnits: string | null;
  passCount: number | null;
  approvals: unknown[];
  approvalsRequired: number;
  cancelReason: string | null;
}

/** A month far in the future that no earlier run used: months are workflow ids, unique per stack. */
const randomMonth = () =>
  `${2100 + crypto.randomInt(7_900)}-${String(1 + crypto.randomInt(12)).padStart(2, '0')}`;

async function untilStatus(demo: Demo, month: string, wanted: string): Promise<LiveDistribution> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const view = (await demo.expect(
      `read ${month}`,
      200,
      'GET',
      `/admin/revenue/distributions/${month}`,
      undefined,
      demo.adminToken,
    )) as { workflow: LiveDistribution | null };
    const live = view.workflow;
    if (live?.status === wanted) return live;
    if (live?.status === 'cancelled')
      throw new DemoError(`month ${month} was cancelled: ${live.cancelReason ?? 'no reason given'}`);
    if (Date.now() > deadline)
      throw new DemoError(`month ${month} is ${live?.status ?? 'not running'}, not ${wanted}, after 120 s`);
    await pause(250);
  }
}

export async function runRevenueMonth(demo: Demo): Promise<RevenueOutcome> {
  const holders = await Promise.all(HOLDINGS.map(() => demo.freshWallet(1)));
  const passes = await Promise.all(
    holders.map((h, i) => mintNfts(demo.connection, demo.faucet, h.publicKey, HOLDINGS[i] ?? 0)),
  );
  demo.step(
    'revenue',
    `minted ${passes.flat().length} Revenue Passes: ${holders.map((h, i) => `${HOLDINGS[i]} to ${h.publicKey.toBase58().slice(0, 8)}…`).join(', ')}`,
    { page: '/revenue' },
  );
  const listed = (await demo.expect(
    'upload the hash list',
    200,
    'POST',
    '/admin/revenue/passes',
    { mints: passes.flat() },
    demo.adminToken,
  )) as { added: number };
  demo.step('revenue', `uploaded the pass hash list: ${listed.added} mints added to nft_mints`, {
    page: '/revenue',
  });

  let month = randomMonth();
  for (let attempt = 0; ; attempt++) {
    const answer = await demo.call(
      'POST',
      '/admin/revenue/distributions',
      { month, currency: 'SOL', shareBps: SHARE_BPS, csv: REVENUE_CSV },
      demo.adminToken,
    );
    if (answer.status === 201) break;
    if (answer.status !== 409 || attempt >= 5)
      throw new DemoError(`create a month: answered ${answer.status} (${errorText(answer)})`);
    month = randomMonth();
  }
  const page = `/revenue/${month}`;
  const run = workflowIds.revenueDistribution(month);
  demo.step(
    'revenue',
    `created month ${month} from a CSV (Royalties 1.5 SOL, Merch 0.5 SOL), ${SHARE_BPS / 100}% shared`,
    {
      page,
      workflowId: run,
    },
  );

  const snapshot = await untilStatus(demo, month, 'awaiting_approval');
  demo.step(
    'revenue',
    `snapshot of ${snapshot.passCount ?? 0} passes taken: ${formatAmount(BigInt(snapshot.perPassAmountBaseUnits ?? '0'), 'SOL')} SOL per pass, awaiting approval`,
    { page, workflowId: run },
  );

  const approved = (await demo.expect(
    'approve',
    200,
    'POST',
    `/admin/revenue/distributions/${month}/approve`,
    {},
    demo.adminToken,
  )) as LiveDistribution;
  if (approved.approvals.length < approved.approvalsRequired) {
    throw new DemoError(
      `month ${month} needs ${approved.approvalsRequired} distinct admin approvals (REVENUE_APPROVALS_REQUIRED) and the demo has one admin: ` +
        'run the stack with REVENUE_APPROVALS_REQUIRED=1 (the default), or approve it from the other admins in the dashboard',
    );
  }
  const open = await untilStatus(demo, month, 'open');
  demo.step('revenue', `approved month ${month}: claims are open`, { page, workflowId: run });

  const perPass = BigInt(open.perPassAmountBaseUnits ?? '0');
  const claims: RevenueOutcome['claims'] = [];
  for (const [i, holder] of holders.entries()) {
    const wallet = holder.publicKey.toBase58();
    const balance = async () => BigInt(await demo.connection.getBalance(holder.publicKey, 'confirmed'));
    const before = await balance();
    const answer = (await demo.decided(
      'claim',
      '/revenue-pass/claims',
      { month },
      await demo.signIn(holder),
    )) as {
      totalAmountBaseUnits: string;
      claims: {
        passMint: string;
        status: string;
        transactionSignature?: string;
        error?: { message: string };
      }[];
    };
    const refused = answer.claims.filter((c) => c.status !== 'paid');
    if (refused.length)
      throw new DemoError(
        `claim by ${wallet}: ${refused.map((c) => `${c.passMint} ${c.status} ${c.error?.message ?? ''}`).join('; ')}`,
      );
    const signatures = [...new Set(answer.claims.map((c) => c.transactionSignature as string))];
    for (const signature of signatures)
      await demo.confirmedOnChain(`the claim payout of ${wallet}`, signature);
    const gain = (await balance()) - before;
    const held = HOLDINGS[i] ?? 0;
    if (gain !== BigInt(answer.totalAmountBaseUnits) || gain !== perPass * BigInt(held)) {
      throw new DemoError(
        `claim by ${wallet}: its balance rose by ${gain} lamports; claimed ${answer.totalAmountBaseUnits}, ${held} pass(es) × ${perPass}`,
      );
    }
    claims.push({
      wallet,
      passes: held,
      amountBaseUnits: answer.totalAmountBaseUnits,
      balanceGain: gain.toString(),
      signatures,
    });
    demo.step(
      'revenue',
      `${wallet.slice(0, 8)}… claimed ${held} pass(es): ${formatAmount(gain, 'SOL')} SOL paid, confirmed on chain (${signatures[0]?.slice(0, 12)}…)`,
      { page, workflowId: workflowIds.revenueClaim(month, answer.claims[0]?.passMint ?? '') },
    );
  }
  return { month, perPassBaseUnits: perPass.toString(), claims };
}
