import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { baseUnits, createdAt, txSignature, updatedAt } from './columns';
import { PAYOUT_STATUSES, type PayoutStatus } from './payout';

/**
 * Every memo transaction we publish (anchors: a round's seed commitment, its ticket digest),
 * keyed by business key (e.g. `lottery-commit:<roundId>`). It moves no money, so it is not a
 * payout, but it is sent the same exactly-once way: the signed bytes, signature and last
 * valid block height are stored before the send, so one key never puts two texts on chain.
 * Status: pending → signed → confirmed | failed (the payout statuses).
 */
export interface ChainMemo {
  key: string;
  text: string;
  status: PayoutStatus;
  signedTransaction?: string | null;
  signature?: string | null;
  lastValidBlockHeight?: bigint | null;
  attempts: number;
  lastError?: string | null;
  confirmedSlot?: bigint | null;
  confirmedBlockTime?: Date | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const ChainMemoSchema = new EntitySchema<ChainMemo>({
  name: 'ChainMemo',
  tableName: 'chain_memos',
  properties: {
    key: { type: 'string', length: 120, primary: true },
    text: { type: 'text' },
    status: { enum: true, items: () => PAYOUT_STATUSES, defaultRaw: `'pending'` },
    signedTransaction: { type: 'text', nullable: true },
    signature: { ...txSignature(), nullable: true, unique: 'chain_memos_signature_unique' },
    lastValidBlockHeight: { ...baseUnits(), nullable: true },
    attempts: { type: 'integer', defaultRaw: '0' },
    lastError: { type: 'text', nullable: true },
    confirmedSlot: { ...baseUnits(), nullable: true },
    confirmedBlockTime: { type: 'datetime', nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
