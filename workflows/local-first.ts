/**
 * A step first tried once as a local activity (no activity task round trip through the
 * server, and usually no extra workflow task), then, unless that try was final, as the
 * regular activity with its retry policy. Shared by the receipt verifications
 * (ticket-purchase, burn-claim) and the claim payouts (claim-payout).
 */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';

/**
 * Runs `first` when given: its answer, or a permanent refusal from it, is final as from the
 * regular activity; anything else (the chain does not show the transaction yet, the RPC
 * hiccupped, the local try timed out) goes on to `retrying`.
 */
export async function tryLocallyFirst<T>(
  first: (() => Promise<T>) | null,
  retrying: () => Promise<T>,
): Promise<T> {
  if (!first) return retrying();
  try {
    return await first();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) throw err;
    return retrying();
  }
}
