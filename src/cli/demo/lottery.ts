/**
 * A whole lottery round through the API as its users would: an admin creates it, three fresh
 * wallets pay the treasury (two in SOL, one in USDC) and claim their tickets, a fourth burns a
 * Stoned Rabbit for tickets; the admin closes and draws it, the draw is verified from public
 * data alone (the `verify-draw` function), and the prize is paid and seen on chain.
 */
import { PublicKey } from '@solana/web3.js';
import { burnNft, mintNfts, mintUsdc, payTreasury } from '../../chain/dev-tools';
import { untilBlockTimeReaches } from '../../chain/signed-transaction';
import { formatAmount, type Currency } from '../../domain/money';
import { workflowIds } from '../../temporal/workflow-ids';
import { verifyDrawFromApi, type DrawCheckResult } from '../verify-draw';
import { DemoError, errorText, pause, type Demo } from './context';

const PRICE_LAMPORTS = 10_000_000n; // 0.01 SOL
const PRICE_USDC = 1_000_000n; // 1 USDC
const PRIZE_LAMPORTS = 50_000_000n; // 0.05 SOL
const TICKETS_PER_BURN = 2;
/** The sales window: the demo closes it early; it only bounds a run that was stopped midway. */
const SALES_WINDOW_MS = 2 * 60_000;
/** A round left undrawn by a stopped run draws itself this long after its end. */
const DRAW_AFTER_END_MS = 60_000;
/** How long the demo waits for another round's sales window to end before it gives up. */
const MAX_WAIT_FOR_WINDOW_MS = 3 * 60_000;

export interface LotteryOutcome {
  roundId: string;
  purchases: { wallet: string; currency: Currency; tickets: number[] }[];
  burn: { wallet: string; mint: string; tickets: number[] };
  draw: { winnerTicket: number; winnerWallet: string; ticketCount: number };
  verification: DrawCheckResult;
  prize: { signature: string; recipient: string; amountBaseUnits: string };
}

interface RoundWindow {
  id: string;
  status: string;
  startDate: string;
  endDate: string;
}

/**
 * A sales window of SALES_WINDOW_MS starting now, or right after the scheduled or active
 * rounds it would overlap (rounds may not overlap); a DemoError naming the round that blocks
 * it when that is more than a few minutes away.
 */
async function chooseWindow(demo: Demo): Promise<{ start: number; end: number; afterAnother: boolean }> {
  const { rounds } = (await demo.expect(
    'list rounds',
    200,
    'GET',
    '/admin/lottery/rounds?pageSize=500',
    undefined,
    demo.adminToken,
  )) as { rounds: RoundWindow[] };
  const selling = rounds
    .filter((r) => r.status === 'scheduled' || r.status === 'active')
    .map((r) => ({ ...r, from: Date.parse(r.startDate), to: Date.parse(r.endDate) }))
    .sort((a, b) => a.from - b.from);
  // Sales open once the round's commitment memo is on chain (at the second after it, when that
  // is later than the start asked): asking for now is fine.
  const now = Date.now();
  let start = Math.ceil(now / 1000) * 1000;
  let blocker: (typeof selling)[number] | undefined;
  for (const round of selling) {
    if (round.from < start + SALES_WINDOW_MS && start < round.to) {
      start = Math.ceil(round.to / 1000) * 1000;
      blocker = round;
    }
  }
  if (blocker && start - now > MAX_WAIT_FOR_WINDOW_MS) {
    throw new DemoError(
      `round ${blocker.id} (${blocker.status}, sells until ${blocker.endDate}) blocks a new round: rounds may not overlap. ` +
        `Close it (POST /api/v1/admin/lottery/rounds/${blocker.id}/close, or its page in the dashboard) or run the demo after its end`,
    );
  }
  return { start, end: start + SALES_WINDOW_MS, afterAnother: blocker !== undefined };
}

/** The round once its status is `wanted`; its startDate is when sales opened. */
async function untilRoundStatus(demo: Demo, roundId: string, wanted: string, withinMs: number) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const round = (await demo.expect('read the round', 200, 'GET', `/lottery/rounds/${roundId}`)) as {
      status: string;
      startDate: string;
    };
    if (round.status === wanted) return round;
    if (Date.now() > deadline)
      throw new DemoError(`round ${roundId} is ${round.status}, not ${wanted}, after ${withinMs / 1000} s`);
    await pause(250);
  }
}

export async function runLotteryRound(demo: Demo): Promise<LotteryOutcome> {
  const page = (roundId: string) => `/lottery/${roundId}`;
  const window = await chooseWindow(demo);
  if (window.afterAnother) {
    demo.print(
      `… lottery  another round sells until ${new Date(window.start).toISOString()}; the demo's round starts then`,
    );
  }
  const created = (await demo.expect(
    'create the round',
    201,
    'POST',
    '/admin/lottery/rounds',
    {
      prizePoolLamports: PRIZE_LAMPORTS.toString(),
      startDate: new Date(window.start).toISOString(),
      endDate: new Date(window.end).toISOString(),
      drawingDate: new Date(window.end + DRAW_AFTER_END_MS).toISOString(),
      ticketPriceLamports: PRICE_LAMPORTS.toString(),
      ticketPriceUsdc: PRICE_USDC.toString(),
      ticketsPerBurn: TICKETS_PER_BURN,
    },
    demo.adminToken,
  )) as { id: string; seedCommitment: string };
  const roundId = created.id;
  const roundRun = workflowIds.lotteryRound(roundId);
  demo.step(
    'lottery',
    `created round ${roundId}: prize ${formatAmount(PRIZE_LAMPORTS, 'SOL')} SOL, ticket 0.01 SOL or 1 USDC, seed commitment ${created.seedCommitment.slice(0, 16)}…`,
    { page: page(roundId), workflowId: roundRun },
  );
  const opened = await untilRoundStatus(demo, roundId, 'active', window.start - Date.now() + 30_000);
  // Block times are whole seconds: pay once the chain's clock is inside the sales window.
  if (!(await untilBlockTimeReaches(demo.connection, new Date(opened.startDate))))
    throw new DemoError(`the chain's block time has not reached the round's start ${opened.startDate}`);

  const purchases: LotteryOutcome['purchases'] = [];
  for (const [currency, ticketCount] of [
    ['SOL', 2],
    ['SOL', 1],
    ['USDC', 1],
  ] as const) {
    const buyer = await demo.freshWallet(1);
    const wallet = buyer.publicKey.toBase58();
    const amount = BigInt(ticketCount) * (currency === 'SOL' ? PRICE_LAMPORTS : PRICE_USDC);
    if (currency === 'USDC')
      await mintUsdc(demo.connection, demo.faucet, demo.usdcMint, buyer.publicKey, amount);
    const signature = await payTreasury(
      demo.connection,
      buyer,
      demo.treasury,
      currency,
      amount,
      demo.usdcMint,
    );
    const answer = (await demo.decided(
      `${currency} purchase`,
      '/lottery/purchase',
      {
        walletAddress: wallet,
        ticketCount,
        paymentMethod: currency,
        transactionSignature: signature,
        roundId,
      },
      await demo.signIn(buyer),
    )) as { ticketsIssued: number[] };
    purchases.push({ wallet, currency, tickets: answer.ticketsIssued });
    demo.step(
      'lottery',
      `${wallet.slice(0, 8)}… paid ${formatAmount(amount, currency)} ${currency} to the treasury → tickets ${answer.ticketsIssued.map((t) => `#${t}`).join(' ')}`,
      { page: page(roundId), workflowId: workflowIds.ticketPurchase(signature) },
    );
  }

  const burner = await demo.freshWallet(1);
  const [mint] = (await mintNfts(demo.connection, demo.faucet, burner.publicKey, 1)) as [string];
  await demo.listStonedRabbits([mint]);
  const burnSignature = await burnNft(demo.connection, burner, new PublicKey(mint));
  const burned = (await demo.decided(
    'burn claim',
    '/lottery/burn-claim',
    {
      walletAddress: burner.publicKey.toBase58(),
      nftsBurned: [mint],
      transactionSignatures: [burnSignature],
      ticketsClaimed: TICKETS_PER_BURN,
      roundId,
    },
    await demo.signIn(burner),
  )) as { ticketsIssued: number[] };
  const burn = { wallet: burner.publicKey.toBase58(), mint, tickets: burned.ticketsIssued };
  demo.step(
    'lottery',
    `${burn.wallet.slice(0, 8)}… burned Stoned Rabbit ${mint.slice(0, 8)}… → tickets ${burn.tickets.map((t) => `#${t}`).join(' ')}`,
    { page: page(roundId), workflowId: workflowIds.burnClaim(burnSignature) },
  );

  await demo.expect(
    'close the round',
    200,
    'POST',
    `/admin/lottery/rounds/${roundId}/close`,
    {},
    demo.adminToken,
  );
  demo.step('lottery', `closed round ${roundId}: sales ended, the ticket set freezes`, {
    page: page(roundId),
    workflowId: roundRun,
  });

  const draw = await drawRound(demo, roundId);
  demo.step(
    'lottery',
    `drew round ${roundId}: ticket #${draw.winnerTicket} of ${draw.ticketCount} wins (${draw.winnerWallet.slice(0, 8)}…)`,
    { page: page(roundId), workflowId: roundRun },
  );

  const verification = await verifyDrawFromApi(roundId, demo.apiUrl, demo.rpcUrl);
  if (verification.verdict !== 'MATCH')
    throw new DemoError(
      `verify-draw ${roundId}: MISMATCH (${verification.verification.problems.join('; ')})`,
    );
  const checks = verification.verification.checks;
  demo.step(
    'lottery',
    `verify-draw ${roundId}: MATCH (commitment ${checks.commitment}, digest ${checks.digest}, winner ${checks.winner}, beacon on chain ${verification.beaconOnChain ?? '-'})`,
    { page: page(roundId), workflowId: roundRun },
  );

  const prize = (await demo.expect(
    'pay the prize',
    200,
    'POST',
    `/admin/lottery/rounds/${roundId}/pay-prize`,
    {},
    demo.adminToken,
  )) as LotteryOutcome['prize'];
  await demo.confirmedOnChain('the prize payout', prize.signature);
  demo.step(
    'lottery',
    `paid the prize ${formatAmount(BigInt(prize.amountBaseUnits), 'SOL')} SOL to ${prize.recipient.slice(0, 8)}…, confirmed on chain (${prize.signature.slice(0, 12)}…)`,
    { page: page(roundId), workflowId: roundRun },
  );
  return { roundId, purchases, burn, draw, verification, prize };
}

/** The `draw` update waits for the freeze and the beacon; the API's bounded wait may answer 503 first. */
async function drawRound(demo: Demo, roundId: string): Promise<LotteryOutcome['draw']> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await demo.call('POST', `/admin/lottery/rounds/${roundId}/draw`, {}, demo.adminToken);
    if (answer.status === 200) return answer.body as LotteryOutcome['draw'];
    if (answer.status !== 503 || Date.now() > deadline) {
      throw new DemoError(`draw round ${roundId}: answered ${answer.status} (${errorText(answer)})`);
    }
    await pause(500);
  }
}
