/**
 * The in-browser draw check: runs the very module the workflow draws with
 * (src/domain/lottery/fair-draw.ts) over the public proof, so a MATCH here is the same
 * computation as `npm run verify-draw`.
 */
import type { components } from '../api/schema';
import {
  verifyDrawProof,
  type DrawProof,
  type DrawVerification,
} from '../../../src/domain/lottery/fair-draw';

/** The public proof as the API sends it (`GET /lottery/rounds/:id/proof`). */
export type PublicProof = components['schemas']['DrawProof'];

export interface ProofCheck extends DrawVerification {
  /** One line for people: what was recomputed and whether it matches. */
  summary: string;
}

export function checkPublicProof(proof: PublicProof): ProofCheck {
  // A proof with nulls (a round without tickets) fails the check with a reason, never throws.
  const result = verifyDrawProof({
    ...proof,
    beaconSlot: proof.beaconSlot ?? -1,
    winnerIndex: proof.winnerIndex ?? -1,
    winnerTicketNumber: proof.winnerTicketNumber ?? -1,
    winnerWallet: proof.winnerWallet ?? '',
  } as DrawProof);
  const summary = result.ok
    ? `MATCH: the draw recomputes to index ${result.winnerIndex}, ticket #${result.winnerTicketNumber} of ${proof.ticketCount}, owned by ${proof.winnerWallet}`
    : `MISMATCH: ${result.problems.join('; ')}`;
  return { ...result, summary };
}
