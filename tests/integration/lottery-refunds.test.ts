/**
 * Refunds are paid, exactly once (issue 15 rule 5): the admin routes send `payRefunds` to
 * `lottery-refunds:{roundId}` (update-with-start), which pays each refund owed through the
 * payout path (key `refund:<signature>`) to the payer, in the payment's currency. Real
 * signed payments on the local chain, the real worker, balances read on chain.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import request from 'supertest';
import { SystemProgram, type Connection, type Keypair, type PublicKey } from '@solana/web3.js';
import { createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import type { LocalChain } from '../../src/chain/local';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { startTestWorker, type TestSystem } from '../support/harness';
import { startLotteryTestbed, type LotteryTestbed } from '../support/lottery-testbed';
import { fundedKeypair, sendLegacy, tokenAccountWith, SOL } from '../support/chain-fixtures';
import { recordHistory, replayRuns } from '../support/replay';
import { startWorkerProcess } from '../support/worker-process';
import { signIn, walletOf } from '../support/wallet';

const PRICE_SOL = SOL / 100n; // 0.01 SOL
const PRICE_USDC = 1_000_000n; // 1 USDC

interface Payment {
  keypair: Keypair;
  signature: string;
  currency: 'SOL' | 'USDC';
}

describe('lottery refunds (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let mintAuthority: Keypair;
  let usdcMint: PublicKey;
  let treasury: Keypair;
  let treasuryUsdc: PublicKey;
  /** On a database of its own: its rounds' sales windows would overlap other suites'. */
  let bed: LotteryTestbed | undefined;
  let adminAuth: { Authorization: string };

  beforeAll(async () => {
    bed = await startLotteryTestbed({
      name: 'refunds',
      ownDatabase: true,
      // The payout signer pays USDC refunds from its own token account.
      payerUsdc: 1_000n * PRICE_USDC,
      env: {
        LOTTERY_PENDING_POLL: '200ms',
        RATE_LIMIT_API_PER_MINUTE: '100000',
        RATE_LIMIT_AUTH_IP_PER_MINUTE: '10000',
        RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '10000',
      },
    });
    ({ chain, connection, system, mintAuthority, usdcMint, treasury, treasuryUsdc, adminAuth } = bed);
    worker = await startTestWorker(system);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await bed?.close();
  });

  async function createRound(): Promise<string> {
    const res = await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: PRICE_USDC.toString(),
      });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    return res.body.id as string;
  }

  const cancel = async (roundId: string) => {
    const res = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/cancel`)
      .set(adminAuth)
      .send({ reason: 'refund test' });
    expect(res.status).toBe(200);
  };

  async function buyer(): Promise<Keypair> {
    const keypair = fundedKeypair(chain, 5);
    await tokenAccountWith(connection, mintAuthority, usdcMint, keypair.publicKey, 10n * PRICE_USDC);
    return keypair;
  }

  /** Pays `amount` to the treasury and submits it for one ticket of `roundId`. */
  async function buy(roundId: string, currency: 'SOL' | 'USDC', amount: bigint, keypair?: Keypair) {
    const payer = keypair ?? (await buyer());
    const signature =
      currency === 'SOL'
        ? await sendLegacy(
            connection,
            [
              SystemProgram.transfer({
                fromPubkey: payer.publicKey,
                toPubkey: treasury.publicKey,
                lamports: amount,
              }),
            ],
            [payer],
          )
        : await sendLegacy(
            connection,
            [
              createTransferCheckedInstruction(
                getAssociatedTokenAddressSync(usdcMint, payer.publicKey),
                usdcMint,
                treasuryUsdc,
                payer.publicKey,
                amount,
                6,
              ),
            ],
            [payer],
          );
    const token = await signIn(system.app, walletOf(payer.secretKey));
    const res = await request(system.app)
      .post('/api/v1/lottery/purchase')
      .set({ Authorization: `Bearer ${token}` })
      .send({
        walletAddress: payer.publicKey.toBase58(),
        ticketCount: 1,
        paymentMethod: currency,
        transactionSignature: signature,
        roundId,
      });
    return { payment: { keypair: payer, signature, currency } as Payment, res };
  }

  /** The payer's balance on chain in the payment's currency (lamports or USDC base units). */
  async function balance(p: Payment): Promise<bigint> {
    if (p.currency === 'SOL') return BigInt(await connection.getBalance(p.keypair.publicKey, 'confirmed'));
    const account = getAssociatedTokenAddressSync(usdcMint, p.keypair.publicKey);
    return BigInt((await connection.getTokenAccountBalance(account, 'confirmed')).value.amount);
  }
  const balances = (payments: Payment[]) => Promise.all(payments.map(balance));

  const payOne = (roundId: string, signature: string) =>
    request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${roundId}/refunds/${signature}/pay`)
      .set(adminAuth)
      .send({});
  const payAll = (roundId: string) =>
    request(system.app).post(`/api/v1/admin/lottery/rounds/${roundId}/refunds/pay`).set(adminAuth).send({});
  const refundsOf = async (roundId: string) =>
    (
      await request(system.app)
        .get('/api/v1/admin/lottery/refunds')
        .query({ roundId })
        .set(adminAuth)
        .expect(200)
    ).body.refunds as {
      signature: string;
      refundOwedBaseUnits: string;
      refundState: string;
      refundPayoutKey: string | null;
      refundPayoutSignature: string | null;
    }[];
  const refundPayouts = (roundId: string) =>
    system.sql<{ key: string; status: string; amount: string; recipient: string; currency: string }>(
      `select p.key, p.status, p.amount_base_units::text amount, p.recipient, p.currency from payouts p
         join chain_receipts r on r.refund_payout_key = p.key where r.round_id = ? order by p.key`,
      [roundId],
    );

  let firstRound: string;
  let accepted: Payment;

  it('pays one refund (an underpayment) to its payer exactly once; paying it again changes nothing', async () => {
    firstRound = await createRound();
    const exact = await buy(firstRound, 'SOL', PRICE_SOL);
    expect(exact.res.status).toBe(200);
    accepted = exact.payment;
    const under = await buy(firstRound, 'SOL', PRICE_SOL / 2n);
    expect(under.res.status).toBe(422);
    const owed = PRICE_SOL / 2n;

    const listedOwed = await refundsOf(firstRound);
    expect(listedOwed).toEqual([
      expect.objectContaining({
        signature: under.payment.signature,
        refundOwedBaseUnits: owed.toString(),
        refundState: 'owed',
        refundPayoutKey: null,
        refundPayoutSignature: null,
      }),
    ]);

    const before = await balance(under.payment);
    const paid = await payOne(firstRound, under.payment.signature);
    expect({ status: paid.status, error: paid.body.error }).toEqual({ status: 200, error: undefined });
    expect(paid.body).toEqual({
      roundId: firstRound,
      refunds: [
        {
          signature: under.payment.signature,
          payoutKey: `refund:${under.payment.signature}`,
          recipient: under.payment.keypair.publicKey.toBase58(),
          currency: 'SOL',
          amountBaseUnits: owed.toString(),
          payoutSignature: expect.any(String),
        },
      ],
    });
    expect((await balance(under.payment)) - before).toBe(owed);

    // Twice more, at once: answered as paid with the same transaction; nothing moves.
    const again = await Promise.all([
      payOne(firstRound, under.payment.signature),
      payOne(firstRound, under.payment.signature),
    ]);
    for (const res of again) {
      expect(res.status).toBe(200);
      expect(res.body.refunds[0].payoutSignature).toBe(paid.body.refunds[0].payoutSignature);
    }
    expect((await balance(under.payment)) - before).toBe(owed);
    expect(await refundPayouts(firstRound)).toEqual([
      {
        key: `refund:${under.payment.signature}`,
        status: 'confirmed',
        amount: owed.toString(),
        recipient: under.payment.keypair.publicKey.toBase58(),
        currency: 'SOL',
      },
    ]);
    expect(await refundsOf(firstRound)).toEqual([
      expect.objectContaining({
        signature: under.payment.signature,
        refundState: 'paid',
        refundPayoutKey: `refund:${under.payment.signature}`,
        refundPayoutSignature: paid.body.refunds[0].payoutSignature,
      }),
    ]);
  }, 120_000);

  it('refuses bad input on both routes with a clear 4xx and pays nothing', async () => {
    const bad = await payOne(firstRound, 'not-a-signature');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('signature');
    const badRound = await payAll('bad.round');
    expect(badRound.status).toBe(400);
    expect((await payAll('round-missing')).status).toBe(404);
    const missingRound = await payOne('round-missing', accepted.signature);
    expect(missingRound.status).toBe(404);
    expect(missingRound.body.error.message).toBe('round round-missing does not exist');
    // A receipt owed nothing (an exact purchase in a live round): 409 NoRefundOwed.
    const notOwed = await payOne(firstRound, accepted.signature);
    expect(notOwed.status).toBe(409);
    expect(notOwed.body.error.code).toBe('NoRefundOwed');
    // A signature never submitted for this round: 404 RefundNotFound.
    const neverSubmitted = await payOne(firstRound, bs58.encode(crypto.randomBytes(64)));
    expect(neverSubmitted.status).toBe(404);
    expect(neverSubmitted.body.error.code).toBe('RefundNotFound');
    const noBody = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${firstRound}/refunds/pay`)
      .set(adminAuth)
      .send({ extra: 1 });
    expect(noBody.status).toBe(400);
    const anonymous = await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${firstRound}/refunds/pay`)
      .send({});
    expect(anonymous.status).toBe(401);
    expect(await refundPayouts(firstRound)).toHaveLength(1);
  }, 60_000);

  it('refunds everyone of a cancelled round, SOL and USDC, each exactly the amount owed; again changes nothing', async () => {
    const usdc = await buy(firstRound, 'USDC', PRICE_USDC);
    expect(usdc.res.status).toBe(200);
    await cancel(firstRound);
    const owedNow = [accepted, usdc.payment];
    const before = await balances(owedNow);
    const paid = await payAll(firstRound);
    expect({ status: paid.status, error: paid.body.error }).toEqual({ status: 200, error: undefined });
    expect(paid.body.refunds).toHaveLength(3); // the underpayment (already paid) and both purchases
    const after = await balances(owedNow);
    expect(after.map((b, i) => b - before[i]!)).toEqual([PRICE_SOL, PRICE_USDC]);

    const again = await payAll(firstRound);
    expect(again.status).toBe(200);
    expect(again.body.refunds.map((r: { payoutSignature: string }) => r.payoutSignature).sort()).toEqual(
      paid.body.refunds.map((r: { payoutSignature: string }) => r.payoutSignature).sort(),
    );
    expect(await balances(owedNow)).toEqual(after);
    const payouts = await refundPayouts(firstRound);
    expect(payouts.map((p) => [p.currency, p.amount, p.status])).toEqual(
      expect.arrayContaining([
        ['SOL', PRICE_SOL.toString(), 'confirmed'],
        ['USDC', PRICE_USDC.toString(), 'confirmed'],
        ['SOL', (PRICE_SOL / 2n).toString(), 'confirmed'],
      ]),
    );
    expect(payouts).toHaveLength(3);
    expect((await refundsOf(firstRound)).map((r) => r.refundState)).toEqual(['paid', 'paid', 'paid']);
    await replayRuns(system.resources.temporal, [workflowIds.lotteryRefunds(firstRound)]);
    await recordHistory(system, workflowIds.lotteryRefunds(firstRound), 'lotteryRefunds-paid');
  }, 120_000);

  it('a worker killed (SIGKILL) mid-refund-run: after a restart every refund is paid exactly once', async () => {
    const roundId = await createRound();
    const payments: Payment[] = [];
    for (const currency of ['SOL', 'USDC', 'SOL', 'USDC', 'SOL', 'SOL'] as const) {
      const bought = await buy(roundId, currency, currency === 'SOL' ? PRICE_SOL : PRICE_USDC);
      expect(bought.res.status).toBe(200);
      payments.push(bought.payment);
    }
    await cancel(roundId);
    const before = await balances(payments);

    // The in-process worker steps aside for a worker process we can kill outright.
    await worker!.close();
    worker = undefined;
    const doomed = await startWorkerProcess(system);
    const firstAnswer = payAll(roundId).then((res) => res.status);
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      if ((await refundPayouts(roundId)).length > 0) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    const atKill = await refundPayouts(roundId);
    await doomed.kill();
    expect(atKill.filter((p) => p.status === 'confirmed').length).toBeLessThan(payments.length);
    worker = await startTestWorker(system);

    // The first request may have outlived its wait (503); asking again joins the same run.
    let status = await firstAnswer;
    const deadline = Date.now() + 150_000;
    while (status !== 200 && Date.now() < deadline) {
      expect(status).toBe(503);
      status = (await payAll(roundId)).status;
    }
    expect(status).toBe(200);

    const owed = payments.map((p) => (p.currency === 'SOL' ? PRICE_SOL : PRICE_USDC));
    const after = await balances(payments);
    expect(after.map((b, i) => b - before[i]!)).toEqual(owed);
    const payouts = await refundPayouts(roundId);
    expect(payouts).toHaveLength(payments.length);
    expect(payouts.every((p) => p.status === 'confirmed')).toBe(true);
    // Once more after the restart: nothing moves.
    expect((await payAll(roundId)).status).toBe(200);
    expect(await balances(payments)).toEqual(after);
  }, 240_000);
});
