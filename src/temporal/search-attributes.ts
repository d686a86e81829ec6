/**
 * Search attributes every workflow sets so the Web UI lists runs by business key.
 * Safe to import from workflow code (only @temporalio/common). The dev server registers
 * the same names (scripts/lib/temporal-server.js); `ensureSearchAttributes` registers them
 * on a real cluster.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const RoundId = defineSearchAttributeKey('RoundId', SearchAttributeType.KEYWORD);
export const WalletAddress = defineSearchAttributeKey('WalletAddress', SearchAttributeType.KEYWORD);
export const DistributionMonth = defineSearchAttributeKey('DistributionMonth', SearchAttributeType.KEYWORD);
export const ProjectId = defineSearchAttributeKey('ProjectId', SearchAttributeType.KEYWORD);
export const BusinessStatus = defineSearchAttributeKey('BusinessStatus', SearchAttributeType.KEYWORD);

export const allSearchAttributeKeys = [RoundId, WalletAddress, DistributionMonth, ProjectId, BusinessStatus];
