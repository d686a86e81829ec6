/**
 * A month's revenue sources as `name,amount` CSV (amount in whole units of the month's
 * currency, e.g. `Royalties,12.5`), parsed exactly (base units, no floats) with an error per
 * bad row. Pure: the API uses it to accept an upload and the dashboard to preview one, so the
 * preview shows exactly the rows the API would refuse.
 */
import { parseAmount, type Currency } from '../money';
import { MAX_SOURCE_NAME_LENGTH } from './distribution';

export interface SourceCsvRow {
  /** 1-based among the non-blank rows after the optional header. */
  row: number;
  name: string;
  amountText: string;
  /** Base units as a decimal string, or null when the row is invalid. */
  amountBaseUnits: string | null;
  error: string | null;
}

export interface SourcesCsv {
  rows: SourceCsvRow[];
  /** The valid rows as sources (what the API stores when `errors` is empty). */
  sources: { name: string; amountBaseUnits: string }[];
  /** One entry per invalid row; row 0 = the file as a whole. */
  errors: { row: number; message: string }[];
}

const HEADER = 'name,amount';

export function parseSourcesCsv(text: string, currency: Currency): SourcesCsv {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim().toLowerCase().replace(/\s/g, '') === HEADER) lines.shift();
  const rows = lines.map((line, i): SourceCsvRow => {
    const row = i + 1;
    const comma = line.lastIndexOf(',');
    if (comma < 0) {
      return {
        row,
        name: line.trim(),
        amountText: '',
        amountBaseUnits: null,
        error: 'expected "name,amount"',
      };
    }
    const name = line
      .slice(0, comma)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const amountText = line.slice(comma + 1).trim();
    const invalid = (error: string): SourceCsvRow => ({
      row,
      name,
      amountText,
      amountBaseUnits: null,
      error,
    });
    if (name === '' || name.length > MAX_SOURCE_NAME_LENGTH) {
      return invalid(`name must be 1..${MAX_SOURCE_NAME_LENGTH} characters`);
    }
    try {
      return {
        row,
        name,
        amountText,
        amountBaseUnits: parseAmount(amountText, currency).toString(),
        error: null,
      };
    } catch (err) {
      return invalid(`amount: ${(err as Error).message.replace(/^amount /, '')}`);
    }
  });
  const errors = rows
    .filter((r) => r.error !== null)
    .map((r) => ({ row: r.row, message: r.error as string }));
  if (rows.length === 0) errors.push({ row: 0, message: 'no rows' });
  const sources = rows
    .filter((r) => r.amountBaseUnits !== null)
    .map((r) => ({ name: r.name, amountBaseUnits: r.amountBaseUnits as string }));
  return { rows, sources, errors };
}
