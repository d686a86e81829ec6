/** Upload a month's revenue: sources typed in, or a CSV previewed row by row before sending. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { api, ApiError, unwrap } from '@/api/client';
import { keys } from '@/api/queries';
import { AmountField, Field } from '@/components/field';
import { Section } from '@/components/page';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import {
  displayAmount,
  parseAmountInput,
  parseSharePercent,
  withCurrency,
  type Currency,
} from '@/lib/amount';
import { previewRevenueCsv } from '@/lib/revenue-csv';
import { useAction } from '@/lib/use-action';
import { isMonth } from '../../../../src/domain/values';

type Source = { name: string; amount: string };

export function UploadMonth() {
  const navigate = useNavigate();
  const [month, setMonth] = useState('');
  const [currency, setCurrency] = useState<Currency>('SOL');
  const [share, setShare] = useState('50');
  const [mode, setMode] = useState<'form' | 'csv'>('form');
  const [sources, setSources] = useState<Source[]>([{ name: '', amount: '' }]);
  const [csv, setCsv] = useState('');
  const [serverRows, setServerRows] = useState<{ row: number; message: string }[]>([]);

  const shareBps = parseSharePercent(share);
  const monthOk = isMonth(month);
  const parsedSources = sources.map((s) => ({
    name: s.name.trim(),
    amount: parseAmountInput(s.amount, currency),
  }));
  const formOk = parsedSources.every((s) => s.name !== '' && s.amount.ok);
  const preview = previewRevenueCsv(csv, currency);
  const ready = monthOk && shareBps.ok && (mode === 'form' ? formOk : preview.ok);

  const upload = useAction({
    run: () =>
      unwrap(
        api.POST('/api/v1/admin/revenue/distributions', {
          body: {
            month,
            currency,
            shareBps: shareBps.ok ? shareBps.value : 0,
            ...(mode === 'csv'
              ? { csv }
              : {
                  sources: parsedSources.map((s) => ({
                    name: s.name,
                    amountBaseUnits: s.amount.ok ? s.amount.value.toString() : '',
                  })),
                }),
          },
        }),
      ),
    success: (d) => `Distribution ${d.month} created: snapshotting Revenue Pass holders`,
    invalidate: [keys.revenue, keys.overview],
    onSuccess: (d) => void navigate(`/revenue/${d.month}`),
  });
  const rowsOf = (err: Error | null) =>
    err instanceof ApiError
      ? ((err.details as { rows?: { row: number; message: string }[] } | undefined)?.rows ?? [])
      : [];

  return (
    <Section
      title="Upload a month"
      description="Revenue sources in whole units of the currency; the holders' share is taken from their total."
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          setServerRows([]);
          upload.mutate(undefined, { onError: (err) => setServerRows(rowsOf(err)) });
        }}
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Month" error={month && !monthOk ? 'a month as YYYY-MM' : null}>
            <Input
              type="month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
              placeholder="2026-02"
            />
          </Field>
          <Field label="Currency">
            <Select value={currency} onValueChange={(v) => setCurrency(v as Currency)}>
              <SelectTrigger aria-label="Currency">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="SOL">SOL</SelectItem>
                <SelectItem value="USDC">USDC</SelectItem>
              </SelectContent>
            </Select>
          </Field>
          <Field label="Holders' share (%)" error={shareBps.ok ? null : shareBps.error}>
            <Input inputMode="decimal" value={share} onChange={(e) => setShare(e.target.value)} />
          </Field>
        </div>
        <Tabs value={mode} onValueChange={(v) => setMode(v as 'form' | 'csv')}>
          <TabsList aria-label="How to enter the sources">
            <TabsTrigger value="form">Enter sources</TabsTrigger>
            <TabsTrigger value="csv">Paste or load a CSV</TabsTrigger>
          </TabsList>
          <TabsContent value="form" className="flex flex-col gap-3">
            {sources.map((s, i) => (
              <div key={i} className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_auto]">
                <Field label={`Source ${i + 1} name`}>
                  <Input
                    value={s.name}
                    onChange={(e) =>
                      setSources((all) => all.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
                    }
                    placeholder="Royalties"
                  />
                </Field>
                <AmountField
                  label={`Source ${i + 1} amount`}
                  currency={currency}
                  value={s.amount}
                  onChange={(amount) =>
                    setSources((all) => all.map((x, j) => (j === i ? { ...x, amount } : x)))
                  }
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  className="sm:mt-6"
                  aria-label={`Remove source ${i + 1}`}
                  disabled={sources.length === 1}
                  onClick={() => setSources((all) => all.filter((_, j) => j !== i))}
                >
                  <Trash2Icon />
                </Button>
              </div>
            ))}
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="w-fit"
              onClick={() => setSources((all) => [...all, { name: '', amount: '' }])}
            >
              <PlusIcon aria-hidden /> Add a source
            </Button>
          </TabsContent>
          <TabsContent value="csv" className="flex flex-col gap-3">
            <Field
              label="CSV (name,amount per line; a header line is optional)"
              hint="Amounts in whole units, e.g. Royalties,12.5"
            >
              <Textarea
                rows={5}
                value={csv}
                onChange={(e) => setCsv(e.target.value)}
                className="font-mono"
                placeholder={'name,amount\nRoyalties,12.5\nMerch,3'}
              />
            </Field>
            <Field label="Or load a file">
              <Input
                type="file"
                accept=".csv,text/csv,text/plain"
                onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)}
              />
            </Field>
            {csv.trim() !== '' && (
              <div className="flex flex-col gap-2">
                <Table aria-label="CSV preview">
                  <TableHeader>
                    <TableRow>
                      <TableHead>Row</TableHead>
                      <TableHead>Name</TableHead>
                      <TableHead>Amount</TableHead>
                      <TableHead>Check</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {preview.rows.map((r) => (
                      <TableRow key={r.row} className={r.error ? 'bg-red-50' : undefined}>
                        <TableCell>{r.row}</TableCell>
                        <TableCell className="break-all">{r.name}</TableCell>
                        <TableCell className="tabular-nums">
                          {r.amountBaseUnits ? withCurrency(r.amountBaseUnits, currency) : r.amountText}
                        </TableCell>
                        <TableCell className={r.error ? 'text-red-800' : 'text-emerald-800'}>
                          {r.error ?? 'ok'}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <p className="text-sm" role="status">
                  {preview.ok
                    ? `${preview.rows.length} rows, total ${displayAmount(preview.total, currency)} ${currency}`
                    : `${preview.rows.filter((r) => r.error).length + preview.fileErrors.length} problem(s) to fix before uploading. ${preview.fileErrors.join('; ')}`}
                </p>
              </div>
            )}
          </TabsContent>
        </Tabs>
        {serverRows.length > 0 && (
          <ul role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900">
            {serverRows.map((r) => (
              <li key={r.row}>
                Row {r.row}: {r.message}
              </li>
            ))}
          </ul>
        )}
        <Button type="submit" className="w-fit" disabled={!ready || upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload month'}
        </Button>
      </form>
    </Section>
  );
}

/** The Revenue Pass hash list: which mints earn a share. */
export function ImportPasses() {
  const [text, setText] = useState('');
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const importing = useAction({
    run: () => unwrap(api.POST('/api/v1/admin/revenue/passes', { body: { csv: text } })),
    success: (r) => `Hash list imported: ${r.added} added, ${r.alreadyListed} already listed`,
    onSuccess: () => setText(''),
  });
  return (
    <Section
      title="Revenue Pass hash list"
      description="Only listed mints are snapshotted and earn a share. Importing again adds what is new."
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          importing.mutate();
        }}
      >
        <Field label="Mint addresses, one per line" hint={`${lines.length} line(s)`}>
          <Textarea
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="font-mono text-xs"
          />
        </Field>
        <Button
          type="submit"
          variant="secondary"
          className="w-fit"
          disabled={lines.length === 0 || importing.isPending}
        >
          Import mints
        </Button>
      </form>
    </Section>
  );
}
