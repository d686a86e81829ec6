import fc from 'fast-check';
import { MAX_BASE_UNITS, parseAmount } from '../../src/domain/money';
import { computeDistribution, type RevenueSource } from '../../src/domain/revenue/distribution';
import { codeOf } from '../support/domain-error';

const sol = (text: string) => parseAmount(text, 'SOL');

describe('computeDistribution vectors', () => {
  test('half of 1000 SOL over 3 passes leaves 2 lamports of dust', () => {
    const result = computeDistribution({
      sources: [
        { name: 'Royalties', amountBaseUnits: sol('600') },
        { name: 'Utility Factory', amountBaseUnits: sol('400') },
      ],
      shareBps: 5000,
      passCount: 3,
    });
    expect(result).toEqual({
      totalRevenue: 1_000_000_000_000n,
      shareBps: 5000,
      distributionAmount: 500_000_000_000n,
      retainedAmount: 500_000_000_000n,
      passCount: 3,
      perPassAmount: 166_666_666_666n,
      dust: 2n,
    });
  });

  test('odd share and odd total: both floors, nothing rounded up', () => {
    const result = computeDistribution({
      sources: [{ name: 'Mint', amountBaseUnits: 123_456_789n }],
      shareBps: 3333,
      passCount: 10_000,
    });
    // 123456789 × 3333 / 10000 = 41148147.7737 → 41148147; / 10000 passes = 4114.8147 → 4114.
    expect(result.distributionAmount).toBe(41_148_147n);
    expect(result.perPassAmount).toBe(4_114n);
    expect(result.dust).toBe(8_147n);
    expect(result.retainedAmount).toBe(82_308_642n);
  });

  test('10,000 passes sharing 1 SOL evenly', () => {
    const result = computeDistribution({
      sources: [{ name: 'Royalties', amountBaseUnits: sol('1') }],
      shareBps: 10_000,
      passCount: 10_000,
    });
    expect(result.distributionAmount).toBe(1_000_000_000n);
    expect(result.perPassAmount).toBe(100_000n);
    expect(result.dust).toBe(0n);
    expect(result.retainedAmount).toBe(0n);
  });

  test('fewer base units than passes: nobody gets anything, all of it is dust', () => {
    const result = computeDistribution({
      sources: [{ name: 'Tips', amountBaseUnits: 9_999n }],
      shareBps: 10_000,
      passCount: 10_000,
    });
    expect(result.perPassAmount).toBe(0n);
    expect(result.dust).toBe(9_999n);
  });

  test('one pass takes the whole distribution', () => {
    const result = computeDistribution({
      sources: [{ name: 'Royalties', amountBaseUnits: 987_654_321n }],
      shareBps: 2500,
      passCount: 1,
    });
    expect(result.distributionAmount).toBe(246_913_580n);
    expect(result.perPassAmount).toBe(246_913_580n);
    expect(result.dust).toBe(0n);
  });

  test.each<[string, RevenueSource[]]>([
    ['no sources', []],
    ['a zero source', [{ name: 'Royalties', amountBaseUnits: 0n }]],
  ])('zero revenue (%s)', (_label, sources) => {
    expect(computeDistribution({ sources, shareBps: 5000, passCount: 777 })).toEqual({
      totalRevenue: 0n,
      shareBps: 5000,
      distributionAmount: 0n,
      retainedAmount: 0n,
      passCount: 777,
      perPassAmount: 0n,
      dust: 0n,
    });
  });

  test('share 0 distributes nothing, share 10000 everything', () => {
    const sources = [{ name: 'Royalties', amountBaseUnits: 1_000n }];
    expect(computeDistribution({ sources, shareBps: 0, passCount: 5 }).distributionAmount).toBe(0n);
    expect(computeDistribution({ sources, shareBps: 10_000, passCount: 5 }).distributionAmount).toBe(1_000n);
  });

  test('the largest total does not overflow', () => {
    const result = computeDistribution({
      sources: [{ name: 'All', amountBaseUnits: MAX_BASE_UNITS }],
      shareBps: 9_999,
      passCount: 3,
    });
    expect(result.perPassAmount * 3n + result.dust).toBe(result.distributionAmount);
    expect(result.distributionAmount).toBe((MAX_BASE_UNITS * 9_999n) / 10_000n);
  });
});

describe('computeDistribution validation', () => {
  const sources = [{ name: 'Royalties', amountBaseUnits: 1_000n }];

  test.each<[string, Parameters<typeof computeDistribution>[0], string]>([
    [
      'negative amount',
      { sources: [{ name: 'Refund', amountBaseUnits: -1n }], shareBps: 5000, passCount: 1 },
      'INVALID_SOURCE',
    ],
    [
      'number amount',
      {
        sources: [{ name: 'Float', amountBaseUnits: 1.5 as unknown as bigint }],
        shareBps: 5000,
        passCount: 1,
      },
      'INVALID_SOURCE',
    ],
    [
      'amount above u64',
      { sources: [{ name: 'Huge', amountBaseUnits: MAX_BASE_UNITS + 1n }], shareBps: 5000, passCount: 1 },
      'INVALID_SOURCE',
    ],
    [
      'total above u64',
      {
        sources: [
          { name: 'A', amountBaseUnits: MAX_BASE_UNITS },
          { name: 'B', amountBaseUnits: 1n },
        ],
        shareBps: 5000,
        passCount: 1,
      },
      'AMOUNT_TOO_LARGE',
    ],
    [
      'empty name',
      { sources: [{ name: '  ', amountBaseUnits: 1n }], shareBps: 5000, passCount: 1 },
      'INVALID_SOURCE',
    ],
    [
      'duplicate name',
      { sources: [...sources, { name: ' Royalties ', amountBaseUnits: 1n }], shareBps: 5000, passCount: 1 },
      'DUPLICATE_SOURCE',
    ],
    [
      'sources not a list',
      { sources: null as unknown as RevenueSource[], shareBps: 5000, passCount: 1 },
      'INVALID_SOURCE',
    ],
    ['share above 10000', { sources, shareBps: 10_001, passCount: 1 }, 'INVALID_SHARE'],
    ['negative share', { sources, shareBps: -1, passCount: 1 }, 'INVALID_SHARE'],
    ['fractional share', { sources, shareBps: 12.5, passCount: 1 }, 'INVALID_SHARE'],
    ['zero passes', { sources, shareBps: 5000, passCount: 0 }, 'INVALID_PASS_COUNT'],
    ['negative passes', { sources, shareBps: 5000, passCount: -3 }, 'INVALID_PASS_COUNT'],
    ['fractional passes', { sources, shareBps: 5000, passCount: 1.5 }, 'INVALID_PASS_COUNT'],
    ['NaN passes', { sources, shareBps: 5000, passCount: Number.NaN }, 'INVALID_PASS_COUNT'],
  ])('rejects %s', (_label, input, code) => {
    expect(codeOf(() => computeDistribution(input))).toBe(code);
  });
});

describe('computeDistribution properties', () => {
  const sourcesArb = fc
    .array(fc.bigInt({ min: 0n, max: 2n ** 60n }), { maxLength: 8 })
    .map((amounts) => amounts.map((amountBaseUnits, i) => ({ name: `source ${i}`, amountBaseUnits })));

  test('per-pass × passes + dust = distribution ≤ total; all floors; totals reconcile', () => {
    fc.assert(
      fc.property(
        sourcesArb,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (sources, shareBps, passCount) => {
          const r = computeDistribution({ sources, shareBps, passCount });
          const passes = BigInt(passCount);
          const total = sources.reduce((sum, s) => sum + s.amountBaseUnits, 0n);
          expect(r.totalRevenue).toBe(total);
          expect(r.perPassAmount * passes + r.dust).toBe(r.distributionAmount);
          expect(r.distributionAmount <= r.totalRevenue).toBe(true);
          expect(r.retainedAmount + r.distributionAmount).toBe(r.totalRevenue);
          expect(r.dust >= 0n && r.dust < passes).toBe(true);
          expect(r.perPassAmount >= 0n).toBe(true);
          // distributionAmount = floor(total × bps / 10000): never rounded up, never short by a unit.
          expect(r.distributionAmount * 10_000n <= total * BigInt(shareBps)).toBe(true);
          expect(total * BigInt(shareBps) < (r.distributionAmount + 1n) * 10_000n).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
