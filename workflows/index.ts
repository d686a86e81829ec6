/**
 * Every workflow type the worker runs. Deterministic code only: imports from src/domain,
 * src/temporal/{search-attributes,workflow-ids} and activity *types*.
 */
export {};
export { emailDelivery, emailOutboxSweeper } from './email-delivery';
export { lotteryRound } from './lottery-round';
export { lotteryRefunds } from './lottery-refunds';
export { ticketPurchase } from './ticket-purchase';
export { burnClaim } from './burn-claim';
export { utilityProject } from './utility-project';
export { revenueDistribution } from './revenue-distribution';
export { revenueClaim } from './revenue-claim';
export { revenueWalletClaim, revenueWalletClaimV2 } from './revenue-wallet-claim';
