/**
 * Preview of a revenue CSV upload: the same parser the API runs (src/domain/revenue/sources-csv.ts),
 * plus the checks the API makes on the whole set (duplicate names, total within u64), so the
 * preview marks every row the API would refuse before anything is sent.
 */
import { MAX_BASE_UNITS, type Currency } from '../../../src/domain/money';
import { parseSourcesCsv, type SourceCsvRow } from '../../../src/domain/revenue/sources-csv';

export interface CsvPreview {
  rows: SourceCsvRow[];
  /** Problems of the file as a whole (no rows, total too large). */
  fileErrors: string[];
  total: bigint;
  ok: boolean;
}

export function previewRevenueCsv(text: string, currency: Currency): CsvPreview {
  const parsed = parseSourcesCsv(text, currency);
  const seen = new Set<string>();
  const rows = parsed.rows.map((r) => {
    if (r.error !== null) return r;
    if (seen.has(r.name)) return { ...r, amountBaseUnits: null, error: `"${r.name}" is listed twice` };
    seen.add(r.name);
    return r;
  });
  const total = rows.reduce(
    (sum, r) => sum + (r.amountBaseUnits === null ? 0n : BigInt(r.amountBaseUnits)),
    0n,
  );
  const fileErrors = parsed.errors.filter((e) => e.row === 0).map((e) => e.message);
  if (total > MAX_BASE_UNITS) fileErrors.push('the total is larger than the largest on-chain amount');
  return { rows, fileErrors, total, ok: fileErrors.length === 0 && rows.every((r) => r.error === null) };
}
