import {
  beaconTargetSlot,
  commitMemoText,
  freezeMemoText,
  parseCommitMemo,
  parseFreezeMemo,
  ruleBeaconSlot,
  salesOpenAt,
} from '../../src/domain/lottery/anchors';

const commitment = 'a'.repeat(64);
const digest = '0123456789abcdef'.repeat(4);

describe('anchor memo formats (fixed vectors)', () => {
  it('writes the commitment memo byte for byte', () => {
    expect(
      commitMemoText({
        roundId: 'round-2027-01',
        seedCommitment: commitment.toUpperCase(),
        startDate: '2027-01-01T00:00:00Z',
        endDate: '2027-01-31T23:59:59.000Z',
        ticketPriceLamports: '10000000',
        ticketPriceUsdc: '1000000',
      }),
    ).toBe(
      `stoned-rabbits:lottery-commit:v1 round=round-2027-01 commitment=${commitment} ` +
        'start=2027-01-01T00:00:00.000Z end=2027-01-31T23:59:59.000Z priceLamports=10000000 priceUsdc=1000000',
    );
  });

  it('writes the freeze memo byte for byte', () => {
    expect(
      freezeMemoText({ roundId: 'r1', ticketCount: 1234, ticketDigest: digest, beaconDelaySlots: 32 }),
    ).toBe(`stoned-rabbits:lottery-freeze:v1 round=r1 tickets=1234 digest=${digest} beaconDelaySlots=32`);
  });

  it('parses what it writes, and nothing else', () => {
    const commit = {
      roundId: 'r1',
      seedCommitment: commitment,
      startDate: '2027-01-01T00:00:00.000Z',
      endDate: '2027-01-02T00:00:00.000Z',
      ticketPriceLamports: '1',
      ticketPriceUsdc: '0',
    };
    const text = commitMemoText(commit);
    expect(parseCommitMemo(text)).toEqual(commit);
    expect(parseCommitMemo(`${text} `)).toBeNull();
    expect(parseCommitMemo(text.replace(':v1', ':v2'))).toBeNull();
    expect(
      parseCommitMemo(text.replace('start=2027-01-01T00:00:00.000Z', 'start=2027-01-01T00:00:00Z')),
    ).toBeNull();
    expect(
      parseCommitMemo(text.replace(`commitment=${commitment}`, `commitment=${commitment.slice(1)}`)),
    ).toBeNull();

    const freeze = { roundId: 'r1', ticketCount: 7, ticketDigest: digest, beaconDelaySlots: 32 };
    const frozen = freezeMemoText(freeze);
    expect(parseFreezeMemo(frozen)).toEqual(freeze);
    expect(parseFreezeMemo(frozen.replace('tickets=7', 'tickets=07'))).toBeNull();
    expect(parseFreezeMemo(frozen.replace(' beaconDelaySlots=32', ''))).toBeNull();
    expect(parseFreezeMemo(text)).toBeNull();
  });

  it('refuses fields that would not parse back', () => {
    expect(() =>
      freezeMemoText({ roundId: 'a b', ticketCount: 1, ticketDigest: digest, beaconDelaySlots: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      freezeMemoText({ roundId: 'r', ticketCount: -1, ticketDigest: digest, beaconDelaySlots: 1 }),
    ).toThrow(/tickets/);
    expect(() =>
      freezeMemoText({ roundId: 'r', ticketCount: 1, ticketDigest: 'xyz', beaconDelaySlots: 1 }),
    ).toThrow(/digest/);
  });
});

describe('beacon rule: first produced block at or after digest slot + delay', () => {
  it('takes the target slot itself when it has a block', () => {
    expect(beaconTargetSlot(100, 32)).toBe(132);
    expect(ruleBeaconSlot([130, 131, 132, 133], 100, 32)).toBe(132);
  });

  it('skips slots without a block to the next produced one, whatever the order given', () => {
    expect(ruleBeaconSlot([140, 129, 135, 131], 100, 32)).toBe(135);
  });

  it('never takes a block before the target, even the digest memo block itself', () => {
    expect(ruleBeaconSlot([100, 120, 131], 100, 32)).toBeNull();
    expect(ruleBeaconSlot([], 100, 32)).toBeNull();
  });

  it('with a run of skipped slots across a boundary (e.g. an epoch of 432000 slots), the next block after it', () => {
    expect(ruleBeaconSlot([431_990, 432_003], 431_960, 32)).toBe(432_003);
  });
});

describe('sales open once the commitment is on chain (salesOpenAt)', () => {
  const window = { startDate: '2027-01-01T00:00:10.000Z', endDate: '2027-01-01T01:00:00.000Z' };
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  it('keeps a requested start that is after the memo, even by a fraction of a second', () => {
    expect(salesOpenAt(window, seconds('2027-01-01T00:00:00.000Z'))).toBe(window.startDate);
    expect(
      salesOpenAt({ ...window, startDate: '2027-01-01T00:00:09.500Z' }, seconds('2027-01-01T00:00:09.000Z')),
    ).toBe('2027-01-01T00:00:09.500Z');
  });

  it('moves a start the memo reached or passed to the first whole second after the memo', () => {
    expect(salesOpenAt(window, seconds(window.startDate))).toBe('2027-01-01T00:00:11.000Z');
    expect(salesOpenAt(window, seconds('2027-01-01T00:20:00.000Z'))).toBe('2027-01-01T00:20:01.000Z');
  });

  it('opens nothing when the memo leaves no time before the end', () => {
    expect(salesOpenAt(window, seconds('2027-01-01T00:59:58.000Z'))).toBe('2027-01-01T00:59:59.000Z');
    expect(salesOpenAt(window, seconds('2027-01-01T00:59:59.000Z'))).toBeNull();
    expect(salesOpenAt(window, seconds('2027-01-01T02:00:00.000Z'))).toBeNull();
  });
});
