/**
 * Reconciliation against the chain: a round of real signed payments on the local chain
 * (submitted through the API to the real worker, plus treasury transfers nobody submitted),
 * and a revenue month made, approved and claimed through the API.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Keypair, SystemProgram, type Connection, type PublicKey } from '@solana/web3.js';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import type { LocalChain } from '../../src/chain/local';
import { treasuryIncomingTransfers } from '../../src/chain/treasury-history';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { roundStatusQuery } from '../../workflows/lottery.api';
import { startTestWorker, type TestSystem } from '../support/harness';
import { startLotteryTestbed, type LotteryTestbed } from '../support/lottery-testbed';
import { fundedKeypair, newNft, sendLegacy, tokenAccountWith, SOL } from '../support/chain-fixtures';
import { newWallet, signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n;
const PRICE_USDC = 1_000_000n;

describe('reconciliation of rounds and months (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let treasury: Keypair;
  let payer: Keypair;
  let mintAuthority: Keypair;
  let usdcMint: PublicKey;
  let treasuryUsdc: PublicKey;
  /** On a database of its own: its rounds' sales windows would overlap other suites'. */
  let bed: LotteryTestbed | undefined;
  let adminAuth: { Authorization: string };

  const paySol = (from: Keypair, lamports: bigint) =>
    sendLegacy(
      connection,
      [SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: treasury.publicKey, lamports })],
      [from],
    );

  async function payUsdc(from: Keypair, amount: bigint): Promise<string> {
    const source = await tokenAccountWith(connection, mintAuthority, usdcMint, from.publicKey, 0n);
    return sendLegacy(
      connection,
      [createTransferCheckedInstruction(source, usdcMint, treasuryUsdc, from.publicKey, amount, 6)],
      [from],
    );
  }

  /** `npm run reconcile -- <args>` against this suite's database and chain. */
  const reconcileCli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', '..', 'src', 'cli', 'reconcile.ts'), ...args],
      { env: { ...process.env, ...system.env } },
    );

  beforeAll(async () => {
    bed = await startLotteryTestbed({ name: 'reconcile', ownDatabase: true });
    ({ chain, connection, system, mintAuthority, usdcMint, treasury, treasuryUsdc, payer, adminAuth } = bed);
    worker = await startTestWorker(system);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await bed?.close();
  });

  it('a mixed round: accepted, overpaid, underpaid, late and USDC purchases and unsubmitted transfers balance in both currencies', async () => {
    const created = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: PRICE_USDC.toString(),
      })
      .expect(201);
    const roundId = created.body.id as string;
    const buyer = fundedKeypair(chain, 5);
    await tokenAccountWith(connection, mintAuthority, usdcMint, buyer.publicKey, 10n * PRICE_USDC);
    const auth = { Authorization: `Bearer ${await signIn(system.app, walletOf(buyer.secretKey))}` };
    const purchase = (transactionSignature: string, paymentMethod: 'SOL' | 'USDC' = 'SOL') =>
      request(system.app).post('/api/v1/lottery/purchase').set(auth).send({
        walletAddress: buyer.publicKey.toBase58(),
        ticketCount: 1,
        paymentMethod,
        transactionSignature,
        roundId,
      });
    const accepted = await paySol(buyer, PRICE_SOL);
    const overpaid = await paySol(buyer, PRICE_SOL + 123n);
    const underpaid = await paySol(buyer, PRICE_SOL - 1n);
    const usdc = await payUsdc(buyer, PRICE_USDC);
    // Lands inside the sales window, submitted only after the freeze: late, owed back in full.
    const late = await paySol(buyer, PRICE_SOL);
    const stranger = fundedKeypair(chain, 5);
    const unsubmitted = await paySol(stranger, 777n);
    await tokenAccountWith(connection, mintAuthority, usdcMint, stranger.publicKey, 1_000n);
    const unsubmittedUsdc = await payUsdc(stranger, 555n);
    for (const [signature, method] of [
      [accepted, 'SOL'],
      [overpaid, 'SOL'],
      [usdc, 'USDC'],
    ] as const) {
      const res = await purchase(signature, method);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
    }
    const short = await purchase(underpaid);
    expect({ status: short.status, code: short.body.error?.code }).toEqual({
      status: 422,
      code: 'PaymentTooSmall',
    });

    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/close`)
      .set(adminAuth)
      .send({})
      .expect(200);
    const round = system.resources.temporal.workflow.getHandle(workflowIds.lotteryRound(roundId));
    for (
      let wait = 10;
      (await round.query(roundStatusQuery)).frozenTicketCount === null;
      wait = Math.min(wait * 2, 200)
    )
      await new Promise((r) => setTimeout(r, wait));
    const afterFreeze = await purchase(late);
    expect({ status: afterFreeze.status, code: afterFreeze.body.error?.code }).toEqual({
      status: 409,
      code: 'LatePayment',
    });

    const res = await request(system.app)
      .get(`/api/v1/admin/lottery/rounds/${roundId}/reconciliation`)
      .set(adminAuth)
      .expect(200);
    const bySignature = new Map(
      (res.body.signatures as { signature: string }[]).map((s) => [s.signature, s]),
    );
    expect(bySignature.get(accepted)).toMatchObject({
      status: 'accepted',
      tickets: 1,
      chainPaidBaseUnits: { SOL: PRICE_SOL.toString(), USDC: '0' },
      ticketValueBaseUnits: { SOL: PRICE_SOL.toString() },
      refundOwedBaseUnits: '0',
    });
    expect(bySignature.get(overpaid)).toMatchObject({
      status: 'accepted',
      tickets: 1,
      chainPaidBaseUnits: { SOL: (PRICE_SOL + 123n).toString() },
      refundOwedBaseUnits: '123',
      refundPayout: null,
    });
    expect(bySignature.get(underpaid)).toMatchObject({
      status: 'rejected',
      tickets: 0,
      chainPaidBaseUnits: { SOL: (PRICE_SOL - 1n).toString() },
      refundOwedBaseUnits: (PRICE_SOL - 1n).toString(),
    });
    expect(bySignature.get(late)).toMatchObject({
      status: 'late',
      tickets: 0,
      chainPaidBaseUnits: { SOL: PRICE_SOL.toString() },
      refundOwedBaseUnits: PRICE_SOL.toString(),
    });
    expect(bySignature.get(usdc)).toMatchObject({
      status: 'accepted',
      tickets: 1,
      currency: 'USDC',
      chainPaidBaseUnits: { SOL: '0', USDC: PRICE_USDC.toString() },
      ticketValueBaseUnits: { SOL: '0', USDC: PRICE_USDC.toString() },
    });
    // The treasury's own funding (an airdrop in the suite's setup) also landed in the window
    // and nobody submitted it: it is listed as unclaimed too.
    const unclaimed = res.body.unclaimed as {
      signature: string;
      paidBaseUnits: { SOL: string; USDC: string };
    }[];
    expect(unclaimed).toContainEqual({ signature: unsubmitted, paidBaseUnits: { SOL: '777', USDC: '0' } });
    expect(unclaimed).toContainEqual({
      signature: unsubmittedUsdc,
      paidBaseUnits: { SOL: '0', USDC: '555' },
    });
    expect(unclaimed.map((u) => u.signature)).not.toContain(accepted);
    const unclaimedOf = (c: 'SOL' | 'USDC') =>
      unclaimed.reduce((sum, u) => sum + BigInt(u.paidBaseUnits[c]), 0n);
    const refundsSol = 123n + (PRICE_SOL - 1n) + PRICE_SOL;
    expect(res.body.totals).toEqual([
      {
        currency: 'SOL',
        receivedBaseUnits: (4n * PRICE_SOL + 122n + unclaimedOf('SOL')).toString(),
        ticketValueBaseUnits: (2n * PRICE_SOL).toString(),
        refundsOwedBaseUnits: refundsSol.toString(),
        refundsPaidBaseUnits: '0',
        unclaimedBaseUnits: unclaimedOf('SOL').toString(),
        differenceBaseUnits: '0',
        balanced: true,
      },
      {
        currency: 'USDC',
        receivedBaseUnits: (PRICE_USDC + 555n).toString(),
        ticketValueBaseUnits: PRICE_USDC.toString(),
        refundsOwedBaseUnits: '0',
        refundsPaidBaseUnits: '0',
        unclaimedBaseUnits: '555',
        differenceBaseUnits: '0',
        balanced: true,
      },
    ]);
    expect(res.body.balanced).toBe(true);
    expect(res.body.treasuryHistory).toMatchObject({
      maxSignatures: 20_000,
      truncated: false,
      reachedSeconds: null,
    });

    // `npm run reconcile -- <roundId>` prints the same figures and exits 0 when balanced.
    const cli = await reconcileCli(roundId);
    const lines = cli.stdout.trim().split('\n');
    expect(lines.find((l) => l.includes(overpaid))).toContain('refund owed 123 lamports, not paid');
    expect(lines.find((l) => l.includes(late))).toMatch(
      new RegExp(
        `purchase late .* by ${buyer.publicKey.toBase58()}: .*refund owed ${PRICE_SOL} lamports, not paid$`,
      ),
    );
    expect(lines.find((l) => l.includes(unsubmitted))).toContain('SOL 777 lamports');
    expect(lines.find((l) => l.includes(unsubmittedUsdc))).toContain('USDC 555 base units');
    expect(lines).toContainEqual(
      expect.stringContaining(`SOL: received ${res.body.totals[0].receivedBaseUnits} = tickets`),
    );
    expect(lines.at(-1)).toBe('BALANCED');
    console.log(`npm run reconcile -- ${roundId}\n${cli.stdout}`);
  }, 180_000);

  it('refuses bad input: a malformed round id 400, an unknown one 404, no token 401, not an admin 403', async () => {
    const url = (id: string) => `/api/v1/admin/lottery/rounds/${id}/reconciliation`;
    const bad = await request(system.app).get(url('%20bad%20id')).set(adminAuth);
    expect(bad.status).toBe(400);
    const unknown = await request(system.app).get(url('no-such-round')).set(adminAuth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no-such-round');
    await request(system.app).get(url('no-such-round')).expect(401);
    const stranger = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app).get(url('no-such-round')).set(stranger).expect(403);
  });

  it('a month made through the API: funding, claims paid, one holder unclaimed; declared = paid + unclaimed + dust, BALANCED; a skewed claim row UNBALANCED', async () => {
    const month = `${2100 + crypto.randomInt(800)}-05`;
    const [holder, idle] = [fundedKeypair(chain, 1), fundedKeypair(chain, 1)];
    const passes = [
      (await newNft(connection, mintAuthority, holder.publicKey)).mint,
      (await newNft(connection, mintAuthority, holder.publicKey)).mint,
      (await newNft(connection, mintAuthority, idle.publicKey)).mint,
    ].map((m) => m.toBase58());
    await request(system.app)
      .post('/api/v1/admin/revenue/passes')
      .set(adminAuth)
      .send({ mints: passes })
      .expect(200);
    // 5000 bps of 100000007: 50000003 over 3 passes = 16666667 each, dust 2.
    const declared = 50_000_003n;
    const perPass = 16_666_667n;
    // The treasury moves the month's money to the payout signer (verified before claims open).
    const funding = await sendLegacy(
      connection,
      [
        SystemProgram.transfer({
          fromPubkey: treasury.publicKey,
          toPubkey: payer.publicKey,
          lamports: declared,
        }),
      ],
      [treasury],
    );
    await request(system.app)
      .post('/api/v1/admin/revenue/distributions')
      .set(adminAuth)
      .send({
        month,
        currency: 'SOL',
        shareBps: 5000,
        sources: [{ name: 'Royalties', amountBaseUnits: '100000007' }],
        fundingSignature: funding,
      })
      .expect(201);
    const untilStatus = async (status: string) => {
      for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
        const view = await request(system.app)
          .get(`/api/v1/admin/revenue/distributions/${month}`)
          .set(adminAuth);
        if (view.body.status === status) return;
        await new Promise((r) => setTimeout(r, wait));
      }
    };
    await untilStatus('awaiting_approval');
    await request(system.app)
      .post(`/api/v1/admin/revenue/distributions/${month}/approve`)
      .set(adminAuth)
      .send({})
      .expect(200);
    await untilStatus('open');
    const holderAuth = { Authorization: `Bearer ${await signIn(system.app, walletOf(holder.secretKey))}` };
    const claimed = await request(system.app)
      .post('/api/v1/revenue-pass/claims')
      .set(holderAuth)
      .send({ month })
      .expect(200);
    expect(claimed.body.totalAmountBaseUnits).toBe((2n * perPass).toString());

    const res = await request(system.app)
      .get(`/api/v1/admin/revenue/distributions/${month}/reconciliation`)
      .set(adminAuth)
      .expect(200);
    expect(res.body).toMatchObject({
      month,
      currency: 'SOL',
      distributionAmountBaseUnits: declared.toString(),
      perPassAmountBaseUnits: perPass.toString(),
      passCount: 3,
      dustBaseUnits: '2',
      funding: {
        signature: funding,
        chainPaidBaseUnits: declared.toString(),
        payableBaseUnits: (3n * perPass).toString(),
        covers: true,
      },
    });
    // Claims join their payouts through the recorded payout_key only.
    const recorded = await system.sql<{ pass_mint: string; payout_key: string; signature: string }>(
      `select c.pass_mint, c.payout_key, p.signature from revenue_claims c join payouts p on p.key = c.payout_key
        join revenue_distributions d on d.id = c.distribution_id where d.month = ?`,
      [month],
    );
    expect(recorded).toHaveLength(2);
    for (const row of recorded) {
      expect(res.body.claims).toContainEqual({
        passMint: row.pass_mint,
        wallet: holder.publicKey.toBase58(),
        amountBaseUnits: perPass.toString(),
        status: 'paid',
        payoutKey: row.payout_key,
        payout: { status: 'confirmed', signature: row.signature, amountBaseUnits: expect.any(String) },
      });
    }
    // The holder's two passes are paid by one payout, listed once, covering both rows.
    const payoutKeys = new Set(recorded.map((r) => r.payout_key));
    expect(payoutKeys.size).toBe(1);
    expect(res.body.payouts).toHaveLength(1);
    expect(res.body.payouts[0]).toMatchObject({
      claimRows: 2,
      claimRowsBaseUnits: (2n * perPass).toString(),
      amountBaseUnits: (2n * perPass).toString(),
      matches: true,
    });
    expect(res.body.payouts.map((p: { key: string }) => p.key).sort()).toEqual([...payoutKeys].sort());
    expect(res.body.payouts.every((p: { matches: boolean }) => p.matches)).toBe(true);
    expect(res.body.totals).toEqual({
      currency: 'SOL',
      declaredBaseUnits: declared.toString(),
      paidBaseUnits: (2n * perPass).toString(),
      owedBaseUnits: '0',
      unclaimedBaseUnits: perPass.toString(),
      unclaimedPasses: 1,
      dustBaseUnits: '2',
      differenceBaseUnits: '0',
      payoutsMatch: true,
      balanced: true,
    });
    expect(res.body.balanced).toBe(true);

    const cli = await reconcileCli('--month', month);
    const lines = cli.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      `month ${month} (open), SOL: declared ${declared} = ${perPass} per pass × 3 pass(es) + dust 2`,
    );
    expect(lines).toContainEqual(
      `  SOL: declared ${declared} = paid ${2n * perPass} + owed 0 + unclaimed ${perPass} (1 pass(es)) + dust 2; difference 0`,
    );
    expect(lines.at(-1)).toBe('BALANCED');
    console.log(`npm run reconcile -- --month ${month}\n${cli.stdout}`);

    // A claim row that says one base unit more than its payout sent: UNBALANCED, exit 1.
    const [skewed] = recorded;
    await system.sql(
      'update revenue_claims set amount_base_units = amount_base_units + 1 where pass_mint = ?',
      [skewed!.pass_mint],
    );
    const off = await request(system.app)
      .get(`/api/v1/admin/revenue/distributions/${month}/reconciliation`)
      .set(adminAuth)
      .expect(200);
    expect(off.body.totals).toMatchObject({
      differenceBaseUnits: '-1',
      payoutsMatch: false,
      balanced: false,
    });
    expect(off.body.payouts.find((p: { key: string }) => p.key === skewed!.payout_key)).toMatchObject({
      claimRows: 2,
      claimRowsBaseUnits: (2n * perPass + 1n).toString(),
      amountBaseUnits: (2n * perPass).toString(),
      matches: false,
    });
    const unbalanced = await reconcileCli('--month', month).catch((e: { code: number; stdout: string }) => e);
    expect('code' in unbalanced && unbalanced.code).toBe(1);
    expect(unbalanced.stdout.trim().split('\n').at(-1)).toBe('UNBALANCED');
  }, 180_000);

  it('month reconciliation refuses bad input: a malformed month 400, an unknown one 404, no token 401, not an admin 403', async () => {
    const url = (m: string) => `/api/v1/admin/revenue/distributions/${m}/reconciliation`;
    const bad = await request(system.app).get(url('2026-13')).set(adminAuth);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('month');
    const unknown = await request(system.app).get(url('1999-01')).set(adminAuth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('1999-01');
    await request(system.app).get(url('1999-01')).expect(401);
    const stranger = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app).get(url('1999-01')).set(stranger).expect(403);
    // The CLI says what was wrong and exits 2.
    await expect(reconcileCli('--month', '2026-13')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('month'),
    });
  });

  it('a month not split yet (draft, snapshotting) is a 409 naming its status, not an UNBALANCED verdict', async () => {
    for (const status of ['draft', 'snapshotting']) {
      const month = `${2100 + crypto.randomInt(800)}-0${status === 'draft' ? 1 : 2}`;
      // As the workflow leaves it before the snapshot: the month's amount, no pass count or per-pass amount.
      await system.sql(
        `insert into revenue_distributions (month, currency, total_revenue_base_units, share_bps,
           distribution_amount_base_units, per_pass_amount_base_units, sources, status)
         values (?, 'SOL', 1000, 5000, 500, 0, '[]', ?)`,
        [month, status],
      );
      const res = await request(system.app)
        .get(`/api/v1/admin/revenue/distributions/${month}/reconciliation`)
        .set(adminAuth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('InvalidDistributionState');
      expect(res.body.error.message).toContain(`still ${status}`);
      await expect(reconcileCli('--month', month)).rejects.toMatchObject({
        code: 2,
        stdout: '',
        stderr: expect.stringContaining(`still ${status}`),
      });
    }
  });

  it('the treasury history stops at its cap and says so, instead of silently listing less', async () => {
    const [from, to] = [fundedKeypair(chain, 1), Keypair.generate()];
    for (let i = 1n; i <= 3n; i++) {
      await sendLegacy(
        connection,
        [
          SystemProgram.transfer({
            fromPubkey: from.publicKey,
            toPubkey: to.publicKey,
            lamports: 1_000_000n * i,
          }),
        ],
        [from],
      );
    }
    const target = { treasury: to.publicKey.toBase58(), usdcMint: usdcMint.toBase58() };
    const window = { fromSeconds: 0, toSeconds: Math.floor(Date.now() / 1000) + 3600 };
    // Three signatures name this treasury.
    const whole = await treasuryIncomingTransfers(connection, target, window, 10);
    expect(whole.transfers).toHaveLength(3);
    expect(whole.scan).toMatchObject({ maxSignatures: 10, truncated: false, reachedSeconds: null });
    const capped = await treasuryIncomingTransfers(connection, target, window, 2);
    expect(capped.transfers).toHaveLength(2);
    expect(capped.scan).toMatchObject({ maxSignatures: 2, signaturesScanned: 2, truncated: true });
    expect(capped.scan.reachedSeconds).toEqual(expect.any(Number));
  });
});
