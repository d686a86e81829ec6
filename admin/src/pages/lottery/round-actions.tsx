/** A round's state changes, each a workflow update behind a confirmation. */
import { useState } from 'react';
import { api, unwrap, type Schemas } from '@/api/client';
import { keys } from '@/api/queries';
import { ActionDialog } from '@/components/action-dialog';
import { CancelAction } from '@/components/cancel-action';
import { AmountField } from '@/components/field';
import { parseAmountInput, withCurrency } from '@/lib/amount';

type Round = Schemas['AdminLotteryRound'];
const path = { params: { path: { id: '' } } };
const refresh = [keys.lottery, keys.overview];

export function RoundActions({ round }: { round: Round }) {
  const p = { ...path, params: { path: { id: round.id } } };
  const selling = round.status === 'scheduled' || round.status === 'active';
  const frozen = round.frozenAt !== null;
  const [prizePool, setPrizePool] = useState('');
  const newPrize = parseAmountInput(prizePool, 'SOL');
  return (
    <>
      <ActionDialog
        label="Close sales"
        title={`Close sales of ${round.id}?`}
        description="Ends ticket sales now. The ticket set is frozen once pending payments settle; payments after that are recorded late and owed refunds."
        disabled={!selling}
        disabledReason="Only a scheduled or active round can be closed"
        run={() => unwrap(api.POST('/api/v1/admin/lottery/rounds/{id}/close', { ...p, body: {} }))}
        success={(s) => `Round ${round.id} is ${s.status}: sales are closed`}
        invalidate={refresh}
      />
      <ActionDialog
        label="Draw"
        title={`Draw the winner of ${round.id}?`}
        description="Waits for the frozen ticket set and the beacon blockhash, then draws from the committed seed. The seed is revealed and anyone can verify the result."
        disabled={!(round.status === 'closing' || round.status === 'drawing')}
        disabledReason="Close sales first; a round is drawn once"
        run={() => unwrap(api.POST('/api/v1/admin/lottery/rounds/{id}/draw', { ...p, body: {} }))}
        success={(d) =>
          d.winnerTicket === null
            ? 'Drawn: the round had no tickets'
            : `Drawn: ticket #${d.winnerTicket} of ${d.ticketCount} wins`
        }
        invalidate={refresh}
      />
      <ActionDialog
        label="Pay prize"
        title={`Pay the prize of ${round.id}?`}
        description={`Sends ${withCurrency(round.prizePoolLamports, 'SOL')} to ${round.winnerWallet ?? 'the winner'}, exactly once (payout key prize:${round.id}).`}
        disabled={!(round.status === 'completed' && round.winnerWallet && !round.prizePayoutKey)}
        disabledReason={round.prizePayoutKey ? 'The prize has been paid' : 'Draw the round first'}
        run={() => unwrap(api.POST('/api/v1/admin/lottery/rounds/{id}/pay-prize', { ...p, body: {} }))}
        success={(prize) => `Prize paid: ${withCurrency(prize.amountBaseUnits, 'SOL')} in ${prize.signature}`}
        invalidate={refresh}
      />
      <ActionDialog
        label="Prize pool"
        variant="outline"
        title="Change the prize pool"
        description={`Now ${withCurrency(round.prizePoolLamports, 'SOL')}. It can change until the draw.`}
        disabled={round.status === 'completed' || round.status === 'cancelled'}
        disabledReason="The prize pool is fixed after the draw"
        canConfirm={newPrize.ok}
        run={() =>
          unwrap(
            api.POST('/api/v1/admin/lottery/rounds/{id}/prize-pool', {
              ...p,
              body: { prizePoolLamports: newPrize.ok ? newPrize.value.toString() : '' },
            }),
          )
        }
        success={(s) => `Prize pool is now ${withCurrency(s.prizePoolLamports, 'SOL')}`}
        invalidate={refresh}
      >
        <AmountField label="New prize pool" currency="SOL" value={prizePool} onChange={setPrizePool} />
      </ActionDialog>
      <CancelAction
        label="Cancel round"
        title={`Cancel ${round.id}?`}
        description="Accepted payments become refunds owed. A round can be cancelled only before its ticket set is frozen."
        disabled={!selling && !(round.status === 'closing' && !frozen)}
        disabledReason="The ticket set is frozen: the round can no longer be cancelled"
        confirmLabel="Cancel round"
        cancel={(reason) =>
          unwrap(api.POST('/api/v1/admin/lottery/rounds/{id}/cancel', { ...p, body: { reason } }))
        }
        success={() => `Round ${round.id} cancelled`}
        invalidate={refresh}
      />
    </>
  );
}
