/**
 * A month's allocation (issue 19): every Revenue Pass in the snapshot → its owner at the
 * snapshot slot → the base units it is owed, in one canonical text, and the SHA-256 of that
 * text. The digest is what the distribution memo publishes, so anyone holding the public list
 * can recompute it and see that the list they were shown is the one that was approved.
 *
 * Canonical text (`ALLOCATION_FORMAT`): one line per pass,
 *
 *     <passMint>,<ownerWallet>,<amountBaseUnits>\n
 *
 * base58 mint and owner as the chain spells them, the amount as a decimal integer without
 * leading zeros; lines sorted by pass mint in byte order (base58 is ASCII, so this is plain
 * string order, NOT a locale collation: "Z" < "a"); every line ends with "\n", no header, no
 * blank lines. Digest = lowercase hex SHA-256 of the UTF-8 (= ASCII) bytes of the whole text.
 *
 * Distribution memo (`DISTRIBUTION_MEMO_VERSION`), one line, fields in this order:
 *
 *     stoned-rabbits:distribution:v1 month=<YYYY-MM> snapshotSlot=<n> passes=<n> perPass=<n>
 *       currency=<SOL|USDC> dust=<n> allocation=<sha256 hex>
 *
 * (one space between fields, no line break). `verifyAllocation` recomputes every figure of a
 * published allocation from its declared sources and share. Pure: the API, the db, the CLI
 * and the dashboard share it.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { DomainError } from '../errors';
import { isCurrency, type Currency } from '../money';
import { addressProblem, isMonth } from '../values';
import { BPS_DENOMINATOR, computeDistribution } from './distribution';

/** The canonical text's name and version (served beside the digest). */
export const ALLOCATION_FORMAT = 'sr-allocation-v1';
export const DISTRIBUTION_MEMO_VERSION = 'stoned-rabbits:distribution:v1';

export type AllocationErrorCode = 'INVALID_ALLOCATION' | 'ALLOCATION_OUT_OF_ORDER';

const allocationError = (code: AllocationErrorCode, message: string) =>
  new DomainError<AllocationErrorCode>(code, message);

export interface AllocationEntry {
  passMint: string;
  owner: string;
  /** Base units as a decimal string (JSON-safe, exact). */
  amountBaseUnits: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The canonical line of one pass (see the file comment). */
export function allocationLine(entry: AllocationEntry, position = 0): string {
  const { passMint, owner, amountBaseUnits } = entry ?? ({} as Partial<AllocationEntry>);
  for (const [field, value] of [
    ['passMint', passMint],
    ['owner', owner],
  ] as const) {
    const problem = addressProblem(value);
    if (problem)
      throw allocationError('INVALID_ALLOCATION', `pass at position ${position}: ${field} ${problem}`);
  }
  if (typeof amountBaseUnits !== 'string' || !DECIMAL.test(amountBaseUnits)) {
    throw allocationError(
      'INVALID_ALLOCATION',
      `pass at position ${position}: amountBaseUnits must be a decimal integer string without leading zeros, got ${JSON.stringify(String(amountBaseUnits).slice(0, 40))}`,
    );
  }
  return `${passMint},${owner},${amountBaseUnits}\n`;
}

export interface AllocationDigester {
  /** Appends the next pass; mints must be strictly ascending in byte order. */
  add(entry: AllocationEntry): void;
  readonly count: number;
  /** Finishes the digest; the digester cannot be used afterwards. */
  digestHex(): string;
}

/** Incremental allocation digest, for feeding the snapshot page by page without holding it. */
export function createAllocationDigester(): AllocationDigester {
  const hash = sha256.create();
  const encoder = new TextEncoder();
  let count = 0;
  let lastMint: string | null = null;
  let finished = false;
  return {
    add(entry: AllocationEntry): void {
      if (finished) throw new Error('allocation digester already finished');
      const line = allocationLine(entry, count);
      if (lastMint !== null && !(lastMint < entry.passMint)) {
        throw allocationError(
          'ALLOCATION_OUT_OF_ORDER',
          `pass at position ${count}: mints must be strictly ascending in byte order, got ${entry.passMint} after ${lastMint}`,
        );
      }
      hash.update(encoder.encode(line));
      lastMint = entry.passMint;
      count += 1;
    },
    get count() {
      return count;
    },
    digestHex(): string {
      finished = true;
      return bytesToHex(hash.digest());
    },
  };
}

/** Lowercase hex SHA-256 of the canonical text of `entries` (already in canonical order). */
export function allocationDigest(entries: readonly AllocationEntry[]): string {
  const digester = createAllocationDigester();
  for (const entry of entries) digester.add(entry);
  return digester.digestHex();
}

/** The canonical text itself (what the digest hashes), for small allocations and tests. */
export const allocationText = (entries: readonly AllocationEntry[]): string =>
  entries.map((e, i) => allocationLine(e, i)).join('');

export interface DistributionMemoFields {
  month: string;
  snapshotSlot: number;
  passCount: number;
  perPassAmountBaseUnits: string;
  currency: Currency;
  dustBaseUnits: string;
  allocationDigest: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The memo published at approval (see the file comment); every field validated. */
export function distributionMemo(f: DistributionMemoFields): string {
  const bad = (field: string, value: unknown) =>
    allocationError('INVALID_ALLOCATION', `distribution memo: ${field} is invalid: ${JSON.stringify(value)}`);
  if (!isMonth(f.month)) throw bad('month', f.month);
  if (!Number.isSafeInteger(f.snapshotSlot) || f.snapshotSlot < 0) throw bad('snapshotSlot', f.snapshotSlot);
  if (!Number.isSafeInteger(f.passCount) || f.passCount < 1) throw bad('passCount', f.passCount);
  if (!DECIMAL.test(f.perPassAmountBaseUnits)) throw bad('perPassAmountBaseUnits', f.perPassAmountBaseUnits);
  if (!isCurrency(f.currency)) throw bad('currency', f.currency);
  if (!DECIMAL.test(f.dustBaseUnits)) throw bad('dustBaseUnits', f.dustBaseUnits);
  if (!HEX64.test(f.allocationDigest)) throw bad('allocationDigest', f.allocationDigest);
  return (
    `${DISTRIBUTION_MEMO_VERSION} month=${f.month} snapshotSlot=${f.snapshotSlot} passes=${f.passCount}` +
    ` perPass=${f.perPassAmountBaseUnits} currency=${f.currency} dust=${f.dustBaseUnits} allocation=${f.allocationDigest}`
  );
}

/** A distribution's public allocation as `GET .../distributions/:month/allocation` serves it. */
export interface PublishedAllocation {
  month: string;
  currency: Currency;
  /** The token whose transfers pay a USDC month (null for SOL). */
  tokenMint: string | null;
  totalRevenueBaseUnits: string;
  shareBps: number;
  distributionAmountBaseUnits: string;
  perPassAmountBaseUnits: string;
  dustBaseUnits: string;
  passCount: number;
  snapshotSlot: number;
  sources: { name: string; amountBaseUnits: string }[];
  allocationDigest: string;
  memo: string;
  /** Where `memo` was published on chain at approval; null for a month that was not anchored. */
  memoSignature: string | null;
  memoSlot: number | null;
  passes: (AllocationEntry & { claimStatus: string; payoutSignature: string | null })[];
}

export interface AllocationCheck {
  name: string;
  ok: boolean;
  /** What was recomputed, or what differs. */
  detail: string;
}

/**
 * Recomputes a published allocation from its declared sources and share: total, distribution
 * amount, per-pass amount, dust, pass count, every pass's amount, canonical order, digest and
 * memo text. One check per figure, each MATCH or not with what differs.
 */
export function verifyAllocation(a: PublishedAllocation): AllocationCheck[] {
  const checks: AllocationCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const same = (name: string, declared: string | number, recomputed: string | number) =>
    check(
      name,
      String(declared) === String(recomputed),
      String(declared) === String(recomputed)
        ? `${recomputed}`
        : `declared ${declared}, recomputed ${recomputed}`,
    );

  let expected: ReturnType<typeof computeDistribution> | null = null;
  try {
    expected = computeDistribution({
      sources: a.sources.map((s) => ({ name: s.name, amountBaseUnits: BigInt(s.amountBaseUnits) })),
      shareBps: a.shareBps,
      passCount: Math.max(1, a.passes.length),
    });
  } catch (err) {
    check('figures', false, `the declared sources or share cannot be recomputed: ${(err as Error).message}`);
  }
  if (expected) {
    same('total revenue = Σ sources', a.totalRevenueBaseUnits, expected.totalRevenue.toString());
    same(
      `distribution amount = floor(total × ${a.shareBps} / ${BPS_DENOMINATOR})`,
      a.distributionAmountBaseUnits,
      expected.distributionAmount.toString(),
    );
    same('pass count = passes listed', a.passCount, a.passes.length);
    same(
      'per-pass = floor(distribution / passes)',
      a.perPassAmountBaseUnits,
      expected.perPassAmount.toString(),
    );
    same('dust = distribution − per-pass × passes', a.dustBaseUnits, expected.dust.toString());
  }

  const wrongAmount = a.passes.filter((p) => p.amountBaseUnits !== a.perPassAmountBaseUnits);
  check(
    'every pass is owed the per-pass amount',
    wrongAmount.length === 0,
    wrongAmount.length === 0
      ? `${a.passes.length} passes × ${a.perPassAmountBaseUnits}`
      : wrongAmount
          .slice(0, 5)
          .map((p) => `${p.passMint} is listed with ${p.amountBaseUnits}`)
          .join('; '),
  );

  let digest: string | null = null;
  try {
    digest = allocationDigest(a.passes);
    check('canonical order (by mint, byte-wise, no duplicates)', true, `${a.passes.length} lines`);
  } catch (err) {
    check('canonical order (by mint, byte-wise, no duplicates)', false, (err as Error).message);
  }
  if (digest !== null) same('allocation digest = SHA-256 of the canonical list', a.allocationDigest, digest);

  let memo: string | null = null;
  try {
    memo = distributionMemo(a);
  } catch (err) {
    check('memo text', false, (err as Error).message);
  }
  if (memo !== null) same('memo text = the declared figures and digest', a.memo, memo);
  return checks;
}
