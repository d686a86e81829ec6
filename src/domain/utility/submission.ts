/**
 * Utility Factory submissions (the original design's `ProjectSubmissionRequest`): the known
 * packages and services, field limits, project ids, the budget in exact US cents, and the
 * canonical form duplicate protection compares. Pure.
 */
import { DomainError } from '../errors';

/** Same values as the `utility_projects.package` column. */
export const PACKAGES = ['starter', 'professional', 'enterprise'] as const;
export type Package = (typeof PACKAGES)[number];

/**
 * The services a client can pick (the `services` array holds one or more, each once):
 * smart-contract (Solana programs), website, discord-bot, nft-collection (art, metadata,
 * mint), token-launch, dapp (web3 front end), marketing, design, other (describe it in
 * `details`).
 */
export const SERVICES = [
  'smart-contract',
  'website',
  'discord-bot',
  'nft-collection',
  'token-launch',
  'dapp',
  'marketing',
  'design',
  'other',
] as const;
export type Service = (typeof SERVICES)[number];

/** Field limits (the columns' lengths where there is one). */
export const SUBMISSION_LIMITS = {
  projectName: 255,
  email: 255,
  paymentMethod: 50,
  details: 10_000,
  timeline: 100,
  /** The largest budget accepted, in US dollars. */
  budgetUsd: 100_000_000,
} as const;

/** Same body from the same client within this window = the same project (see `canonicalSubmission`). */
export const DUPLICATE_SUBMISSION_WINDOW_MS = 10 * 60_000;

/**
 * `UF-` + 16 characters of RFC 4648 base32 (A–Z, 2–7) = 80 random bits: the id is the only
 * key a client needs to read its project's status, so it must not be guessable.
 */
export const PROJECT_ID_PATTERN = /^UF-[A-Z2-7]{16}$/;
export const PROJECT_ID_RANDOM_BYTES = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type SubmissionErrorCode = 'InvalidProjectIdBytes' | 'InvalidBudget';

/** The project id made from 10 random bytes (the caller supplies them: the domain does no I/O). */
export function projectIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== PROJECT_ID_RANDOM_BYTES) {
    throw new DomainError<SubmissionErrorCode>(
      'InvalidProjectIdBytes',
      `a project id takes exactly ${PROJECT_ID_RANDOM_BYTES} random bytes, got ${bytes.length}`,
    );
  }
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `UF-${out}`;
}

export const isProjectId = (value: unknown): value is string =>
  typeof value === 'string' && PROJECT_ID_PATTERN.test(value);

/**
 * The legacy `budget` (a JSON number of US dollars) as exact cents, via the number's
 * shortest decimal text (what JSON had), never float arithmetic: 1234.56 → 123456n.
 * Throws InvalidBudget naming the problem (negative, more than 2 decimals, too large).
 */
export function usdToCents(budget: number): bigint {
  const fail = (problem: string) => new DomainError<SubmissionErrorCode>('InvalidBudget', problem);
  if (typeof budget !== 'number' || !Number.isFinite(budget)) throw fail('must be a number of US dollars');
  if (budget < 0) throw fail('must not be negative');
  if (budget > SUBMISSION_LIMITS.budgetUsd) throw fail(`must be at most ${SUBMISSION_LIMITS.budgetUsd}`);
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(budget));
  if (!match) throw fail('must have at most 2 decimal places (whole cents)');
  return BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** Cents as the legacy display number of dollars (exact for every budget we accept: < 2^53 cents). */
export const centsToUsd = (cents: bigint): number => Number(cents) / 100;

/** 250000n → "$2,500.00" (for messages to clients). */
export function formatUsd(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const dollars = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${dollars}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A submission after validation: strings trimmed, e-mail lower-cased, budget in cents. */
export interface ProjectSubmission {
  projectName: string;
  email: string;
  package: Package;
  services: Service[];
  paymentMethod: string;
  details: string;
  timeline: string | null;
  /** Decimal string of US cents (bigints do not survive workflow payloads). */
  budgetCents: string | null;
}

/**
 * The text two submissions must share to count as the same: every field, with services in
 * a fixed order (a client re-sending `["dapp","website"]` as `["website","dapp"]` sent the
 * same thing). The caller hashes it together with who sent it.
 */
export function canonicalSubmission(submission: ProjectSubmission): string {
  return JSON.stringify([
    submission.projectName,
    submission.email.toLowerCase(),
    submission.package,
    [...new Set(submission.services)].sort(),
    submission.paymentMethod,
    submission.details,
    submission.timeline,
    submission.budgetCents,
  ]);
}

/** 86_400_000 → "24 hours", 90_000 → "1.5 minutes", 1_000 → "1 second" (estimatedReviewTime). */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000 * 7, 'week'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  // Under three days, hours read better ("48 hours" is how SLAs are said); weeks only when whole.
  for (const [size, name] of units) {
    if (name === 'day' && ms < 3 * 86_400_000) continue;
    if (name === 'week' && ms % size !== 0) continue;
    if (ms >= size) {
      const amount = Math.round((ms / size) * 10) / 10;
      return `${amount} ${name}${amount === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
