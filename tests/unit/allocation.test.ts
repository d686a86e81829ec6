import {
  allocationDigest,
  allocationText,
  createAllocationDigester,
  distributionMemo,
  verifyAllocation,
  type PublishedAllocation,
} from '../../src/domain/revenue/allocation';

// Fixed vector: four well-known addresses as mints, in byte order ("E" < "S" < "T" < "m"; a
// locale collation would put "metaq…" second). Digest computed independently:
//   python3 -c 'import hashlib; print(hashlib.sha256(open("allocation.txt","rb").read()).hexdigest())'
const MINTS = [
  'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
  'So11111111111111111111111111111111111111112',
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s',
];
const OWNER_A = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
const OWNER_B = '11111111111111111111111111111111';
const OWNERS = [OWNER_A, OWNER_B, OWNER_A, OWNER_B];
// Σ sources 3 000 000 008 at 4 444 bps → 1 333 200 003; over 4 passes 333 300 000 each, dust 3.
const PER_PASS = '333300000';
const ENTRIES = MINTS.map((passMint, i) => ({ passMint, owner: OWNERS[i]!, amountBaseUnits: PER_PASS }));
const DIGEST = '646099b30e7052f5ec5feed0b65bf8d995d82081a29458af791513e70eb247be';
const MEMO =
  'stoned-rabbits:distribution:v1 month=2026-02 snapshotSlot=123456 passes=4 perPass=333300000 ' +
  `currency=SOL dust=3 allocation=${DIGEST}`;

function published(): PublishedAllocation {
  return {
    month: '2026-02',
    currency: 'SOL',
    tokenMint: null,
    totalRevenueBaseUnits: '3000000008',
    shareBps: 4444,
    distributionAmountBaseUnits: '1333200003',
    perPassAmountBaseUnits: PER_PASS,
    dustBaseUnits: '3',
    passCount: 4,
    snapshotSlot: 123456,
    sources: [
      { name: 'Royalties', amountBaseUnits: '1000000001' },
      { name: 'Merch', amountBaseUnits: '2000000007' },
    ],
    allocationDigest: DIGEST,
    memo: MEMO,
    memoSignature: null,
    memoSlot: null,
    passes: ENTRIES.map((e) => ({ ...e, claimStatus: 'unclaimed', payoutSignature: null })),
  };
}

const failed = (a: PublishedAllocation) =>
  verifyAllocation(a)
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('allocation (canonical text, digest, memo)', () => {
  it('serializes one line per pass and hashes the fixed vector', () => {
    expect(allocationText(ENTRIES)).toBe(
      `${MINTS[0]},${OWNER_A},${PER_PASS}\n${MINTS[1]},${OWNER_B},${PER_PASS}\n` +
        `${MINTS[2]},${OWNER_A},${PER_PASS}\n${MINTS[3]},${OWNER_B},${PER_PASS}\n`,
    );
    expect(allocationDigest(ENTRIES)).toBe(DIGEST);
    // The empty list is SHA-256 of nothing.
    expect(allocationDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('digests page by page exactly as in one go', () => {
    const digester = createAllocationDigester();
    for (const e of ENTRIES) digester.add(e);
    expect(digester.count).toBe(4);
    expect(digester.digestHex()).toBe(DIGEST);
  });

  it('refuses a list out of byte order, a duplicate, a bad address or amount', () => {
    const swapped = [ENTRIES[0]!, ENTRIES[3]!, ENTRIES[1]!, ENTRIES[2]!]; // locale order
    expect(() => allocationDigest(swapped)).toThrow(/strictly ascending in byte order/);
    expect(() => allocationDigest([ENTRIES[0]!, ENTRIES[0]!])).toThrow(/strictly ascending/);
    expect(() => allocationDigest([{ ...ENTRIES[0]!, owner: 'not-base58-0OIl' }])).toThrow(/owner/);
    expect(() => allocationDigest([{ ...ENTRIES[0]!, amountBaseUnits: '0100' }])).toThrow(/leading zeros/);
    expect(() => allocationDigest([{ ...ENTRIES[0]!, amountBaseUnits: '-1' }])).toThrow(/amountBaseUnits/);
  });

  it('writes the versioned memo (fixed vector) and refuses invalid fields', () => {
    const fields = {
      month: '2026-02',
      snapshotSlot: 123456,
      passCount: 4,
      perPassAmountBaseUnits: PER_PASS,
      currency: 'SOL' as const,
      dustBaseUnits: '3',
      allocationDigest: DIGEST,
    };
    expect(distributionMemo(fields)).toBe(MEMO);
    expect(distributionMemo({ ...fields, currency: 'USDC', dustBaseUnits: '0' })).toBe(
      MEMO.replace('currency=SOL dust=3', 'currency=USDC dust=0'),
    );
    expect(() => distributionMemo({ ...fields, month: '2026-13' })).toThrow(/month/);
    expect(() => distributionMemo({ ...fields, allocationDigest: DIGEST.toUpperCase() })).toThrow(
      /allocationDigest/,
    );
    expect(() => distributionMemo({ ...fields, passCount: 0 })).toThrow(/passCount/);
  });

  it('verifies an honest allocation: every check passes', () => {
    const checks = verifyAllocation(published());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      'total revenue = Σ sources',
      'distribution amount = floor(total × 4444 / 10000)',
      'pass count = passes listed',
      'per-pass = floor(distribution / passes)',
      'dust = distribution − per-pass × passes',
      'every pass is owed the per-pass amount',
      'canonical order (by mint, byte-wise, no duplicates)',
      'allocation digest = SHA-256 of the canonical list',
      'memo text = the declared figures and digest',
    ]);
  });

  it('names the failed check for each tampering', () => {
    const a = published();
    a.passes[1]!.amountBaseUnits = '333300001';
    expect(failed(a)).toEqual([
      'every pass is owed the per-pass amount',
      'allocation digest = SHA-256 of the canonical list',
    ]);

    const b = published();
    b.passes[2]!.owner = OWNER_B;
    expect(failed(b)).toEqual(['allocation digest = SHA-256 of the canonical list']);

    const c = published();
    c.shareBps = 5000;
    expect(failed(c)).toEqual([
      'distribution amount = floor(total × 5000 / 10000)',
      'per-pass = floor(distribution / passes)',
      'dust = distribution − per-pass × passes',
    ]);

    const d = published();
    d.sources[0]!.amountBaseUnits = '1000000000';
    expect(failed(d)).toContain('total revenue = Σ sources');

    const e = published();
    e.passes.pop();
    expect(failed(e)).toEqual(
      expect.arrayContaining([
        'pass count = passes listed',
        'allocation digest = SHA-256 of the canonical list',
      ]),
    );

    const f = published();
    f.memo = f.memo.replace('dust=3', 'dust=0');
    expect(failed(f)).toEqual(['memo text = the declared figures and digest']);

    const g = published();
    g.passes.reverse();
    expect(failed(g)).toEqual(['canonical order (by mint, byte-wise, no duplicates)']);
  });
});
