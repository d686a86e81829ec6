import crypto from 'node:crypto';
import bs58 from 'bs58';
import {
  drawWinner,
  seedCommitment,
  ticketSetDigest,
  type DrawProof,
} from '../../src/domain/lottery/fair-draw';
import { checkDrawProof } from '../../src/cli/verify-draw';
import {
  commitMemoText,
  verifyAnchors,
  type AnchorChainFacts,
  type AnchoredProof,
} from '../../src/domain/lottery/anchors';

const wallet = (i: number) => bs58.encode(crypto.createHash('sha256').update(`wallet-${i}`).digest());

function proofOf(count: number): DrawProof & { ticketDigest: string; ticketCount: number } {
  const seed = crypto.randomBytes(32).toString('hex');
  const tickets = Array.from({ length: count }, (_, i) => ({ ticketNumber: i + 1, wallet: wallet(i % 7) }));
  const ticketDigest = ticketSetDigest(tickets);
  const beaconBlockhash = bs58.encode(crypto.randomBytes(32));
  const { winnerIndex } = drawWinner({
    seedHex: seed,
    beaconBlockhash,
    ticketDigestHex: ticketDigest,
    ticketCount: count,
  });
  const winner = tickets[winnerIndex]!;
  return {
    roundId: 'r1',
    seedCommitment: seedCommitment(seed),
    revealedSeed: seed,
    beaconSlot: 42,
    beaconBlockhash,
    winnerIndex,
    winnerTicketNumber: winner.ticketNumber,
    winnerWallet: winner.wallet,
    tickets,
    ticketDigest,
    ticketCount: count,
  };
}

/** A different beacon under which the same seed and tickets draw another index. */
function beaconMovingTheWinner(proof: ReturnType<typeof proofOf>): string {
  for (let i = 0; ; i++) {
    const beaconBlockhash = bs58.encode(crypto.createHash('sha256').update(`beacon-${i}`).digest());
    const { winnerIndex } = drawWinner({
      seedHex: proof.revealedSeed,
      beaconBlockhash,
      ticketDigestHex: proof.ticketDigest,
      ticketCount: proof.ticketCount,
    });
    if (winnerIndex !== proof.winnerIndex) return beaconBlockhash;
  }
}

describe('verify-draw (the CLI check of a public proof)', () => {
  it('says MATCH for an honest proof', () => {
    expect(checkDrawProof(proofOf(25)).verdict).toBe('MATCH');
  });

  it('says MISMATCH when a ticket, the seed, the beacon or the winner is changed', () => {
    const honest = proofOf(25);
    const tickets = honest.tickets ?? [];
    const tamperings: DrawProof[] = [
      { ...honest, tickets: tickets.map((t, i) => (i === 3 ? { ...t, wallet: wallet(99) } : t)) },
      { ...honest, revealedSeed: crypto.randomBytes(32).toString('hex') },
      // From the proof alone a beacon shows only by moving the winner (the chain check, --rpc, sees any change).
      { ...honest, beaconBlockhash: beaconMovingTheWinner(honest) },
      {
        ...honest,
        winnerIndex: (honest.winnerIndex + 1) % 25,
        winnerTicketNumber: ((honest.winnerIndex + 1) % 25) + 1,
      },
    ];
    for (const proof of tamperings) {
      const result = checkDrawProof(proof);
      expect(result.verdict).toBe('MISMATCH');
      expect(result.verification.problems.length).toBeGreaterThan(0);
    }
  });

  it('says MISMATCH (not a crash) for a malformed proof', () => {
    const result = checkDrawProof({ ...proofOf(3), revealedSeed: 'not-hex' });
    expect(result.verdict).toBe('MISMATCH');
  });
});

describe("verify-draw: the commitment memo is before sales opened, and the start is the rule's", () => {
  const requested = { startDate: '2027-01-01T00:00:00.000Z', endDate: '2027-01-02T00:00:00.000Z' };
  const seedCommitment = 'c'.repeat(64);
  const text = commitMemoText({
    roundId: 'r1',
    seedCommitment,
    ...requested,
    ticketPriceLamports: '1',
    ticketPriceUsdc: '1',
  });
  const proofStarting = (startDate: string): AnchoredProof => ({
    roundId: 'r1',
    seedCommitment,
    beaconSlot: 40,
    beaconBlockhash: 'x',
    startDate,
    anchors: {
      commitMemo: { signature: 'sig', slot: 7, text },
      digestMemo: null,
      beaconRule: { name: 'first-block-at-or-after-v1', delaySlots: null, commitment: 'finalized' },
    },
  });
  const memoAt = (iso: string): AnchorChainFacts => ({
    commitMemo: { slot: 7, blockTime: Date.parse(iso) / 1000, texts: [text], failed: false },
    digestMemo: null,
    ruleBeacon: null,
    anchorMemosOfRound: ['sig'],
  });
  const startCheck = (proof: AnchoredProof, chain?: AnchorChainFacts) =>
    verifyAnchors(proof, chain).find((c) => c.name === 'commitment memo before start')!;

  it('OK when the memo landed before the requested start and the round kept it', () => {
    expect(startCheck(proofStarting(requested.startDate), memoAt('2026-12-31T23:00:00.000Z'))).toMatchObject({
      result: 'OK',
    });
  });

  it('OK when the memo landed after the requested start and sales opened the second after it', () => {
    const check = startCheck(proofStarting('2027-01-01T00:05:01.000Z'), memoAt('2027-01-01T00:05:00.000Z'));
    expect(check.result).toBe('OK');
    expect(check.detail).toMatch(/the memo asked 2027-01-01T00:00:00.000Z/);
  });

  it('MISMATCH when the round states the requested start although the memo landed after it', () => {
    const check = startCheck(proofStarting(requested.startDate), memoAt('2027-01-01T00:05:00.000Z'));
    expect(check.result).toBe('MISMATCH');
    expect(check.detail).toMatch(
      /is not before start 2027-01-01T00:00:00.000Z; by the rule sales open at 2027-01-01T00:05:01.000Z/,
    );
  });

  it('MISMATCH when the stated start is later than the rule (sales opened earlier than published)', () => {
    const check = startCheck(proofStarting('2027-01-01T00:09:00.000Z'), memoAt('2027-01-01T00:05:00.000Z'));
    expect(check.result).toBe('MISMATCH');
    expect(check.detail).toMatch(/is not when sales opened/);
  });

  it('MISMATCH when the memo landed after the window', () => {
    const check = startCheck(proofStarting('2027-01-02T00:00:01.000Z'), memoAt('2027-01-02T00:00:00.000Z'));
    expect(check).toMatchObject({
      result: 'MISMATCH',
      detail: expect.stringMatching(/leaves nothing of the window/),
    });
  });

  it("from the proof alone: a moved start is NOT_CHECKED, a start before the memo's is MISMATCH", () => {
    expect(startCheck(proofStarting('2027-01-01T00:05:01.000Z')).result).toBe('NOT_CHECKED');
    expect(startCheck(proofStarting('2026-12-31T00:00:00.000Z')).result).toBe('MISMATCH');
  });
});
