/**
 * The messages and types of the e-mail workflows (`email-delivery:<rowId>`,
 * `email-outbox-sweeper:<taskQueue>`), defined once and imported by the workflows, the code
 * that starts them (src/email/delivery.ts), the tests and the CLI. Neither workflow takes
 * updates, signals or queries: a delivery's outcome is its result and its BusinessStatus.
 */
export type { EmailDeliveryStatus, EmailStatus } from '../src/domain/email/statuses';
import type { EmailDeliveryStatus } from '../src/domain/email/statuses';

/** Retry settings of the send activity, from config (`emailRetrySettings`). */
export interface EmailRetrySettings {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  /** The provider call's own timeout; the activity gets this plus a margin. */
  sendTimeoutMs: number;
}

export interface EmailDeliveryInput {
  emailId: string;
  retry: EmailRetrySettings;
}

export interface EmailDeliveryResult {
  emailId: string;
  status: EmailDeliveryStatus;
  providerMessageId?: string | null;
  /** Why it failed. */
  reason?: string;
}

export interface EmailOutboxSweeperInput {
  /** Sweeps per run before continue-as-new keeps the history short. */
  sweepsPerRun?: number;
}
