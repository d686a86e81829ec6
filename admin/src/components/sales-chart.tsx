/** Tickets issued over time (recharts; loaded with the overview only). */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Schemas } from '@/api/client';
import { withCurrency } from '@/lib/amount';

type Point = Schemas['TicketSales']['points'][number];

const label = (iso: string, bucket: 'hour' | 'day') =>
  bucket === 'day' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

export default function SalesChart({ points, bucket }: { points: Point[]; bucket: 'hour' | 'day' }) {
  const total = points.reduce((n, p) => n + p.tickets, 0);
  return (
    <figure className="flex flex-col gap-2">
      <div className="h-64 w-full" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="at"
              tickFormatter={(v: string) => label(v, bucket)}
              fontSize={12}
              minTickGap={16}
            />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip
              labelFormatter={(v) => `${label(String(v), bucket)} UTC`}
              formatter={(value, _name, item) => {
                const p = item.payload as Point;
                return [
                  `${String(value)} tickets (${p.burned} by burns) · ${withCurrency(p.lamports, 'SOL')} · ${withCurrency(p.usdcBaseUnits, 'USDC')}`,
                  'Sold',
                ];
              }}
            />
            <Bar
              dataKey="tickets"
              name="Tickets"
              fill="var(--color-primary)"
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-muted-foreground text-sm">
        {total} tickets issued in the last{' '}
        {bucket === 'day' ? '30 days, per UTC day' : '48 hours, per UTC hour'}.
      </figcaption>
    </figure>
  );
}
