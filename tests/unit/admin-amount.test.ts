/** The dashboard's amount fields: decimal text → exact base units, never through a float. */
import fc from 'fast-check';
import {
  displayAmount,
  displayBps,
  displayUsd,
  parseAmountInput,
  parseSharePercent,
  parseUsdInput,
} from '../../admin/src/lib/amount';
import { formatAmount, MAX_BASE_UNITS } from '../../src/domain/money';

describe('parseAmountInput', () => {
  it.each([
    ['1.5', 'SOL', 1_500_000_000n],
    [' 0.01 ', 'SOL', 10_000_000n],
    ['.25', 'SOL', 250_000_000n],
    ['2.', 'USDC', 2_000_000n],
    ['0.000000001', 'SOL', 1n],
    ['0.1', 'SOL', 100_000_000n],
    ['18446744073.709551615', 'SOL', MAX_BASE_UNITS],
    ['1.000001', 'USDC', 1_000_001n],
  ] as const)('%s %s → %s base units', (text, currency, expected) => {
    expect(parseAmountInput(text, currency)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'enter an amount'],
    ['1,5', 'use a point for decimals'],
    ['1,000', 'use a point for decimals'],
    ['-1', 'must not be negative'],
    ['1e3', 'exponent'],
    ['0.0000000001', 'at most 9 decimal places'],
    ['abc', 'not a plain decimal number'],
    ['18446744073.709551616', 'exceeds the maximum'],
  ])('refuses %j with a reason', (text, reason) => {
    const parsed = parseAmountInput(text, 'SOL');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });

  it('refuses zero where a price must be positive', () => {
    expect(parseAmountInput('0', 'USDC', { positive: true })).toEqual({
      ok: false,
      error: 'must be more than 0',
    });
    expect(parseAmountInput('0', 'USDC')).toEqual({ ok: true, value: 0n });
  });

  it('round-trips every base-unit amount through its decimal text exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_BASE_UNITS }),
        fc.constantFrom('SOL', 'USDC'),
        (value, currency) => {
          const c = currency as 'SOL' | 'USDC';
          expect(parseAmountInput(formatAmount(value, c), c)).toEqual({ ok: true, value });
        },
      ),
    );
  });
});

describe('display helpers', () => {
  it('groups whole units and keeps every decimal', () => {
    expect(displayAmount('1234567000000001', 'SOL')).toBe('1,234,567.000000001');
    expect(displayAmount(0n, 'USDC')).toBe('0');
    expect(displayAmount(null, 'SOL')).toBe('—');
  });

  it('parses shares in percent to basis points', () => {
    expect(parseSharePercent('50')).toEqual({ ok: true, value: 5000 });
    expect(parseSharePercent('33.33')).toEqual({ ok: true, value: 3333 });
    expect(parseSharePercent('0.5')).toEqual({ ok: true, value: 50 });
    expect(parseSharePercent('100.01').ok).toBe(false);
    expect(parseSharePercent('12.345').ok).toBe(false);
    expect(displayBps(3333)).toBe('33.33 %');
    expect(displayBps(5000)).toBe('50 %');
  });

  it('parses US dollars to cents exactly', () => {
    expect(parseUsdInput('2500.5')).toEqual({ ok: true, value: '250050' });
    expect(parseUsdInput('$0.07')).toEqual({ ok: true, value: '7' });
    expect(parseUsdInput('1.234').ok).toBe(false);
    expect(displayUsd('250050')).toBe('$2,500.50');
    expect(displayUsd(null)).toBe('—');
  });
});
