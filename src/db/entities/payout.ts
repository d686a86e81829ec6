import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { address, baseUnits, createdAt, txSignature, updatedAt } from './columns';
import { CURRENCY_CODES, type Currency } from '../../domain/money';

export const PAYOUT_KINDS = ['claim', 'prize', 'refund'] as const;
export type PayoutKind = (typeof PAYOUT_KINDS)[number];
/** pending → signed (bytes persisted before sending) → confirmed | failed. */
export const PAYOUT_STATUSES = ['pending', 'signed', 'confirmed', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * Every outgoing transfer, keyed by its business key (e.g. `claim:2026-02:<mint>`), so a
 * payout is sent exactly once: the signed bytes, signature and last valid block height
 * are stored before the send, and a retry first asks the chain about that signature.
 */
export interface Payout {
  key: string;
  kind: PayoutKind;
  recipient: string;
  currency: Currency;
  amountBaseUnits: bigint;
  status: PayoutStatus;
  signedTransaction?: string | null;
  signature?: string | null;
  lastValidBlockHeight?: bigint | null;
  attempts: number;
  lastError?: string | null;
  confirmedSlot?: bigint | null;
  confirmedAt?: Date | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const PayoutSchema = new EntitySchema<Payout>({
  name: 'Payout',
  tableName: 'payouts',
  properties: {
    key: { type: 'string', length: 120, primary: true },
    kind: { enum: true, items: () => PAYOUT_KINDS },
    recipient: { ...address(), index: 'idx_payouts_recipient' },
    currency: { enum: true, items: () => CURRENCY_CODES },
    amountBaseUnits: baseUnits(),
    status: {
      enum: true,
      items: () => PAYOUT_STATUSES,
      defaultRaw: `'pending'`,
      index: 'idx_payouts_status',
    },
    signedTransaction: { type: 'text', nullable: true },
    signature: { ...txSignature(), nullable: true, unique: 'payouts_signature_unique' },
    lastValidBlockHeight: { ...baseUnits(), nullable: true },
    attempts: { type: 'integer', defaultRaw: '0' },
    lastError: { type: 'text', nullable: true },
    confirmedSlot: { ...baseUnits(), nullable: true },
    confirmedAt: { type: 'datetime', nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  checks: [{ name: 'payouts_amount_check', expression: '(amount_base_units > 0)' }],
});
