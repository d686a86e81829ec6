/**
 * Money in base units (DESIGN §3). Every amount in code and storage is a `bigint` count of
 * the currency's smallest unit: lamports for SOL (10^9 per SOL), micro-units for USDC
 * (10^6 per USDC). Decimal text is converted exactly, never through a JS float; the only
 * float in this module is `toDisplayNumber`, kept for the legacy API fields.
 */
import { DomainError } from './errors';

export const CURRENCIES = {
  SOL: { decimals: 9, baseUnit: 'lamports' },
  USDC: { decimals: 6, baseUnit: 'micro-USDC' },
} as const;

export type Currency = keyof typeof CURRENCIES;

/** The currencies in a stable order, e.g. for zod enums: `z.enum(CURRENCY_CODES)`. */
export const CURRENCY_CODES = ['SOL', 'USDC'] as const satisfies readonly Currency[];

/**
 * Largest amount accepted anywhere: u64::MAX, the most an SPL or system transfer can move.
 * Anything larger is a typo or an attack, not money.
 */
export const MAX_BASE_UNITS = 2n ** 64n - 1n;

export type MoneyErrorCode =
  | 'AMOUNT_EMPTY'
  | 'AMOUNT_NOT_NUMERIC'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_EXPONENT'
  | 'AMOUNT_TOO_MANY_DECIMALS'
  | 'AMOUNT_TOO_LARGE'
  | 'AMOUNT_NOT_INTEGER'
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_ARGUMENT';

const moneyError = (code: MoneyErrorCode, message: string, details?: Record<string, unknown>) =>
  new DomainError<MoneyErrorCode>(code, message, details);

export const isCurrency = (value: unknown): value is Currency => value === 'SOL' || value === 'USDC';

export function assertCurrency(value: unknown): asserts value is Currency {
  if (!isCurrency(value)) {
    throw moneyError('UNKNOWN_CURRENCY', `unknown currency ${JSON.stringify(value)}; expected SOL or USDC`);
  }
}

export const decimalsOf = (currency: Currency): number => {
  assertCurrency(currency);
  return CURRENCIES[currency].decimals;
};

/** 10^decimals: base units in one whole SOL or USDC. */
export const baseUnitsPerUnit = (currency: Currency): bigint => 10n ** BigInt(decimalsOf(currency));

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// Unambiguous (no nested or adjacent quantifiers over the same characters), so linear-time
// even on a megabyte of digits.
const EXPONENT_NOTATION = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$/;
const INTEGER_TEXT = /^\d+$/;
/** More integer digits than u64::MAX has can only be too large; checked before BigInt(). */
const MAX_INTEGER_DIGITS = MAX_BASE_UNITS.toString().length;

/**
 * Decimal text in whole units ("1.5" SOL) to base units (1500000000n). Accepts only plain
 * decimal notation: digits, optionally a point followed by at most the currency's number of
 * decimals. Leading zeros are allowed; signs, spaces, exponents, "1." and ".5" are not.
 * Throws a DomainError whose code names the problem.
 */
export function parseAmount(text: string, currency: Currency): bigint {
  assertCurrency(currency);
  if (typeof text !== 'string') {
    throw moneyError('AMOUNT_NOT_NUMERIC', `amount must be a decimal string, got ${typeof text}`);
  }
  if (text.trim() === '') throw moneyError('AMOUNT_EMPTY', 'amount is empty');
  if (text.startsWith('-')) {
    throw moneyError('AMOUNT_NEGATIVE', `amount must not be negative, got "${preview(text)}"`);
  }
  if (EXPONENT_NOTATION.test(text)) {
    throw moneyError(
      'AMOUNT_EXPONENT',
      `amount must be plain decimal notation, not exponent notation: "${preview(text)}"`,
    );
  }
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    throw moneyError('AMOUNT_NOT_NUMERIC', `amount is not a plain decimal number: "${preview(text)}"`);
  }
  const integerDigits = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fractionDigits = match[2] ?? '';
  const decimals = CURRENCIES[currency].decimals;
  if (fractionDigits.length > decimals) {
    throw moneyError(
      'AMOUNT_TOO_MANY_DECIMALS',
      `${currency} has at most ${decimals} decimal places, got ${fractionDigits.length} in "${preview(text)}"`,
      { decimals, given: fractionDigits.length },
    );
  }
  if (integerDigits.length > MAX_INTEGER_DIGITS) throw tooLarge(text);
  const value =
    BigInt(integerDigits) * 10n ** BigInt(decimals) + BigInt(fractionDigits.padEnd(decimals, '0') || '0');
  if (value > MAX_BASE_UNITS) throw tooLarge(text);
  return value;
}

/**
 * Base units to exact decimal text in whole units, trailing zeros trimmed:
 * 1500000000n SOL → "1.5", 0n → "0", 1n SOL → "0.000000001". Negative values (deltas) keep
 * their sign. `parseAmount(formatAmount(x, c), c) === x` for every 0 ≤ x ≤ MAX_BASE_UNITS.
 */
export function formatAmount(baseUnits: bigint, currency: Currency): string {
  assertCurrency(currency);
  if (typeof baseUnits !== 'bigint') {
    throw moneyError('INVALID_ARGUMENT', `base units must be a bigint, got ${typeof baseUnits}`);
  }
  if (baseUnits < 0n) return `-${formatAmount(-baseUnits, currency)}`;
  const unit = baseUnitsPerUnit(currency);
  const whole = (baseUnits / unit).toString();
  const fraction = (baseUnits % unit)
    .toString()
    .padStart(CURRENCIES[currency].decimals, '0')
    .replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * Base units as a JS number of whole units, for the legacy display fields of the original
 * API (`prizePool`, `amountPaid`, `perPassAmount`...) only. LOSSY: the result is the nearest
 * double to the exact value (above 2^53 base units precision is lost). Never compute with
 * it; the exact value travels beside it as a base-unit string.
 */
export const toDisplayNumber = (baseUnits: bigint, currency: Currency): number =>
  Number(formatAmount(baseUnits, currency));

/**
 * A number as JSON text in plain decimal notation: what `JSON.stringify` writes, except that
 * it never uses exponent notation (7e-9 → "0.000000007", 1e21 → "1000000000000000000000"),
 * so a display amount (`toDisplayNumber`) reads as written on every client. The same value:
 * the digits of the number's shortest round-trip form, only the point moved. Non-finite
 * numbers are `null`, as in JSON.
 */
export function plainNumberText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const text = String(value);
  if (!text.includes('e')) return text;
  return text.startsWith('-') ? `-${expandExponent(text.slice(1))}` : expandExponent(text);
}

/**
 * A legacy display number from a client (e.g. `amountPaid: 0.25`) to base units, exactly:
 * uses the number's shortest round-trip decimal form (what the JSON text carried), so 0.1
 * is "0.1", not 0.1000000000000000055…; then applies every rule of `parseAmount`. Exact for
 * any amount of at most 15 significant digits (all a double can round-trip).
 */
export function amountFromDisplayNumber(value: number, currency: Currency): bigint {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw moneyError('AMOUNT_NOT_NUMERIC', `amount must be a finite number, got ${String(value)}`);
  }
  if (value < 0) throw moneyError('AMOUNT_NEGATIVE', `amount must not be negative, got ${value}`);
  return parseAmount(expandExponent(String(value)), currency);
}

/**
 * A base-unit integer as text ("1500000000", as stored in NUMERIC columns and JSON) to
 * bigint. Digits only, at most MAX_BASE_UNITS.
 */
export function parseBaseUnits(text: string, field = 'amount'): bigint {
  if (typeof text !== 'string' || !INTEGER_TEXT.test(text)) {
    throw moneyError(
      'AMOUNT_NOT_INTEGER',
      `${field} must be a non-negative integer string of base units, got ${JSON.stringify(preview(String(text)))}`,
    );
  }
  if (text.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) throw tooLarge(text);
  const value = BigInt(text);
  if (value > MAX_BASE_UNITS) throw tooLarge(text);
  return value;
}

/** Throws unless `value` is a bigint in [0, MAX_BASE_UNITS]. */
export function assertBaseUnits(value: bigint, field = 'amount'): void {
  if (typeof value !== 'bigint') {
    throw moneyError('INVALID_ARGUMENT', `${field} must be a bigint of base units, got ${typeof value}`);
  }
  if (value < 0n) throw moneyError('AMOUNT_NEGATIVE', `${field} must not be negative, got ${value}`);
  if (value > MAX_BASE_UNITS) throw tooLarge(value.toString());
}

/**
 * floor(a × b / divisor) exactly, rounding toward −∞ for any signs (bigint `/` truncates
 * toward zero, which rounds negative quotients up).
 */
export function mulDivFloor(a: bigint, b: bigint, divisor: bigint): bigint {
  if (typeof a !== 'bigint' || typeof b !== 'bigint' || typeof divisor !== 'bigint') {
    throw moneyError('INVALID_ARGUMENT', 'mulDivFloor takes bigints');
  }
  if (divisor === 0n) throw moneyError('INVALID_ARGUMENT', 'mulDivFloor: division by zero');
  const product = a * b;
  const quotient = product / divisor;
  const inexact = product % divisor !== 0n;
  return inexact && product < 0n !== divisor < 0n ? quotient - 1n : quotient;
}

/** price × count: what `count` tickets cost, in the price's base units. */
export function ticketsCost(priceBaseUnits: bigint, ticketCount: number): bigint {
  assertBaseUnits(priceBaseUnits, 'ticket price');
  if (!Number.isSafeInteger(ticketCount) || ticketCount < 1) {
    throw moneyError('INVALID_ARGUMENT', `ticket count must be a positive integer, got ${ticketCount}`);
  }
  const cost = priceBaseUnits * BigInt(ticketCount);
  if (cost > MAX_BASE_UNITS) throw tooLarge(cost.toString());
  return cost;
}

const tooLarge = (text: string) =>
  moneyError(
    'AMOUNT_TOO_LARGE',
    `amount exceeds the maximum of ${MAX_BASE_UNITS} base units: "${preview(text)}"`,
  );

/** Error messages quote the input, but never a megabyte of it. */
const preview = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** "1e-7" → "0.0000001", "1.5e+21" → "1500000000000000000000"; other text unchanged (unsigned forms). */
function expandExponent(text: string): string {
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const intPart = match[1] ?? '';
  const fracPart = match[2] ?? '';
  const digits = intPart + fracPart;
  const point = intPart.length + Number(match[3]);
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  // Shortest round-trip forms carry no padding zeros of their own, but the shift can add some.
  return result.includes('.') ? result.replace(/0+$/, '').replace(/\.$/, '') : result;
}
