/**
 * `revenue-wallet-claim:{month}:{wallet}:{batch}` (DESIGN §5): one wallet's claim of a month's
 * passes in one request, paid as ONE payout (key `claim:<month>:<wallet>:<batch>`) for every
 * pass it held at the snapshot that nobody claimed before, with a claim row per pass pointing
 * at that payout. Records the claims and the payout row in one transaction, sends the payout
 * exactly once through the payout path, and marks the claims paid. Passes it does not pay come
 * back with their reason; when none is left to pay the run fails with the first refusal's type
 * (a later claim may start a fresh run: ALLOW_DUPLICATE_FAILED_ONLY). Replaces `revenueClaim`
 * (one payout per pass), whose runs still finish as they started. The API starts
 * `revenueWalletClaimV2` (same id, steps and outcome, fewer search attribute upserts:
 * workflows/claim-payout.ts `ClaimReporting`); runs of this type finish as they started.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RevenueWalletClaimInput, WalletClaimOutcome } from './revenue.api';
import { databaseStep } from './activity-options';
import { recordAndPayClaim, type ClaimReporting } from './claim-payout';

const { recordRevenueWalletClaim } = proxyLocalActivities<Activities>(databaseStep);

export const revenueWalletClaim = (input: RevenueWalletClaimInput): Promise<WalletClaimOutcome> =>
  walletClaim(input, 'stepwise');

/** The wallet claim as the API starts it: month, wallet and status come with the start. */
export const revenueWalletClaimV2 = (input: RevenueWalletClaimInput): Promise<WalletClaimOutcome> =>
  walletClaim(input, 'final');

async function walletClaim(
  input: RevenueWalletClaimInput,
  reporting: ClaimReporting,
): Promise<WalletClaimOutcome> {
  const { recorded, signature } = await recordAndPayClaim(
    input,
    () => recordRevenueWalletClaim(input),
    reporting,
  );
  return {
    month: input.month,
    wallet: recorded.recipient,
    currency: recorded.currency,
    perPassAmountBaseUnits: recorded.perPassAmountBaseUnits,
    amountBaseUnits: recorded.amountBaseUnits,
    payoutKey: recorded.key,
    signature,
    passMints: recorded.passMints,
    refused: recorded.refused,
  };
}
