/** The dashboard's in-browser draw check runs the workflow's own fair-draw module on the public proof. */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import { checkPublicProof, type PublicProof } from '../../admin/src/lib/proof';
import { commitMemoText, freezeMemoText } from '../../src/domain/lottery/anchors';
import { drawWinnerIndex, seedCommitment, ticketSetDigest } from '../../src/domain/lottery/fair-draw';

const wallet = () => bs58.encode(crypto.randomBytes(32));

function proofOf(count: number): PublicProof {
  const seed = crypto.randomBytes(32).toString('hex');
  const beacon = bs58.encode(crypto.randomBytes(32));
  const tickets = Array.from({ length: count }, (_, i) => ({ ticketNumber: i + 1, wallet: wallet() }));
  const digest = ticketSetDigest(tickets);
  const index = drawWinnerIndex({
    seedHex: seed,
    beaconBlockhash: beacon,
    ticketDigestHex: digest,
    ticketCount: count,
  });
  return {
    algorithm: 'sr-draw-v1:hmac-sha256-u64-rejection',
    roundId: 'r1',
    seedCommitment: seedCommitment(seed),
    revealedSeed: seed,
    beaconSlot: 42,
    beaconBlockhash: beacon,
    ticketDigest: digest,
    ticketCount: count,
    winnerIndex: index,
    winnerTicketNumber: index + 1,
    winnerWallet: tickets[index]!.wallet,
    tickets,
  };
}

describe('checkPublicProof', () => {
  it('MATCHes an honest proof and names the winner', () => {
    const proof = proofOf(25);
    const check = checkPublicProof(proof);
    expect(check.ok).toBe(true);
    expect(check.checks).toEqual({ commitment: 'OK', digest: 'OK', winner: 'OK' });
    expect(check.summary).toBe(
      `MATCH: the draw recomputes to index ${proof.winnerIndex}, ticket #${proof.winnerTicketNumber} of 25, owned by ${proof.winnerWallet}`,
    );
  });

  it.each([
    [
      'another seed',
      (p: PublicProof) => ({ ...p, revealedSeed: crypto.randomBytes(32).toString('hex') }),
      'commitment',
    ],
    [
      'a ticket moved to another wallet',
      (p: PublicProof) => ({
        ...p,
        tickets: p.tickets.map((t, i) => (i === 0 ? { ...t, wallet: wallet() } : t)),
      }),
      'digest',
    ],
    [
      'another winner',
      (p: PublicProof) => ({ ...p, winnerIndex: ((p.winnerIndex ?? 0) + 1) % p.ticketCount }),
      'winner',
    ],
  ] as const)('reports MISMATCH for %s', (_what, tamper, failing) => {
    const check = checkPublicProof(tamper(proofOf(10)));
    expect(check.ok).toBe(false);
    expect(check.checks[failing]).toBe('MISMATCH');
    expect(check.summary).toMatch(/^MISMATCH: /);
  });

  it('never throws on a proof with missing values', () => {
    const check = checkPublicProof({
      ...proofOf(3),
      winnerIndex: null,
      winnerWallet: null,
      revealedSeed: 'zz',
    });
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
  });
});

describe('checkPublicProof: anchors (chain lookups skipped in the browser)', () => {
  const anchored = (): PublicProof => {
    const proof = proofOf(5);
    const digestSlot = 30;
    return {
      ...proof,
      startDate: '2027-01-01T00:00:00.000Z',
      endDate: '2027-01-02T00:00:00.000Z',
      beaconSlot: digestSlot + 4,
      anchors: {
        commitMemo: {
          signature: 'c'.repeat(88),
          slot: 10,
          text: commitMemoText({
            roundId: proof.roundId,
            seedCommitment: proof.seedCommitment,
            startDate: '2027-01-01T00:00:00.000Z',
            endDate: '2027-01-02T00:00:00.000Z',
            ticketPriceLamports: '1',
            ticketPriceUsdc: '1',
          }),
        },
        digestMemo: {
          signature: 'd'.repeat(88),
          slot: digestSlot,
          text: freezeMemoText({
            roundId: proof.roundId,
            ticketCount: proof.ticketCount,
            ticketDigest: proof.ticketDigest,
            beaconDelaySlots: 4,
          }),
        },
        beaconRule: { name: 'first-block-at-or-after-v1', delaySlots: 4, commitment: 'finalized' },
      },
    };
  };

  it('checks what the proof states and says which checks need the chain', () => {
    const check = checkPublicProof(anchored());
    expect(check.ok).toBe(true);
    expect(check.anchorChecks.map((c) => [c.name, c.result])).toEqual([
      ['commitment memo on chain', 'NOT_CHECKED'],
      ['commitment memo before start', 'NOT_CHECKED'],
      ['digest memo on chain', 'NOT_CHECKED'],
      ['digest memo before beacon', 'OK'],
      ['one commitment and one digest memo', 'NOT_CHECKED'],
      ["beacon is the rule's slot", 'NOT_CHECKED'],
      ['beacon blockhash on chain', 'NOT_CHECKED'],
    ]);
  });

  it('a beacon before the rule allows, a digest memo naming another digest, or no anchors → MISMATCH naming it', () => {
    const early = { ...anchored(), beaconSlot: 31 };
    expect(checkPublicProof(early).anchorChecks.find((c) => c.result === 'MISMATCH')?.name).toBe(
      "beacon is the rule's slot",
    );
    const other = anchored();
    other.anchors!.digestMemo!.text = other.anchors!.digestMemo!.text.replace(
      /digest=[0-9a-f]{64}/,
      `digest=${'0'.repeat(64)}`,
    );
    const failed = checkPublicProof(other);
    expect(failed.ok).toBe(false);
    expect(failed.summary).toMatch(/digest memo on chain/);
    expect(checkPublicProof({ ...anchored(), anchors: null }).ok).toBe(false);
  });
});
