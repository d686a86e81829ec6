import fc from 'fast-check';
import { toPlainJson } from '../../src/api/json';
import { toDisplayNumber } from '../../src/domain/money';

describe("the API's JSON writer", () => {
  test('display amounts in plain decimal notation, everything else as JSON.stringify writes it', () => {
    const body = {
      prizePool: toDisplayNumber(7n, 'SOL'),
      ticketPrice: { SOL: 1e-8, USDC: 0.00002 },
      big: 1e21,
      list: [-7e-9, 1, 'x'],
      text: '7e-9',
      at: new Date('2026-01-01T00:00:00Z'),
      gone: undefined,
    };
    expect(toPlainJson(body)).toBe(
      '{"prizePool":0.000000007,"ticketPrice":{"SOL":0.00000001,"USDC":0.00002},"big":1000000000000000000000,' +
        '"list":[-0.000000007,1,"x"],"text":"7e-9","at":"2026-01-01T00:00:00.000Z"}',
    );
    expect(toPlainJson(undefined)).toBeUndefined();
  });

  test('any value: parses back to what JSON.stringify gives, with no number in exponent notation', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = toPlainJson(value)!;
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        // Outside strings, no exponent: strip the strings, then look for one.
        expect(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\de/i);
      }),
    );
  });
});
