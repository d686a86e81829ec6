/**
 * Activity options shared by the workflows: one definition per kind of step. (Options are not
 * replayed: changing one affects new attempts only and never breaks a running workflow.)
 */

/** Database steps: short, idempotent, retried until the database answers. */
export const databaseStep = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/** The exactly-once payout send (src/chain/payout.ts): safe to retry at any point; heartbeats while confirming. */
export const payoutSend = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' },
} as const;

/** Starting e-mail delivery workflows: a few tries; the outbox sweeper starts whatever is left. */
export const startDeliveries = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
} as const;

/** One snapshot chunk of a revenue distribution: chain reads + inserts, heartbeating progress. */
export const snapshotStep = {
  startToCloseTimeout: '10m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/** A treasury funding check: the transaction may still be confirming; give up after a while. */
export const fundingCheck = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 1.5, maximumInterval: '10s' },
} as const;
