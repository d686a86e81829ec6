/**
 * Paying a round's refunds, each a `payRefunds` workflow update behind a confirmation: one
 * refund, or every refund owed ("Refund everyone" on a cancelled round). Each is paid exactly
 * once (payout key refund:<signature>); paying a paid one again changes nothing.
 */
import { api, unwrap, type Schemas } from '@/api/client';
import { keys } from '@/api/queries';
import { ActionDialog } from '@/components/action-dialog';
import { withCurrency, type Currency } from '@/lib/amount';

type Round = Schemas['AdminLotteryRound'];
type Refund = Schemas['LotteryRefund'];
const refresh = [keys.lottery, keys.overview];

const payable = (r: Refund) => r.currency !== null && BigInt(r.refundOwedBaseUnits) > 0n;
const unpaid = (r: Refund) => payable(r) && r.refundState !== 'paid';

export function PayRefundAction({ refund }: { refund: Refund }) {
  const owed = refund.currency ? withCurrency(refund.refundOwedBaseUnits, refund.currency as Currency) : '—';
  return (
    <ActionDialog
      label="Pay refund"
      variant="outline"
      title="Pay this refund?"
      description={`Sends ${owed} to ${refund.walletAddress}, the wallet that paid, exactly once (payout key refund:${refund.signature}).`}
      disabled={!unpaid(refund) || refund.roundId === null}
      disabledReason={payable(refund) ? 'Paid' : 'Nothing is owed back for this one'}
      run={() =>
        unwrap(
          api.POST('/api/v1/admin/lottery/rounds/{id}/refunds/{signature}/pay', {
            params: { path: { id: refund.roundId ?? '', signature: refund.signature } },
            body: {},
          }),
        )
      }
      success={(paid) => `Refund paid in ${paid.refunds[0]?.payoutSignature ?? 'its payout'}`}
      invalidate={refresh}
    />
  );
}

export function PayAllRefundsAction({ round, refunds }: { round: Round; refunds: Refund[] | undefined }) {
  const toPay = (refunds ?? []).filter(unpaid);
  const cancelled = round.status === 'cancelled';
  return (
    <ActionDialog
      label={cancelled ? 'Refund everyone' : 'Pay all refunds'}
      title={
        cancelled ? `Refund everyone who paid into ${round.id}?` : `Pay every refund owed in ${round.id}?`
      }
      description={`Pays ${toPay.length} refund(s) still owed (${withCurrency(round.refundsOwedLamports, 'SOL')} and ${withCurrency(round.refundsOwedUsdc, 'USDC')} owed in all), each to the wallet that paid, exactly once. Refunds already paid are not paid again.`}
      disabled={toPay.length === 0}
      disabledReason="No refund is owed"
      run={() =>
        unwrap(
          api.POST('/api/v1/admin/lottery/rounds/{id}/refunds/pay', {
            params: { path: { id: round.id } },
            body: {},
          }),
        )
      }
      success={(paid) => `${paid.refunds.length} refund(s) paid`}
      invalidate={refresh}
    />
  );
}
