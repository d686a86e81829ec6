/** Workflow ids are the idempotency keys of the business processes (DESIGN §5). */
export const workflowIds = {
  lotteryRound: (roundId: string) => `lottery-round:${roundId}`,
  /** Pays a round's refunds; outlives the round's own run (started by the first pay request). */
  lotteryRefunds: (roundId: string) => `lottery-refunds:${roundId}`,
  ticketPurchase: (signature: string) => `ticket-purchase:${signature}`,
  burnClaim: (signature: string) => `burn-claim:${signature}`,
  revenueDistribution: (month: string) => `revenue-distribution:${month}`,
  /** Runs started before claims were paid per wallet (no longer started). */
  revenueClaim: (month: string, passMint: string) => `revenue-claim:${month}:${passMint}`,
  /** One wallet's claim batch of a month (`claimBatchOf` its passes): one payout for all of them. */
  revenueWalletClaim: (month: string, wallet: string, batch: string) =>
    `revenue-wallet-claim:${month}:${wallet}:${batch}`,
  utilityProject: (projectId: string) => `utility-project:${projectId}`,
  emailDelivery: (emailId: string) => `email-delivery:${emailId}`,
  /** One sweeper per task queue (tests run one per suite; production has one queue). */
  emailOutboxSweeper: (taskQueue: string) => `email-outbox-sweeper:${taskQueue}`,
} as const;

/** A run's page in the Temporal Web UI (TEMPORAL_UI_URL), where ops watch and steer it. */
export const workflowUiUrl = (temporal: { uiUrl: string; namespace: string }, workflowId: string) =>
  `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
