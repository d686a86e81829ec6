import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { ROUND_STATUSES, type RoundStatus } from '../../domain/lottery/vocabulary';
import { address, baseUnits, createdAt, updatedAt } from './columns';

export interface LotteryRound {
  id: string;
  prizePoolLamports: bigint;
  startDate: Date;
  endDate: Date;
  drawingDate?: Date | null;
  ticketPriceLamports: bigint;
  ticketPriceUsdc: bigint;
  ticketsPerBurn: number;
  /** Also the ticket counter: the next ticket number is total + 1, taken under a row lock. */
  totalTicketsSold: number;
  status: RoundStatus;
  /** SHA-256 of the secret seed, public from creation. */
  seedCommitment: string;
  /** Kept server-side; published only once the draw is done (`seedRevealedAt`). */
  secretSeed: string;
  seedRevealedAt?: Date | null;
  frozenAt?: Date | null;
  frozenTicketCount?: number | null;
  ticketDigest?: string | null;
  beaconSlot?: bigint | null;
  beaconBlockhash?: string | null;
  winnerIndex?: number | null;
  winnerTicket?: number | null;
  winnerWallet?: string | null;
  drawnAt?: Date | null;
  prizePayoutKey?: string | null;
  createdBy?: string | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const LotteryRoundSchema = new EntitySchema<LotteryRound>({
  name: 'LotteryRound',
  tableName: 'lottery_rounds',
  properties: {
    id: { type: 'string', length: 50, primary: true },
    prizePoolLamports: baseUnits(),
    startDate: { type: 'datetime' },
    endDate: { type: 'datetime' },
    drawingDate: { type: 'datetime', nullable: true },
    ticketPriceLamports: baseUnits(),
    ticketPriceUsdc: baseUnits(),
    ticketsPerBurn: { type: 'integer', defaultRaw: '1' },
    totalTicketsSold: { type: 'integer', defaultRaw: '0' },
    status: {
      enum: true,
      items: () => ROUND_STATUSES,
      defaultRaw: `'scheduled'`,
      index: 'idx_rounds_status',
    },
    seedCommitment: { type: 'string', length: 64 },
    secretSeed: { type: 'string', length: 64, hidden: true, lazy: true },
    seedRevealedAt: { type: 'datetime', nullable: true },
    frozenAt: { type: 'datetime', nullable: true },
    frozenTicketCount: { type: 'integer', nullable: true },
    ticketDigest: { type: 'string', length: 64, nullable: true },
    beaconSlot: { ...baseUnits(), nullable: true },
    beaconBlockhash: { type: 'string', length: 64, nullable: true },
    winnerIndex: { type: 'integer', nullable: true },
    winnerTicket: { type: 'integer', nullable: true },
    winnerWallet: { ...address(), nullable: true },
    drawnAt: { type: 'datetime', nullable: true },
    prizePayoutKey: { type: 'string', length: 120, nullable: true },
    createdBy: { ...address(), nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  checks: [
    { name: 'lottery_rounds_window_check', expression: '(end_date > start_date)' },
    {
      name: 'lottery_rounds_amounts_check',
      expression:
        '((prize_pool_lamports >= 0) AND (ticket_price_lamports > 0) AND (ticket_price_usdc > 0) AND (tickets_per_burn >= 0))',
    },
  ],
});
