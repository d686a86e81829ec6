/** The create-round form: amounts typed in SOL/USDC, sent as exact base units. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '@/api/client';
import { keys } from '@/api/queries';
import { ActionDialog } from '@/components/action-dialog';
import { AmountField, Field } from '@/components/field';
import { Input } from '@/components/ui/input';
import { parseAmountInput } from '@/lib/amount';
import { roundIdProblem } from '../../../../src/domain/lottery/vocabulary';

/** A datetime-local value ("2026-02-01T12:00", local time) for `date`. */
const localInput = (date: Date) => {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};
const isoOf = (local: string) => (local ? new Date(local).toISOString() : null);

export function CreateRoundDialog() {
  const navigate = useNavigate();
  const now = new Date();
  const [form, setForm] = useState({
    id: '',
    prizePool: '',
    priceSol: '',
    priceUsdc: '',
    ticketsPerBurn: '1',
    start: localInput(now),
    end: localInput(new Date(now.getTime() + 7 * 86_400_000)),
    drawing: '',
  });
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const prize = parseAmountInput(form.prizePool, 'SOL');
  const priceSol = parseAmountInput(form.priceSol, 'SOL', { positive: true });
  const priceUsdc = parseAmountInput(form.priceUsdc, 'USDC', { positive: true });
  const start = isoOf(form.start);
  const end = isoOf(form.end);
  const drawing = isoOf(form.drawing);
  const perBurn = /^\d{1,4}$/.test(form.ticketsPerBurn) && Number(form.ticketsPerBurn) <= 1000;
  const idOk = form.id === '' || roundIdProblem(form.id) === undefined;
  const windowError = start && end && end <= start ? 'must be after the start' : null;
  const drawingError = drawing && end && drawing < end ? 'must not be before the end of sales' : null;
  const valid =
    prize.ok &&
    priceSol.ok &&
    priceUsdc.ok &&
    start &&
    end &&
    !windowError &&
    !drawingError &&
    perBurn &&
    idOk;

  return (
    <ActionDialog
      label="Create round"
      title="Create a lottery round"
      description="Starts the round's workflow. Its seed commitment is published at once; sales open at the start time."
      confirmLabel="Create round"
      canConfirm={Boolean(valid)}
      invalidate={[keys.lottery, keys.overview]}
      run={() =>
        unwrap(
          api.POST('/api/v1/admin/lottery/rounds', {
            body: {
              id: form.id || undefined,
              prizePoolLamports: prize.ok ? prize.value.toString() : undefined,
              ticketPriceLamports: priceSol.ok ? priceSol.value.toString() : '',
              ticketPriceUsdc: priceUsdc.ok ? priceUsdc.value.toString() : '',
              ticketsPerBurn: Number(form.ticketsPerBurn),
              startDate: start ?? '',
              endDate: end ?? '',
              drawingDate: drawing ?? undefined,
            },
          }),
        )
      }
      success={(round) => `Round ${round.id} created`}
      onDone={(round) => void navigate(`/lottery/${round.id}`)}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Round id (optional)"
          hint="Letters, digits, - and _; generated if empty"
          error={idOk ? null : '1..50 letters, digits, "-" or "_"'}
        >
          <Input value={form.id} onChange={(e) => set('id')(e.target.value)} autoComplete="off" />
        </Field>
        <AmountField label="Prize pool" currency="SOL" value={form.prizePool} onChange={set('prizePool')} />
        <AmountField
          label="Ticket price"
          currency="SOL"
          value={form.priceSol}
          onChange={set('priceSol')}
          positive
        />
        <AmountField
          label="Ticket price"
          currency="USDC"
          value={form.priceUsdc}
          onChange={set('priceUsdc')}
          positive
        />
        <Field label="Tickets per burned NFT" error={perBurn ? null : 'a whole number 0..1000'}>
          <Input
            inputMode="numeric"
            value={form.ticketsPerBurn}
            onChange={(e) => set('ticketsPerBurn')(e.target.value)}
          />
        </Field>
        <Field label="Sales start (local time)">
          <Input type="datetime-local" value={form.start} onChange={(e) => set('start')(e.target.value)} />
        </Field>
        <Field label="Sales end (local time)" error={windowError}>
          <Input type="datetime-local" value={form.end} onChange={(e) => set('end')(e.target.value)} />
        </Field>
        <Field
          label="Drawing date (optional)"
          hint="Empty: draw when an admin presses Draw"
          error={drawingError}
        >
          <Input
            type="datetime-local"
            value={form.drawing}
            onChange={(e) => set('drawing')(e.target.value)}
          />
        </Field>
      </div>
    </ActionDialog>
  );
}
