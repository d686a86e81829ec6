/**
 * Amount fields of the dashboard: what a person types ("1.5", ".25", "0.010") becomes an
 * exact bigint of base units through the one money module (src/domain/money.ts), never
 * through a JS number. Pure, DOM-free: unit-tested from the root suite.
 */
import { formatAmount, parseAmount, type Currency } from '../../../src/domain/money';

export type { Currency };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Decimal text in whole SOL/USDC → base units. Lenient only where the meaning is plain
 * (surrounding spaces, ".5", "2."); commas are refused rather than guessed (a decimal comma
 * or a thousands separator?).
 */
export function parseAmountInput(
  text: string,
  currency: Currency,
  { positive = false }: { positive?: boolean } = {},
): Parsed<bigint> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'enter an amount' };
  if (trimmed.includes(','))
    return { ok: false, error: 'use a point for decimals and no thousands separators' };
  const normalized = trimmed.replace(/^\./, '0.').replace(/\.$/, '');
  let value: bigint;
  try {
    value = parseAmount(normalized, currency);
  } catch (err) {
    return { ok: false, error: (err as Error).message.replace(/^amount /, '') };
  }
  if (positive && value === 0n) return { ok: false, error: 'must be more than 0' };
  return { ok: true, value };
}

/** "1234567" → "1,234,567". */
const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Base units → "1,234.5" (exact, grouped); null/undefined → "—". */
export function displayAmount(baseUnits: string | bigint | null | undefined, currency: Currency): string {
  if (baseUnits === null || baseUnits === undefined || baseUnits === '') return '—';
  const exact = formatAmount(BigInt(baseUnits), currency);
  const [whole = '0', fraction] = exact.split('.');
  return fraction ? `${groupThousands(whole)}.${fraction}` : groupThousands(whole);
}

/** "1,234.5 SOL". */
export const withCurrency = (baseUnits: string | bigint | null | undefined, currency: Currency) =>
  `${displayAmount(baseUnits, currency)} ${currency}`;

/** A share in percent with at most 2 decimals ("33.33") → basis points (3333), 0..100 %. */
export function parseSharePercent(text: string): Parsed<number> {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return { ok: false, error: 'a percentage with at most 2 decimals, e.g. 50 or 33.33' };
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bps > 10_000) return { ok: false, error: 'at most 100 %' };
  return { ok: true, value: bps };
}

/** Basis points → "33.33 %". */
export const displayBps = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)} %`;

/** US dollars with at most 2 decimals ("2500", "2500.5") → cents as a decimal string ("250050"). */
export function parseUsdInput(text: string): Parsed<string> {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/^\$/, ''));
  if (!m) return { ok: false, error: 'US dollars with at most 2 decimals, e.g. 2500 or 2500.50' };
  const cents = BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return { ok: true, value: cents.toString() };
}

/** Cents as a decimal string → "$2,500.50". */
export function displayUsd(cents: string | null | undefined): string {
  if (cents === null || cents === undefined || cents === '') return '—';
  const value = BigInt(cents);
  return `$${groupThousands((value / 100n).toString())}.${(value % 100n).toString().padStart(2, '0')}`;
}
