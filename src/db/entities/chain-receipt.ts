import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { CURRENCY_CODES, type Currency } from '../../domain/money';
import { RECEIPT_STATUSES, type ReceiptStatus } from '../../domain/lottery/vocabulary';
import { address, baseUnits, createdAt, txSignature, updatedAt } from './columns';

export const RECEIPT_KINDS = ['purchase', 'burn', 'funding', 'payout'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export type { Currency } from '../../domain/money';

/**
 * One row per on-chain transaction the system has accepted or rejected. The signature
 * is the primary key: a signature is honoured at most once, ever.
 */
export interface ChainReceipt {
  signature: string;
  kind: ReceiptKind;
  roundId?: string | null;
  /** The wallet that signed and paid on chain (or, while pending, the one that submitted). */
  walletAddress: string;
  currency?: Currency | null;
  /** What the chain shows was paid, in base units. */
  amountBaseUnits?: bigint | null;
  requestedTickets?: number | null;
  /** Excess or late payment owed back to the payer, in base units. */
  refundOwedBaseUnits: bigint;
  refundPayoutKey?: string | null;
  slot?: bigint | null;
  blockTime?: Date | null;
  status: ReceiptStatus;
  reason?: string | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const ChainReceiptSchema = new EntitySchema<ChainReceipt>({
  name: 'ChainReceipt',
  tableName: 'chain_receipts',
  properties: {
    signature: { ...txSignature(), primary: true },
    kind: { enum: true, items: () => RECEIPT_KINDS },
    roundId: { kind: 'm:1', entity: 'LotteryRound', joinColumn: 'round_id', mapToPk: true, nullable: true },
    walletAddress: { ...address(), index: 'idx_receipts_wallet' },
    currency: { enum: true, items: () => CURRENCY_CODES, nullable: true },
    amountBaseUnits: { ...baseUnits(), nullable: true },
    requestedTickets: { type: 'integer', nullable: true },
    refundOwedBaseUnits: { ...baseUnits(), defaultRaw: '0' },
    refundPayoutKey: { type: 'string', length: 120, nullable: true },
    slot: { ...baseUnits(), nullable: true },
    blockTime: { type: 'datetime', nullable: true },
    status: { enum: true, items: () => RECEIPT_STATUSES },
    reason: { type: 'text', nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'idx_receipts_round_status', properties: ['roundId', 'status'] }],
});
