/**
 * What the chain shows of a signature at any commitment, before verification waits for the
 * configured one: whether it landed, when, and whether it already reached that commitment.
 * The round's freeze waits only for submissions the chain shows (issue 15 rule 4), never for
 * signatures it does not know.
 */
import type { ChainDeps } from './deps';
import { blockTimeOf, reachedCommitment, signatureStatus } from './signed-transaction';

export interface Sighting {
  slot: number;
  /** Null when the node does not say (yet). */
  blockTime: Date | null;
  /** Landed but failed: verification will refuse it, nothing to wait for. */
  failed: boolean;
  /** Already at the configured commitment: verification decides it at once. */
  atCommitment: boolean;
}

/** The chain's view of `signature` (searching history), or null when it does not know it. */
export async function sightTransaction(chain: ChainDeps, signature: string): Promise<Sighting | null> {
  const status = await signatureStatus(chain, signature);
  if (!status) return null;
  return {
    slot: status.slot,
    blockTime: await blockTimeOf(chain, status.slot),
    failed: status.err !== null,
    atCommitment: reachedCommitment(status, chain.commitment),
  };
}
