import { isLotteryReceiptKind, roundIdProblem } from '../../src/domain/lottery/vocabulary';
import { roundId } from '../../src/api/schemas';

test('a round id is 1..50 letters, digits, "_" or "-", checked once for domain and API', () => {
  for (const ok of ['r', 'round-2026-02', 'A_b-9', 'x'.repeat(50)]) {
    expect(roundIdProblem(ok)).toBeUndefined();
    expect(roundId.safeParse(ok).success).toBe(true);
  }
  for (const bad of ['', 'x'.repeat(51), 'a b', 'a/b', 'ü', 7, null]) {
    expect(roundIdProblem(bad)).toMatch(/letters, digits/);
    const parsed = roundId.safeParse(bad);
    expect(parsed.success).toBe(false);
  }
});

test('only purchases and burns are lottery receipts', () => {
  expect(isLotteryReceiptKind('purchase')).toBe(true);
  expect(isLotteryReceiptKind('burn')).toBe(true);
  expect(isLotteryReceiptKind('funding')).toBe(false);
  expect(isLotteryReceiptKind('payout')).toBe(false);
});
