export * from './user';
export * from './nft-mint';
export * from './chain-receipt';
export * from './lottery-round';
export * from './lottery-ticket';
export * from './revenue-distribution';
export * from './revenue-snapshot';
export * from './revenue-claim';
export * from './utility-project';
export * from './project-update';
export * from './email-notification';
export * from './analytics-event';
export * from './payout';
export * from './chain-memo';

import { AnalyticsEventSchema } from './analytics-event';
import { ChainMemoSchema } from './chain-memo';
import { ChainReceiptSchema } from './chain-receipt';
import { EmailNotificationSchema } from './email-notification';
import { LotteryRoundSchema } from './lottery-round';
import { LotteryTicketSchema } from './lottery-ticket';
import { NftMintSchema } from './nft-mint';
import { PayoutSchema } from './payout';
import { ProjectUpdateSchema } from './project-update';
import { RevenueClaimSchema } from './revenue-claim';
import { RevenueDistributionSchema } from './revenue-distribution';
import { RevenueSnapshotSchema } from './revenue-snapshot';
import { UserSchema } from './user';
import { UtilityProjectSchema } from './utility-project';

export const allEntities = [
  UserSchema,
  NftMintSchema,
  ChainReceiptSchema,
  LotteryRoundSchema,
  LotteryTicketSchema,
  RevenueDistributionSchema,
  RevenueSnapshotSchema,
  RevenueClaimSchema,
  UtilityProjectSchema,
  ProjectUpdateSchema,
  EmailNotificationSchema,
  AnalyticsEventSchema,
  PayoutSchema,
  ChainMemoSchema,
];
