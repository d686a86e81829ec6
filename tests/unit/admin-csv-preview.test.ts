/** The revenue CSV preview marks exactly the rows the API refuses, with the API's messages. */
import { previewRevenueCsv } from '../../admin/src/lib/revenue-csv';
import { parseSourcesCsv } from '../../src/domain/revenue/sources-csv';

describe('revenue CSV preview', () => {
  it('parses whole units to base units, with or without a header', () => {
    for (const text of ['name,amount\nRoyalties,12.5\nMerch,3\n', 'Royalties,12.5\r\n\r\nMerch,3']) {
      const preview = previewRevenueCsv(text, 'SOL');
      expect(preview.ok).toBe(true);
      expect(preview.rows.map((r) => [r.row, r.name, r.amountBaseUnits])).toEqual([
        [1, 'Royalties', '12500000000'],
        [2, 'Merch', '3000000000'],
      ]);
      expect(preview.total).toBe(15_500_000_000n);
    }
  });

  it('keeps commas inside a quoted name and splits on the last comma', () => {
    const preview = previewRevenueCsv('"Royalties, Magic Eden",1.25', 'USDC');
    expect(preview.rows[0]).toMatchObject({
      name: 'Royalties, Magic Eden',
      amountBaseUnits: '1250000',
      error: null,
    });
  });

  it('reports every bad row, numbered like the API does', () => {
    const text = 'name,amount\nRoyalties,1.5\nMerch,-2\nBad\n,4\nTiny,0.0000001\nRoyalties,2';
    const preview = previewRevenueCsv(text, 'USDC');
    expect(preview.ok).toBe(false);
    expect(preview.rows.filter((r) => r.error).map((r) => [r.row, r.error])).toEqual([
      [2, 'amount: must not be negative, got "-2"'],
      [3, 'expected "name,amount"'],
      [4, 'name must be 1..200 characters'],
      [5, 'amount: USDC has at most 6 decimal places, got 7 in "0.0000001"'],
      [6, '"Royalties" is listed twice'],
    ]);
    // The rows the preview marks (bar duplicates, which the API refuses as a whole) are the API's.
    expect(parseSourcesCsv(text, 'USDC').errors.map((e) => e.row)).toEqual([2, 3, 4, 5]);
    expect(preview.total).toBe(1_500_000n);
  });

  it('refuses an empty file and a total above u64', () => {
    expect(previewRevenueCsv('name,amount\n', 'SOL')).toMatchObject({ ok: false, fileErrors: ['no rows'] });
    const huge = previewRevenueCsv('A,18446744073.709551615\nB,1', 'SOL');
    expect(huge.fileErrors).toEqual(['the total is larger than the largest on-chain amount']);
    expect(huge.ok).toBe(false);
  });
});
