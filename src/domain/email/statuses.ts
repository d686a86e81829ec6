/**
 * The outbox row's lifecycle, the one list the entity, the SQL, the routes and the delivery
 * workflow use: pending → sending (claimed, written before the provider is called) → sent |
 * failed. `suppressed` when the recipient opted out. A row found in `sending` after a crash is
 * re-sent with the same provider idempotency key, never as a fresh message.
 */
export const EMAIL_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Where a delivery ends: a final row status, or `missing` when there is no such row. */
export type EmailDeliveryStatus = Exclude<EmailStatus, 'pending' | 'sending'> | 'missing';
