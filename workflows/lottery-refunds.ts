/**
 * `lottery-refunds:{roundId}` (DESIGN §5): pays a round's refunds owed, on an admin's
 * `payRefunds` update (one signature, or every refund owed in the round). The round's own run
 * has ended by the time refunds are paid (cancelled, or past its prize window), so this run is
 * started by the update itself (update-with-start) and ends after a quiet spell; a later
 * request starts a fresh run. Each refund goes through the exactly-once payout path under key
 * `refund:<signature>`, so two requests, a retry, a fresh run or a killed worker never pay
 * one twice: within a run one send per signature is shared by every request that names it,
 * and across runs the payout row (and its stored signed transaction) is the same one.
 */
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, RoundId } from '../src/temporal/search-attributes';
import {
  payRefundsUpdate,
  refundsStateQuery,
  type LotteryRefundsInput,
  type RefundPaid,
  type RefundsState,
} from './lottery.api';
import { databaseStep, payoutSend } from './activity-options';

const { listRefundsToPay, recordRefundPayout } = proxyActivities<Activities>(databaseStep);
const { sendPayout } = proxyActivities<Activities>(payoutSend);

/** How long the run waits for another request after the last one finished (a retry joins it). */
const QUIET_SPELL = '5 minutes';

export async function lotteryRefunds(input: LotteryRefundsInput): Promise<RefundsState> {
  const paid = new Map<string, RefundPaid>();
  /** The send in progress per signature: a second request for it waits for the same one. */
  const sending = new Map<string, Promise<RefundPaid>>();
  let requests = 0;

  const state = (): RefundsState => ({
    roundId: input.roundId,
    paid: [...paid.values()],
    sending: [...sending.keys()].filter((signature) => !paid.has(signature)),
  });

  const payRefund = (signature: string): Promise<RefundPaid> => {
    const known = sending.get(signature);
    if (known) return known;
    const send = (async () => {
      const refund = await recordRefundPayout(input.roundId, signature);
      const sent = await sendPayout(refund.payoutKey);
      const done: RefundPaid = {
        signature,
        payoutKey: sent.key,
        recipient: sent.recipient,
        currency: sent.currency,
        amountBaseUnits: sent.amountBaseUnits,
        payoutSignature: sent.signature,
      };
      paid.set(signature, done);
      return done;
    })();
    sending.set(signature, send);
    // A failed send (e.g. PayoutFailed) is forgotten so a later request tries it again.
    send.catch(() => sending.delete(signature));
    return send;
  };

  setHandler(refundsStateQuery, state);

  setHandler(payRefundsUpdate, async (request) => {
    requests += 1;
    const owed = await listRefundsToPay(input.roundId, request.signature);
    const refunds = await Promise.all(owed.map((refund) => payRefund(refund.signature)));
    return { roundId: input.roundId, refunds };
  });

  upsertSearchAttributes([
    { key: RoundId, value: input.roundId },
    { key: BusinessStatus, value: 'paying' },
  ]);
  // Serve requests until a quiet spell passes with none arriving and none in progress.
  let seen = -1;
  while (seen !== requests) {
    seen = requests;
    await condition(allHandlersFinished);
    await condition(() => requests !== seen, QUIET_SPELL);
  }
  await condition(allHandlersFinished);
  upsertSearchAttributes([{ key: BusinessStatus, value: 'idle' }]);
  return state();
}
