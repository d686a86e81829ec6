/**
 * The kinds of value every area accepts from outside, each checked in one place: the API's
 * zod schemas (src/api/schemas.ts), the entities and the dashboard all call these.
 * Each check answers `undefined` when the value is fine, else what is wrong with it (the
 * caller prefixes the field name). Pure: no I/O, safe in workflows and the browser.
 */
import bs58 from 'bs58';
import { MAX_BASE_UNITS } from './money';

/** What is wrong with a value, or undefined when it is fine. */
export type Problem = string | undefined;

function base58Length(value: string): number | undefined {
  try {
    return bs58.decode(value).length;
  } catch {
    return undefined;
  }
}

/** Longest base58 text of 64 bytes is 88 characters; anything much longer is refused unread. */
const MAX_BASE58_TEXT = 100;

const base58OfLength =
  (bytes: number, what: string) =>
  (value: unknown): Problem =>
    typeof value === 'string' && value.length <= MAX_BASE58_TEXT && base58Length(value) === bytes
      ? undefined
      : `must be a base58 ${what} (${bytes} bytes)`;

/** A wallet or mint: a base58 ed25519 public key (32 bytes). */
export const addressProblem = base58OfLength(32, 'Solana address');
/** A transaction signature: base58, 64 bytes. */
export const signatureProblem = base58OfLength(64, 'transaction signature');

export const isAddress = (value: unknown): value is string => addressProblem(value) === undefined;

const BASE_UNITS_TEXT = /^(0|[1-9][0-9]{0,19})$/;

/** Base units as text: a whole number without sign, point or leading zeros, at most u64::MAX. */
export function baseUnitsProblem(value: unknown): Problem {
  if (typeof value !== 'string' || !BASE_UNITS_TEXT.test(value)) {
    return 'must be a whole number of base units as a string, e.g. "1500000"';
  }
  // The pattern has passed, so BigInt() cannot throw here.
  return BigInt(value) > MAX_BASE_UNITS ? 'is larger than the largest on-chain amount' : undefined;
}

const MONTH_TEXT = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/** A calendar month as YYYY-MM (a distribution's key). */
export const monthProblem = (value: unknown): Problem =>
  typeof value === 'string' && MONTH_TEXT.test(value)
    ? undefined
    : 'must be a month as YYYY-MM, e.g. "2026-02"';

export const isMonth = (value: unknown): value is string => monthProblem(value) === undefined;
