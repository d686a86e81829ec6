import fc from 'fast-check';
import {
  amountFromDisplayNumber,
  assertBaseUnits,
  baseUnitsPerUnit,
  CURRENCY_CODES,
  type Currency,
  decimalsOf,
  formatAmount,
  MAX_BASE_UNITS,
  mulDivFloor,
  parseAmount,
  parseBaseUnits,
  plainNumberText,
  ticketsCost,
  toDisplayNumber,
} from '../../src/domain/money';
import { codeOf } from '../support/domain-error';

describe('currencies', () => {
  test('SOL has 9 decimals (lamports), USDC 6', () => {
    expect(decimalsOf('SOL')).toBe(9);
    expect(decimalsOf('USDC')).toBe(6);
    expect(baseUnitsPerUnit('SOL')).toBe(1_000_000_000n);
    expect(baseUnitsPerUnit('USDC')).toBe(1_000_000n);
    expect(CURRENCY_CODES).toEqual(['SOL', 'USDC']);
  });
});

describe('parseAmount', () => {
  test.each<[string, Currency, bigint]>([
    ['0', 'SOL', 0n],
    ['1', 'SOL', 1_000_000_000n],
    ['1.5', 'SOL', 1_500_000_000n],
    ['0.000000001', 'SOL', 1n],
    ['0.1', 'SOL', 100_000_000n],
    ['007.50', 'SOL', 7_500_000_000n],
    ['0.000000000', 'SOL', 0n],
    ['123456.789012345', 'SOL', 123_456_789_012_345n],
    ['18446744073.709551615', 'SOL', MAX_BASE_UNITS],
    ['1', 'USDC', 1_000_000n],
    ['1.000001', 'USDC', 1_000_001n],
    ['0.25', 'USDC', 250_000n],
    ['18446744073709.551615', 'USDC', MAX_BASE_UNITS],
  ])('%s %s = %s base units', (text, currency, expected) => {
    expect(parseAmount(text, currency)).toBe(expected);
  });

  test.each<[string, Currency, string]>([
    ['', 'SOL', 'AMOUNT_EMPTY'],
    ['   ', 'SOL', 'AMOUNT_EMPTY'],
    ['-1', 'SOL', 'AMOUNT_NEGATIVE'],
    ['-0.5', 'USDC', 'AMOUNT_NEGATIVE'],
    ['-0', 'SOL', 'AMOUNT_NEGATIVE'],
    ['1e9', 'SOL', 'AMOUNT_EXPONENT'],
    ['1.5E-3', 'SOL', 'AMOUNT_EXPONENT'],
    ['.5e2', 'USDC', 'AMOUNT_EXPONENT'],
    ['+1e3', 'USDC', 'AMOUNT_EXPONENT'],
    ['abc', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1.', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['.5', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['+1', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    [' 1', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1 ', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1,5', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1_000', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['NaN', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['Infinity', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['0x10', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1.2.3', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['١', 'SOL', 'AMOUNT_NOT_NUMERIC'],
    ['1.0000000001', 'SOL', 'AMOUNT_TOO_MANY_DECIMALS'],
    ['1.0000000000', 'SOL', 'AMOUNT_TOO_MANY_DECIMALS'],
    ['0.0000001', 'USDC', 'AMOUNT_TOO_MANY_DECIMALS'],
    ['18446744073.709551616', 'SOL', 'AMOUNT_TOO_LARGE'],
    ['18446744073709.551616', 'USDC', 'AMOUNT_TOO_LARGE'],
    ['9'.repeat(100), 'SOL', 'AMOUNT_TOO_LARGE'],
  ])('rejects %j %s with %s', (text, currency, code) => {
    expect(codeOf(() => parseAmount(text, currency))).toBe(code);
  });

  test('error messages name the problem', () => {
    expect(() => parseAmount('1.0000000001', 'SOL')).toThrow(/SOL has at most 9 decimal places, got 10/);
    expect(() => parseAmount('-3', 'SOL')).toThrow(/negative/);
    expect(() => parseAmount('2e5', 'SOL')).toThrow(/exponent/);
  });

  test('rejects an unknown currency and a non-string', () => {
    expect(codeOf(() => parseAmount('1', 'BTC' as Currency))).toBe('UNKNOWN_CURRENCY');
    expect(codeOf(() => parseAmount(1 as unknown as string, 'SOL'))).toBe('AMOUNT_NOT_NUMERIC');
  });

  test('leading zeros of a million digits do not blow up', () => {
    expect(parseAmount(`${'0'.repeat(1_000_000)}1`, 'SOL')).toBe(1_000_000_000n);
  });
});

describe('formatAmount', () => {
  test.each<[bigint, Currency, string]>([
    [0n, 'SOL', '0'],
    [1n, 'SOL', '0.000000001'],
    [1_000_000_000n, 'SOL', '1'],
    [1_500_000_000n, 'SOL', '1.5'],
    [100_000_000n, 'SOL', '0.1'],
    [123_456_789_012_345n, 'SOL', '123456.789012345'],
    [MAX_BASE_UNITS, 'SOL', '18446744073.709551615'],
    [1n, 'USDC', '0.000001'],
    [250_000n, 'USDC', '0.25'],
    [10_000_000n, 'USDC', '10'],
    [-1_500_000n, 'USDC', '-1.5'],
  ])('%s %s = %s', (baseUnits, currency, text) => {
    expect(formatAmount(baseUnits, currency)).toBe(text);
  });

  test('rejects a non-bigint', () => {
    expect(codeOf(() => formatAmount(1 as unknown as bigint, 'SOL'))).toBe('INVALID_ARGUMENT');
  });

  test('parse(format(x)) = x for every amount in range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_BASE_UNITS }),
        fc.constantFrom(...CURRENCY_CODES),
        (x, currency) => {
          expect(parseAmount(formatAmount(x, currency), currency)).toBe(x);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('format(parse(s)) is the canonical form of s (no leading or trailing zeros)', () => {
    const decimalText = (decimals: number) =>
      fc
        .tuple(fc.stringMatching(/^\d{1,10}$/), fc.stringMatching(new RegExp(`^\\d{0,${decimals}}$`)))
        .map(([whole, fraction]) => (fraction === '' ? whole : `${whole}.${fraction}`));
    for (const currency of CURRENCY_CODES) {
      fc.assert(
        fc.property(decimalText(decimalsOf(currency)), (text) => {
          const canonical = text.includes('.')
            ? text
                .replace(/0+$/, '')
                .replace(/\.$/, '')
                .replace(/^0+(?=\d)/, '')
            : text.replace(/^0+(?=\d)/, '');
          expect(formatAmount(parseAmount(text, currency), currency)).toBe(canonical);
        }),
        { numRuns: 1000 },
      );
    }
  });
});

describe('toDisplayNumber (lossy, legacy fields only)', () => {
  test('vectors', () => {
    expect(toDisplayNumber(1_500_000_000n, 'SOL')).toBe(1.5);
    expect(toDisplayNumber(1n, 'SOL')).toBe(1e-9);
    expect(toDisplayNumber(100_000_000n, 'SOL')).toBe(0.1);
    expect(toDisplayNumber(250_000n, 'USDC')).toBe(0.25);
    expect(toDisplayNumber(0n, 'USDC')).toBe(0);
  });

  test('is the nearest double to the exact value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_BASE_UNITS }),
        fc.constantFrom(...CURRENCY_CODES),
        (x, currency) => {
          expect(toDisplayNumber(x, currency)).toBe(Number(formatAmount(x, currency)));
        },
      ),
    );
  });
});

describe('amountFromDisplayNumber (legacy client numbers)', () => {
  test.each<[number, Currency, bigint]>([
    [0, 'SOL', 0n],
    [0.1, 'SOL', 100_000_000n],
    [1.5, 'SOL', 1_500_000_000n],
    [1e-7, 'SOL', 100n],
    [1e-9, 'SOL', 1n],
    [2.5e-8, 'SOL', 25n],
    [123.456, 'USDC', 123_456_000n],
    [1e9, 'SOL', 1_000_000_000_000_000_000n],
    [0.3, 'USDC', 300_000n],
  ])('%s %s = %s', (value, currency, expected) => {
    expect(amountFromDisplayNumber(value, currency)).toBe(expected);
  });

  test.each<[number, Currency, string]>([
    [1e-10, 'SOL', 'AMOUNT_TOO_MANY_DECIMALS'],
    [0.1234567, 'USDC', 'AMOUNT_TOO_MANY_DECIMALS'],
    [1e21, 'SOL', 'AMOUNT_TOO_LARGE'],
    [-1, 'SOL', 'AMOUNT_NEGATIVE'],
    [Number.NaN, 'SOL', 'AMOUNT_NOT_NUMERIC'],
    [Number.POSITIVE_INFINITY, 'SOL', 'AMOUNT_NOT_NUMERIC'],
  ])('rejects %s %s with %s', (value, currency, code) => {
    expect(codeOf(() => amountFromDisplayNumber(value, currency))).toBe(code);
  });

  // A double round-trips every decimal of at most 15 significant digits.
  test('toDisplayNumber then amountFromDisplayNumber is exact below 10^15 base units', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fc.constantFrom(...CURRENCY_CODES),
        (x, currency) => {
          expect(amountFromDisplayNumber(toDisplayNumber(x, currency), currency)).toBe(x);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseBaseUnits / assertBaseUnits', () => {
  test('vectors', () => {
    expect(parseBaseUnits('0')).toBe(0n);
    expect(parseBaseUnits('1500000000')).toBe(1_500_000_000n);
    expect(parseBaseUnits('18446744073709551615')).toBe(MAX_BASE_UNITS);
    expect(parseBaseUnits('000042')).toBe(42n);
  });

  test.each<[unknown, string]>([
    ['', 'AMOUNT_NOT_INTEGER'],
    ['-1', 'AMOUNT_NOT_INTEGER'],
    ['1.5', 'AMOUNT_NOT_INTEGER'],
    ['1e3', 'AMOUNT_NOT_INTEGER'],
    [' 1', 'AMOUNT_NOT_INTEGER'],
    [12, 'AMOUNT_NOT_INTEGER'],
    ['18446744073709551616', 'AMOUNT_TOO_LARGE'],
    ['9'.repeat(50), 'AMOUNT_TOO_LARGE'],
  ])('parseBaseUnits rejects %j with %s', (text, code) => {
    expect(codeOf(() => parseBaseUnits(text as string))).toBe(code);
  });

  test('assertBaseUnits', () => {
    expect(() => assertBaseUnits(0n)).not.toThrow();
    expect(() => assertBaseUnits(MAX_BASE_UNITS)).not.toThrow();
    expect(codeOf(() => assertBaseUnits(-1n))).toBe('AMOUNT_NEGATIVE');
    expect(codeOf(() => assertBaseUnits(MAX_BASE_UNITS + 1n))).toBe('AMOUNT_TOO_LARGE');
    expect(codeOf(() => assertBaseUnits(5 as unknown as bigint))).toBe('INVALID_ARGUMENT');
  });
});

describe('mulDivFloor', () => {
  test.each<[bigint, bigint, bigint, bigint]>([
    [7n, 3n, 2n, 10n],
    [6n, 3n, 2n, 9n],
    [-7n, 3n, 2n, -11n],
    [7n, -3n, 2n, -11n],
    [7n, 3n, -2n, -11n],
    [-7n, -3n, 2n, 10n],
    [0n, 5n, 3n, 0n],
    [MAX_BASE_UNITS, 10_000n, 10_000n, MAX_BASE_UNITS],
    [MAX_BASE_UNITS, 3_333n, 10_000n, 6_148_299_799_767_393_553n],
  ])('floor(%s × %s / %s) = %s', (a, b, d, expected) => {
    expect(mulDivFloor(a, b, d)).toBe(expected);
  });

  test('division by zero is an error', () => {
    expect(codeOf(() => mulDivFloor(1n, 1n, 0n))).toBe('INVALID_ARGUMENT');
  });

  test('q × d ≤ a × b < (q + 1) × d for d > 0', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), fc.bigInt({ min: 1n, max: 2n ** 70n }), (a, b, d) => {
        const q = mulDivFloor(a, b, d);
        expect(q * d <= a * b).toBe(true);
        expect(a * b < (q + 1n) * d).toBe(true);
      }),
    );
  });
});

describe('ticketsCost', () => {
  test('price × count', () => {
    expect(ticketsCost(100_000_000n, 1)).toBe(100_000_000n);
    expect(ticketsCost(100_000_000n, 25)).toBe(2_500_000_000n);
    expect(ticketsCost(0n, 3)).toBe(0n);
    expect(ticketsCost(5_000_000n, 1000)).toBe(5_000_000_000n);
  });

  test('rejects bad counts, bad prices and overflow', () => {
    expect(codeOf(() => ticketsCost(1n, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => ticketsCost(1n, -1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => ticketsCost(1n, 1.5))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => ticketsCost(1n, Number.NaN))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => ticketsCost(-1n, 1))).toBe('AMOUNT_NEGATIVE');
    expect(codeOf(() => ticketsCost(MAX_BASE_UNITS, 2))).toBe('AMOUNT_TOO_LARGE');
  });
});

describe('plainNumberText (display amounts as JSON text)', () => {
  test.each<[number, string]>([
    [7e-9, '0.000000007'],
    [1.2345e-7, '0.00000012345'],
    [-7e-9, '-0.000000007'],
    [1e21, '1000000000000000000000'],
    [1.5e21, '1500000000000000000000'],
    [0.000001, '0.000001'],
    [1.5, '1.5'],
    [0, '0'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
  ])('%p → %s', (value, text) => {
    expect(plainNumberText(value)).toBe(text);
  });

  test('every display amount and every double: plain digits, the same number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_BASE_UNITS }), fc.constantFrom(...CURRENCY_CODES), (x, c) => {
        const text = plainNumberText(toDisplayNumber(x, c));
        expect(text).toMatch(/^\d+(\.\d+)?$/);
        expect(Number(text)).toBe(toDisplayNumber(x, c));
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = plainNumberText(x);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
      }),
    );
  });
});
