/**
 * Activity options shared by the workflows: one definition per kind of step. (Options are not
 * replayed: changing one affects new attempts only and never breaks a running workflow.)
 */
import type { EmailRetrySettings } from './email.api';

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

/**
 * The payout's first try as a local activity (workflows/claim-payout.ts): one attempt, bounded
 * well inside the worker's task; a send still confirming then goes on in `payoutSend`.
 */
export const payoutFirstTry = {
  startToCloseTimeout: '20s',
  retry: { maximumAttempts: 1 },
} as const;

/** Starting e-mail delivery workflows: a few tries; the outbox sweeper starts whatever is left. */
export const startDeliveries = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
} as const;

/** One outbox sweep: a query and a batch of starts, retried until the database and Temporal answer. */
export const outboxSweep = {
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
} as const;

/** The provider call of one e-mail: its timeout and retries come from config, with the run's input. */
export const emailSend = (retry: EmailRetrySettings) =>
  ({
    startToCloseTimeout: retry.sendTimeoutMs + 30_000,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: retry.maximumAttempts,
    },
  }) as const;

/** On-chain lookups retried until found or the verification window (from the input) ends. */
export const chainVerification = (verifyWindowMs: number) =>
  ({
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: verifyWindowMs,
    retry: { initialInterval: '300ms', backoffCoefficient: 1.5, maximumInterval: '5s' },
  }) as const;

/** One quick look at the chain that the run can do without (it goes on if the RPC is down). */
export const chainGlance = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '300ms', backoffCoefficient: 2, maximumAttempts: 3 },
} as const;

/**
 * The first verification attempt, run as a local activity (no server round trip): one try;
 * a transaction the chain does not have yet (or an RPC hiccup) goes on to `chainVerification`.
 */
export const chainFirstLook = {
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
} as const;

/** Freezing a round streams its whole ticket set: give it room. */
export const digestStep = {
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/** Chain reads that wait for finalization (BeaconNotReady is transient). */
export const chainWait = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 1.5, maximumInterval: '10s' },
} as const;

/** Recording a payout row (activities/payouts.ts `recordPayout`): a few quick tries. */
export const payoutRecord = {
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 5 },
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
