/**
 * SQL expressions that make PostgreSQL write an answer's JSON text itself, byte for byte as
 * the API's JSON writer (src/api/json.ts) would write the same value: compact (no spaces,
 * unlike `json_build_object`), keys in the order given, strings escaped by `to_json`, and
 * display amounts as `toDisplayNumber` + plain notation write them. For a hot read whose
 * answer is many rows: one row of text crosses the driver instead of a row object per item
 * that JavaScript then converts and stringifies.
 */
import { CURRENCIES, CURRENCY_CODES } from '../domain/money';

/** `expr` as a JSON value: a string quoted and escaped, a number as written, SQL null as `null`. */
export const jsonValue = (expr: string): string => `coalesce(to_json(${expr})::text, 'null')`;

/** A JSON object of `fields` ([key, SQL expression of its JSON text]) in that order. Keys are literals of ours. */
export function jsonObject(fields: readonly (readonly [string, string])[]): string {
  return fields
    .map(([key, value], i) => `'${i === 0 ? '{' : ','}${JSON.stringify(key)}:' || ${value}`)
    .concat(`'}'`)
    .join(' || ');
}

/** A timestamptz as `Date#toISOString` writes it (UTC, milliseconds truncated as the driver's Date is). */
export const isoTimestamp = (expr: string): string =>
  `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The legacy display number of `baseUnits` in `currency` (SQL expressions), as the JSON text
 * `toDisplayNumber` gives once written: the exact decimal (an exact numeric product) rounded
 * to the nearest double (numeric → float8 goes through strtod, as `Number(text)` does),
 * written in its shortest round-trip digits (float8 output with extra_float_digits ≥ 1, the
 * default since PostgreSQL 12) and then in plain notation (numeric output: `1e-09` →
 * `0.000000001`, as src/api/json.ts writes it). `null` when either is null.
 */
export function displayNumber(baseUnits: string, currency: string): string {
  const cases = CURRENCY_CODES.map(
    (code) =>
      `when '${code}' then (${baseUnits}::numeric * 1e-${CURRENCIES[code].decimals})::float8::text::numeric::text`,
  ).join(' ');
  return `coalesce(case ${currency} ${cases} end, 'null')`;
}
