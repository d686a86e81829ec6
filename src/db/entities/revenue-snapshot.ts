import { EntitySchema } from '@mikro-orm/core';
import { address } from './columns';

/** Who owned each Revenue Pass at the distribution's snapshot slot: only they can claim it. */
export interface RevenueSnapshot {
  distributionId: string;
  passMint: string;
  ownerWallet: string;
  tokenAccount?: string | null;
}

export const RevenueSnapshotSchema = new EntitySchema<RevenueSnapshot>({
  name: 'RevenueSnapshot',
  tableName: 'revenue_snapshots',
  properties: {
    distributionId: {
      kind: 'm:1',
      entity: 'RevenueDistribution',
      joinColumn: 'distribution_id',
      mapToPk: true,
      primary: true,
    },
    passMint: { ...address(), primary: true },
    ownerWallet: address(),
    tokenAccount: { ...address(), nullable: true },
  },
  indexes: [{ name: 'idx_snapshots_owner', properties: ['distributionId', 'ownerWallet'] }],
});
