import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { address, baseUnits, createdAt, txSignature } from './columns';

import { CLAIM_STATUSES, type ClaimStatus } from '../../domain/revenue/vocabulary';

export interface RevenueClaim {
  id: string;
  distributionId: string;
  passMint: string;
  walletAddress: string;
  amountBaseUnits: bigint;
  status: ClaimStatus;
  payoutKey: string;
  /** Set once the payout landed. */
  transactionSignature?: string | null;
  claimedAt: Opt<Date>;
  paidAt?: Date | null;
}

export const RevenueClaimSchema = new EntitySchema<RevenueClaim>({
  name: 'RevenueClaim',
  tableName: 'revenue_claims',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    distributionId: {
      kind: 'm:1',
      entity: 'RevenueDistribution',
      joinColumn: 'distribution_id',
      mapToPk: true,
      index: 'idx_claims_distribution',
    },
    passMint: address(),
    walletAddress: { ...address(), index: 'idx_claims_wallet' },
    amountBaseUnits: baseUnits(),
    status: { enum: true, items: () => CLAIM_STATUSES, defaultRaw: `'pending'` },
    // Shared by the passes of one claim batch (one payout per wallet batch).
    payoutKey: { type: 'string', length: 120, index: 'idx_claims_payout_key' },
    transactionSignature: { ...txSignature(), nullable: true },
    claimedAt: createdAt(),
    paidAt: { type: 'datetime', nullable: true },
  },
  uniques: [{ name: 'revenue_claims_distribution_pass_unique', properties: ['distributionId', 'passMint'] }],
});
