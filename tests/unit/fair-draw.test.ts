// Node's crypto is allowed here (the test is the independent implementation), never in src/domain.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import {
  createTicketDigester,
  type DrawProof,
  type DrawTicket,
  drawWinner,
  drawWinnerIndex,
  isSeedHex,
  seedCommitment,
  ticketSetDigest,
  verifyDrawProof,
} from '../../src/domain/lottery/fair-draw';
import { codeOf } from '../support/domain-error';

// Vectors below were computed once with Node's crypto (createHash/createHmac) and checked
// against the Python snippet in fair-draw.ts; they pin the byte layout.
const SEED_A = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const SEED_B = '9456502aae040d9548ac2e73cf5d51a08325eb068ee9a2be02ca2a6d3c1eaa62';
const COMMIT_A = '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd';
const COMMIT_B = '08d7ac23c38eaec76fb1f965cb63e34c182cea8fb6f9b62edff7462c88a9c588';
const BEACON_1 = '4sGjMW1sUnHzSxGspuhpqLDx6wiyjNtZAMdL4VZHirAn';
const BEACON_2 = 'GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi';
const WALLETS = [
  '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin',
  'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
  '11111111111111111111111111111111',
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'FR1Lz5mtbvyiF7vxnPv2MQU3jUNbsuhyjvpsYJnn5LsL',
] as const;
const wallet = (i: number): string => WALLETS[i % WALLETS.length] ?? WALLETS[0];

const FIVE_TICKETS: DrawTicket[] = [1, 2, 3, 4, 5].map((ticketNumber, i) => ({
  ticketNumber,
  wallet: wallet(i),
}));
const DIGEST_5 = '5a0eb35dffc1908dae5b00b3f786e44516a5e4154f2778d07d402a304943631a';
const DIGEST_5_THIRD_WALLET_CHANGED = '982573569865eafbe01af0f02addf2896096d389c76529412bf8f35fb091611a';
const DIGEST_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The spec of the draw, written independently with Node's crypto. */
function referenceWinner(seedHex: string, beacon: string, digestHex: string, count: number) {
  const key = Buffer.from(seedHex, 'hex');
  const n = BigInt(count);
  const limit = (1n << 64n) - ((1n << 64n) % n);
  for (let counter = 0; ; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(beacon, 'utf8'), Buffer.from(digestHex, 'utf8'), c]))
      .digest();
    const x = block.readBigUInt64BE(0);
    if (x < limit) return { winnerIndex: Number(x % n), rejectedBlocks: counter };
  }
}

const referenceDigest = (tickets: readonly DrawTicket[]): string =>
  createHash('sha256')
    .update(tickets.map((t) => `${t.ticketNumber}:${t.wallet}\n`).join(''), 'utf8')
    .digest('hex');

describe('seedCommitment', () => {
  test('is SHA-256 of the seed bytes, lowercase hex', () => {
    expect(seedCommitment(SEED_A)).toBe(COMMIT_A);
    expect(seedCommitment(SEED_B)).toBe(COMMIT_B);
    expect(seedCommitment(SEED_A.toUpperCase())).toBe(COMMIT_A);
  });

  test.each(['', 'zz', SEED_A.slice(2), `${SEED_A}00`, `${SEED_A.slice(0, 62)}g0`, ` ${SEED_A.slice(1)}`])(
    'rejects seed %j',
    (seed) => {
      expect(codeOf(() => seedCommitment(seed))).toBe('INVALID_SEED');
      expect(isSeedHex(seed)).toBe(false);
    },
  );
});

describe('ticketSetDigest', () => {
  test('fixed vectors', () => {
    expect(ticketSetDigest([])).toBe(DIGEST_EMPTY);
    expect(ticketSetDigest([{ ticketNumber: 1, wallet: WALLETS[0] }])).toBe(
      '8f9e74f754ad546a3397ed9c84f0cfdb8cc4fcd613ce5a267471b97af9b23d7c',
    );
    expect(ticketSetDigest(FIVE_TICKETS)).toBe(DIGEST_5);
  });

  test('changing one ticket changes the digest', () => {
    const walletChanged = FIVE_TICKETS.map((t, i) => (i === 2 ? { ...t, wallet: WALLETS[0] } : t));
    expect(ticketSetDigest(walletChanged)).toBe(DIGEST_5_THIRD_WALLET_CHANGED);
    const numberChanged = FIVE_TICKETS.map((t, i) => (i === 4 ? { ...t, ticketNumber: 6 } : t));
    expect(ticketSetDigest(numberChanged)).not.toBe(DIGEST_5);
    expect(ticketSetDigest(FIVE_TICKETS.slice(0, 4))).not.toBe(DIGEST_5);
  });

  test('demands strictly ascending numbers and valid tickets', () => {
    const [first, second] = FIVE_TICKETS as [DrawTicket, DrawTicket];
    expect(codeOf(() => ticketSetDigest([second, first]))).toBe('TICKETS_OUT_OF_ORDER');
    expect(codeOf(() => ticketSetDigest([first, first]))).toBe('TICKETS_OUT_OF_ORDER');
    expect(codeOf(() => ticketSetDigest([{ ticketNumber: -1, wallet: WALLETS[0] }]))).toBe('INVALID_TICKET');
    expect(codeOf(() => ticketSetDigest([{ ticketNumber: 1.5, wallet: WALLETS[0] }]))).toBe('INVALID_TICKET');
    expect(codeOf(() => ticketSetDigest([{ ticketNumber: 1, wallet: 'not a wallet' }]))).toBe(
      'INVALID_TICKET',
    );
    expect(codeOf(() => ticketSetDigest([{ ticketNumber: 1, wallet: `${WALLETS[0].slice(1)}0` }]))).toBe(
      'INVALID_TICKET',
    );
    expect(
      codeOf(() => ticketSetDigest([{ ticketNumber: 1, wallet: `${WALLETS[0]}\n2:${WALLETS[1]}` }])),
    ).toBe('INVALID_TICKET');
  });

  test('the incremental digester equals the one-shot digest and the reference, across buffer flushes', () => {
    const tickets = Array.from({ length: 5000 }, (_, i) => ({
      ticketNumber: i * 7 + 1,
      wallet: wallet(i * 3),
    }));
    const digester = createTicketDigester();
    tickets.forEach((t) => digester.add(t));
    expect(digester.count).toBe(5000);
    const digest = digester.digestHex();
    expect(digest).toBe(ticketSetDigest(tickets));
    expect(digest).toBe(referenceDigest(tickets));
    expect(() => digester.digestHex()).toThrow(/finished/);
  });

  test('matches the reference encoding for arbitrary ticket lists', () => {
    const base58 = fc.constantFrom(...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz');
    const walletArb = fc.array(base58, { minLength: 32, maxLength: 44 }).map((chars) => chars.join(''));
    const ticketsArb = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), walletArb), { maxLength: 300 })
      .map((pairs) => {
        let number = 0;
        return pairs.map(([gap, w]) => ({ ticketNumber: (number += gap), wallet: w }));
      });
    fc.assert(
      fc.property(ticketsArb, (tickets) => {
        expect(ticketSetDigest(tickets)).toBe(referenceDigest(tickets));
      }),
      { numRuns: 200 },
    );
  });

  // Speed is measured in bench/ (not asserted here); this checks a large set digests identically.
  describe('a large ticket set', () => {
    const tickets = Array.from({ length: 200_000 }, (_, i) => ({ ticketNumber: i + 1, wallet: wallet(i) }));
    const expected = referenceDigest(tickets);

    test('pure JS (@noble/hashes) matches the reference digest', () => {
      expect(ticketSetDigest(tickets)).toBe(expected);
    });

    test('an injected node:crypto hash gives the same digest', () => {
      expect(ticketSetDigest(tickets, { createSha256: () => createHash('sha256') })).toBe(expected);
    });
  });
});

describe('drawWinnerIndex', () => {
  test.each<[string, string, string, number, number]>([
    [SEED_A, BEACON_1, DIGEST_5, 5, 2],
    [SEED_B, BEACON_1, DIGEST_5, 5, 4],
    [SEED_A, BEACON_2, DIGEST_5, 5, 3],
    [SEED_A, BEACON_1, DIGEST_5, 1, 0],
    [SEED_B, BEACON_1, DIGEST_5, 3, 0],
    [SEED_B, BEACON_2, DIGEST_EMPTY, 1_000_000, 40401],
    [SEED_A, BEACON_1, DIGEST_5, Number.MAX_SAFE_INTEGER, 8352774800873016],
  ])(
    'seed %s… beacon %s digest %s… N=%i → %i',
    (seedHex, beaconBlockhash, ticketDigestHex, ticketCount, expected) => {
      const input = { seedHex, beaconBlockhash, ticketDigestHex, ticketCount };
      expect(drawWinnerIndex(input)).toBe(expected);
      expect(drawWinner(input)).toEqual(
        referenceWinner(seedHex, beaconBlockhash, ticketDigestHex, ticketCount),
      );
    },
  );

  test('rejection sampling: a first block above the limit is rejected and the next one used', () => {
    // N = ceil(2^64 / 2049) leaves 2^64 mod N = 9002803354664960, so a block is rejected with
    // probability ≈ 1/2049; this seed (SHA-256 of "reject 3398") was found by search.
    const ticketCount = 9002803354665472;
    const seedHex = 'c50cfa84a7fb8ae1eeb33f1ecc62e3663b43b71aa5252be3a373ed1cc6623b0f';
    const input = { seedHex, beaconBlockhash: BEACON_1, ticketDigestHex: DIGEST_5, ticketCount };
    expect(drawWinner(input)).toEqual({ winnerIndex: 7795583232837888, rejectedBlocks: 1 });

    // The rejected block: its 64-bit value is at or above the limit.
    const limit = (1n << 64n) - ((1n << 64n) % BigInt(ticketCount));
    const first = createHmac('sha256', Buffer.from(seedHex, 'hex'))
      .update(Buffer.concat([Buffer.from(BEACON_1 + DIGEST_5), Buffer.alloc(4)]))
      .digest()
      .readBigUInt64BE(0);
    expect(first >= limit).toBe(true);
  });

  test('uppercase digest hex draws the same as lowercase', () => {
    const input = {
      seedHex: SEED_A,
      beaconBlockhash: BEACON_1,
      ticketDigestHex: DIGEST_5.toUpperCase(),
      ticketCount: 5,
    };
    expect(drawWinnerIndex(input)).toBe(2);
  });

  test('agrees with the reference for arbitrary inputs', () => {
    const hex = (bytes: number) =>
      fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
    fc.assert(
      fc.property(
        hex(32),
        hex(32),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (seedHex, digestHex, n) => {
          const got = drawWinner({
            seedHex,
            beaconBlockhash: BEACON_2,
            ticketDigestHex: digestHex,
            ticketCount: n,
          });
          expect(got).toEqual(referenceWinner(seedHex, BEACON_2, digestHex, n));
          expect(got.winnerIndex).toBeGreaterThanOrEqual(0);
          expect(got.winnerIndex).toBeLessThan(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('uniformity sanity check: 20,000 draws over 10 tickets pass a chi-square test', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const seedHex = createHash('sha256').update(`uniformity ${i}`).digest('hex');
      const index = drawWinnerIndex({
        seedHex,
        beaconBlockhash: BEACON_1,
        ticketDigestHex: DIGEST_5,
        ticketCount: 10,
      });
      buckets[index] = (buckets[index] ?? 0) + 1;
    }
    const expected = 2000;
    const chiSquare = buckets.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.88); // 9 degrees of freedom, p = 0.001
    buckets.forEach((observed) => expect(observed).toBeGreaterThan(0));
  });

  test('rejects malformed inputs', () => {
    const valid = { seedHex: SEED_A, beaconBlockhash: BEACON_1, ticketDigestHex: DIGEST_5, ticketCount: 5 };
    expect(codeOf(() => drawWinnerIndex({ ...valid, seedHex: 'abc' }))).toBe('INVALID_SEED');
    expect(codeOf(() => drawWinnerIndex({ ...valid, beaconBlockhash: '0OIl' + BEACON_1.slice(4) }))).toBe(
      'INVALID_BEACON',
    );
    expect(codeOf(() => drawWinnerIndex({ ...valid, beaconBlockhash: '' }))).toBe('INVALID_BEACON');
    expect(codeOf(() => drawWinnerIndex({ ...valid, ticketDigestHex: DIGEST_5.slice(1) }))).toBe(
      'INVALID_TICKET_DIGEST',
    );
    expect(codeOf(() => drawWinnerIndex({ ...valid, ticketDigestHex: `${DIGEST_5.slice(1)}x` }))).toBe(
      'INVALID_TICKET_DIGEST',
    );
    for (const ticketCount of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
      expect(codeOf(() => drawWinnerIndex({ ...valid, ticketCount }))).toBe('INVALID_TICKET_COUNT');
    }
  });
});

describe('verifyDrawProof', () => {
  // Winner: index 2 of FIVE_TICKETS, i.e. ticket 3 of WALLETS[2].
  const proof: DrawProof = {
    roundId: '2026-03',
    seedCommitment: COMMIT_A,
    revealedSeed: SEED_A,
    tickets: FIVE_TICKETS,
    ticketDigest: DIGEST_5,
    ticketCount: 5,
    beaconSlot: 312_345_678,
    beaconBlockhash: BEACON_1,
    winnerIndex: 2,
    winnerTicketNumber: 3,
    winnerWallet: WALLETS[2],
  };
  const { tickets: _omitted, ...withoutTickets } = proof;
  const digestOnly: DrawProof = { ...withoutTickets, ticketDigest: DIGEST_5, ticketCount: 5 };

  test('a genuine proof with the ticket list verifies completely', () => {
    expect(verifyDrawProof(proof)).toEqual({
      ok: true,
      checks: { commitment: 'OK', digest: 'OK', winner: 'OK' },
      winnerIndex: 2,
      winnerTicketNumber: 3,
      ticketDigest: DIGEST_5,
      problems: [],
    });
  });

  test('tickets alone (no published digest or count) are enough', () => {
    const { ticketDigest: _d, ticketCount: _c, ...ticketsOnly } = proof;
    expect(verifyDrawProof(ticketsOnly).ok).toBe(true);
  });

  test('a digest-only proof verifies commitment and winner index, digest NOT_CHECKED', () => {
    const result = verifyDrawProof(digestOnly);
    expect(result.ok).toBe(true);
    expect(result.checks).toEqual({ commitment: 'OK', digest: 'NOT_CHECKED', winner: 'OK' });
    expect(result.winnerIndex).toBe(2);
    expect(result.winnerTicketNumber).toBeNull();
  });

  test('tampered seed: commitment MISMATCH (and the draw changes)', () => {
    const result = verifyDrawProof({ ...proof, revealedSeed: SEED_B });
    expect(result.ok).toBe(false);
    expect(result.checks.commitment).toBe('MISMATCH');
    expect(result.checks.winner).toBe('MISMATCH');
    expect(result.winnerIndex).toBe(4);
  });

  test('a seed that matches a forged commitment still fails when the commitment was published', () => {
    const result = verifyDrawProof({ ...proof, seedCommitment: COMMIT_B });
    expect(result.checks.commitment).toBe('MISMATCH');
    expect(result.ok).toBe(false);
  });

  test('malformed seed: MISMATCH, no throw', () => {
    const result = verifyDrawProof({ ...proof, revealedSeed: 'not hex' });
    expect(result.ok).toBe(false);
    expect(result.checks.commitment).toBe('MISMATCH');
    expect(result.checks.winner).toBe('MISMATCH');
    expect(result.problems.join('\n')).toMatch(/seed/);
  });

  test('tampered ticket list: digest MISMATCH', () => {
    const tickets = FIVE_TICKETS.map((t, i) => (i === 2 ? { ...t, wallet: WALLETS[0] } : t));
    const result = verifyDrawProof({ ...proof, tickets });
    expect(result.ok).toBe(false);
    expect(result.checks.digest).toBe('MISMATCH');
    expect(result.checks.winner).toBe('MISMATCH'); // the winning ticket's wallet changed too
  });

  test('tampered published digest: digest MISMATCH with tickets, winner MISMATCH without', () => {
    expect(verifyDrawProof({ ...proof, ticketDigest: DIGEST_5_THIRD_WALLET_CHANGED }).checks.digest).toBe(
      'MISMATCH',
    );
    const result = verifyDrawProof({ ...digestOnly, ticketDigest: DIGEST_5_THIRD_WALLET_CHANGED });
    expect(result.ok).toBe(false);
    expect(result.checks.winner).toBe('MISMATCH');
    expect(result.winnerIndex).toBe(1);
  });

  test('tampered ticket count: digest MISMATCH', () => {
    const result = verifyDrawProof({ ...proof, ticketCount: 6 });
    expect(result.ok).toBe(false);
    expect(result.checks.digest).toBe('MISMATCH');
  });

  test('tampered beacon: winner MISMATCH', () => {
    for (const p of [proof, digestOnly]) {
      const result = verifyDrawProof({ ...p, beaconBlockhash: BEACON_2 });
      expect(result.ok).toBe(false);
      expect(result.checks).toMatchObject({ commitment: 'OK', winner: 'MISMATCH' });
      expect(result.winnerIndex).toBe(3);
    }
  });

  test('tampered winner index, number or wallet: winner MISMATCH', () => {
    for (const tampered of [
      { winnerIndex: 3 },
      { winnerTicketNumber: 4 },
      { winnerWallet: WALLETS[0] },
    ] satisfies Partial<DrawProof>[]) {
      const result = verifyDrawProof({ ...proof, ...tampered });
      expect(result.ok).toBe(false);
      expect(result.checks).toEqual({ commitment: 'OK', digest: 'OK', winner: 'MISMATCH' });
      expect(result.problems).toHaveLength(1);
    }
    expect(verifyDrawProof({ ...digestOnly, winnerIndex: 0 }).checks.winner).toBe('MISMATCH');
  });

  test('a 1,000-ticket proof survives a JSON round trip', () => {
    const tickets = Array.from({ length: 1000 }, (_, i) => ({ ticketNumber: i + 1, wallet: wallet(i) }));
    const digest = 'f7176b560978f8f3239ca034a6d43c8fd691c9c5ca7d03e5726889275eb40695';
    expect(ticketSetDigest(tickets)).toBe(digest);
    const bigProof: DrawProof = {
      roundId: 'r-1000',
      seedCommitment: COMMIT_B,
      revealedSeed: SEED_B,
      tickets,
      ticketDigest: digest,
      ticketCount: 1000,
      beaconSlot: 1,
      beaconBlockhash: BEACON_2,
      winnerIndex: 120,
      winnerTicketNumber: 121,
      winnerWallet: wallet(120),
    };
    const result = verifyDrawProof(JSON.parse(JSON.stringify(bigProof)) as DrawProof);
    expect(result.ok).toBe(true);
    expect(result.winnerTicketNumber).toBe(121);
  });
});
