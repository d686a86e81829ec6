/**
 * The in-browser draw check: runs the very module the workflow draws with
 * (src/domain/lottery/fair-draw.ts) over the public proof, so a MATCH here is the same
 * computation as `npm run verify-draw`, and the same anchor checks
 * (src/domain/lottery/anchors.ts) on what the proof states. The browser does not read the
 * chain: the checks that need it (memo block time, which slots have blocks, the blockhash)
 * are NOT_CHECKED here; `npm run verify-draw -- <round> --rpc URL` does them.
 */
import type { components } from '../api/schema';
import { verifyAnchors, type AnchorCheck } from '../../../src/domain/lottery/anchors';
import {
  verifyDrawProof,
  type DrawProof,
  type DrawVerification,
} from '../../../src/domain/lottery/fair-draw';

type ServedProof = components['schemas']['DrawProof'];
/** The public proof as the API sends it (`GET /lottery/rounds/:id/proof`); anchors and window absent in older proofs. */
export type PublicProof = Omit<ServedProof, 'anchors' | 'startDate' | 'endDate'> &
  Partial<Pick<ServedProof, 'anchors' | 'startDate' | 'endDate'>>;

export interface ProofCheck extends DrawVerification {
  /** One line for people: what was recomputed and whether it matches. */
  summary: string;
  /** The anchor checks on what the proof states (chain parts NOT_CHECKED in the browser). */
  anchorChecks: AnchorCheck[];
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
  // A proof from before anchors (no `anchors` field) is checked as before.
  const anchorChecks = proof.anchors !== undefined ? verifyAnchors(proof) : [];
  const failedAnchors = anchorChecks.filter((c) => c.result === 'MISMATCH');
  const ok = result.ok && failedAnchors.length === 0;
  const summary = ok
    ? `MATCH: the draw recomputes to index ${result.winnerIndex}, ticket #${result.winnerTicketNumber} of ${proof.ticketCount}, owned by ${proof.winnerWallet}`
    : `MISMATCH: ${[...result.problems, ...failedAnchors.map((c) => `${c.name}: ${c.detail}`)].join('; ')}`;
  return { ...result, ok, summary, anchorChecks };
}
