import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { baseUnits, createdAt, txSignature, updatedAt } from './columns';
import { CURRENCY_CODES, type Currency } from '../../domain/money';

import { DISTRIBUTION_STATUSES, type DistributionStatus } from '../../domain/revenue/vocabulary';

export interface RevenueSource {
  name: string;
  amountBaseUnits: string;
}

export interface Approval {
  wallet: string;
  at: string;
}

export interface RevenueDistribution {
  id: string;
  /** YYYY-MM, one distribution per month. */
  month: string;
  currency: Currency;
  totalRevenueBaseUnits: bigint;
  /** Share of revenue distributed to holders, in basis points. */
  shareBps: number;
  distributionAmountBaseUnits: bigint;
  perPassAmountBaseUnits: bigint;
  /** distribution − per-pass × passes: never paid out, carried in the treasury. */
  dustBaseUnits: bigint;
  passCount: number;
  distributionDate?: Date | null;
  /**
   * The treasury funding transaction named for this month (at creation or approval; verified
   * before claims open). Unique: one funding transaction funds one month.
   */
  transactionSignature?: string | null;
  sources: RevenueSource[];
  status: DistributionStatus;
  approvals: Approval[];
  snapshotSlot?: bigint | null;
  snapshotDone: number;
  claimDeadline?: Date | null;
  closedAt?: Date | null;
  unclaimedBaseUnits?: bigint | null;
  /** SHA-256 (hex) of the canonical allocation (src/domain/revenue/allocation.ts); set with the split. */
  allocationDigest?: string | null;
  createdBy?: string | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const RevenueDistributionSchema = new EntitySchema<RevenueDistribution>({
  name: 'RevenueDistribution',
  tableName: 'revenue_distributions',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    month: { type: 'string', length: 7, unique: 'revenue_distributions_month_unique' },
    currency: { enum: true, items: () => CURRENCY_CODES },
    totalRevenueBaseUnits: baseUnits(),
    shareBps: { type: 'integer' },
    distributionAmountBaseUnits: baseUnits(),
    perPassAmountBaseUnits: baseUnits(),
    dustBaseUnits: { ...baseUnits(), defaultRaw: '0' },
    passCount: { type: 'integer', defaultRaw: '0' },
    distributionDate: { type: 'datetime', nullable: true },
    transactionSignature: {
      ...txSignature(),
      nullable: true,
      unique: 'revenue_distributions_funding_signature_unique',
    },
    sources: { type: 'json' },
    status: {
      enum: true,
      items: () => DISTRIBUTION_STATUSES,
      defaultRaw: `'draft'`,
      index: 'idx_distributions_status',
    },
    approvals: { type: 'json', defaultRaw: `'[]'` },
    snapshotSlot: { ...baseUnits(), nullable: true },
    snapshotDone: { type: 'integer', defaultRaw: '0' },
    claimDeadline: { type: 'datetime', nullable: true },
    closedAt: { type: 'datetime', nullable: true },
    unclaimedBaseUnits: { ...baseUnits(), nullable: true },
    allocationDigest: { type: 'string', length: 64, nullable: true },
    createdBy: { type: 'string', length: 44, nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  checks: [
    {
      name: 'revenue_distributions_month_check',
      expression: `((month)::text ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'::text)`,
    },
    { name: 'revenue_distributions_share_check', expression: '((share_bps >= 0) AND (share_bps <= 10000))' },
  ],
});
