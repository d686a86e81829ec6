import type { Opt } from '@mikro-orm/core';
import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { address, baseUnits, createdAt } from './columns';
import { CURRENCY_CODES, type Currency } from '../../domain/money';

export const ACQUISITION_METHODS = ['purchase', 'burn'] as const;
export type AcquisitionMethod = (typeof ACQUISITION_METHODS)[number];

export interface LotteryTicket {
  id: bigint;
  userId?: string | null;
  walletAddress: string;
  ticketNumber: number;
  lotteryRound: string;
  acquisitionMethod: AcquisitionMethod;
  paymentMethod?: Currency | null;
  /** References chain_receipts: the transaction that paid or burned for this ticket. */
  transactionSignature: string;
  /** The ticket's price in base units of `paymentMethod` (null for burns). */
  amountPaidBaseUnits?: bigint | null;
  nftBurned?: string | null;
  createdAt: Opt<Date>;
}

export const LotteryTicketSchema = new EntitySchema<LotteryTicket>({
  name: 'LotteryTicket',
  tableName: 'lottery_tickets',
  properties: {
    id: { type: new BigIntType('bigint'), primary: true, autoincrement: true },
    userId: {
      kind: 'm:1',
      entity: 'User',
      joinColumn: 'user_id',
      mapToPk: true,
      nullable: true,
      index: 'idx_tickets_user',
    },
    walletAddress: { ...address(), index: 'idx_tickets_wallet' },
    ticketNumber: { type: 'integer' },
    lotteryRound: {
      kind: 'm:1',
      entity: 'LotteryRound',
      joinColumn: 'lottery_round',
      mapToPk: true,
      index: 'idx_tickets_round',
    },
    acquisitionMethod: { enum: true, items: () => ACQUISITION_METHODS },
    paymentMethod: { enum: true, items: () => CURRENCY_CODES, nullable: true },
    transactionSignature: {
      kind: 'm:1',
      entity: 'ChainReceipt',
      joinColumn: 'transaction_signature',
      mapToPk: true,
      index: 'idx_tickets_signature',
    },
    amountPaidBaseUnits: { ...baseUnits(), nullable: true },
    nftBurned: { ...address(), nullable: true, index: 'idx_tickets_nft_burned' },
    createdAt: createdAt(),
  },
  uniques: [{ name: 'lottery_tickets_round_number_unique', properties: ['lotteryRound', 'ticketNumber'] }],
  checks: [{ name: 'lottery_tickets_number_check', expression: '(ticket_number >= 1)' }],
});
