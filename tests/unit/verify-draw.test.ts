import crypto from 'node:crypto';
import bs58 from 'bs58';
import {
  drawWinner,
  seedCommitment,
  ticketSetDigest,
  type DrawProof,
} from '../../src/domain/lottery/fair-draw';
import { checkDrawProof } from '../../src/cli/verify-draw';

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
