/**
 * Read models of the lottery for the API: rounds (public view, proof, admin list with sales),
 * tickets by wallet or round, receipts and refunds owed. Raw SQL on purpose: these are
 * projections, not units of work, and bigints stay exact as text.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

type Row = Record<string, unknown>;
const run = <T extends Row>(em: EntityManager, query: string, params: unknown[] = []) =>
  em.getConnection().execute<T[]>(query, params, 'all');

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

export interface RoundView {
  id: string;
  status: string;
  prizePoolLamports: string;
  startDate: string;
  endDate: string;
  drawingDate: string | null;
  ticketPriceLamports: string;
  ticketPriceUsdc: string;
  ticketsPerBurn: number;
  totalTicketsSold: number;
  seedCommitment: string;
  revealedSeed: string | null;
  frozenAt: string | null;
  frozenTicketCount: number | null;
  ticketDigest: string | null;
  beaconSlot: number | null;
  beaconBlockhash: string | null;
  winnerIndex: number | null;
  winnerTicket: number | null;
  winnerWallet: string | null;
  drawnAt: string | null;
  prizePayoutKey: string | null;
  createdAt: string;
}

const ROUND_COLUMNS = `id, status, prize_pool_lamports::text as prize, start_date, end_date, drawing_date,
  ticket_price_lamports::text as price_sol, ticket_price_usdc::text as price_usdc, tickets_per_burn, total_tickets_sold,
  seed_commitment, case when seed_revealed_at is not null then secret_seed end as revealed_seed, frozen_at,
  frozen_ticket_count, ticket_digest, beacon_slot::text as beacon_slot, beacon_blockhash, winner_index, winner_ticket,
  winner_wallet, drawn_at, prize_payout_key, created_at`;

function toRound(r: Row): RoundView {
  return {
    id: r.id as string,
    status: r.status as string,
    prizePoolLamports: r.prize as string,
    startDate: iso(r.start_date)!,
    endDate: iso(r.end_date)!,
    drawingDate: iso(r.drawing_date),
    ticketPriceLamports: r.price_sol as string,
    ticketPriceUsdc: r.price_usdc as string,
    ticketsPerBurn: Number(r.tickets_per_burn),
    totalTicketsSold: Number(r.total_tickets_sold),
    seedCommitment: r.seed_commitment as string,
    revealedSeed: (r.revealed_seed as string | null) ?? null,
    frozenAt: iso(r.frozen_at),
    frozenTicketCount: r.frozen_ticket_count === null ? null : Number(r.frozen_ticket_count),
    ticketDigest: (r.ticket_digest as string | null) ?? null,
    beaconSlot: r.beacon_slot === null ? null : Number(r.beacon_slot),
    beaconBlockhash: (r.beacon_blockhash as string | null) ?? null,
    winnerIndex: r.winner_index === null ? null : Number(r.winner_index),
    winnerTicket: r.winner_ticket === null ? null : Number(r.winner_ticket),
    winnerWallet: (r.winner_wallet as string | null) ?? null,
    drawnAt: iso(r.drawn_at),
    prizePayoutKey: (r.prize_payout_key as string | null) ?? null,
    createdAt: iso(r.created_at)!,
  };
}

export async function findRound(em: EntityManager, id: string): Promise<RoundView | null> {
  const [row] = await run(em, `select ${ROUND_COLUMNS} from lottery_rounds where id = ?`, [id]);
  return row ? toRound(row) : null;
}

/** The round selling now; else the most recently started one that is not cancelled; else the next scheduled. */
export async function findCurrentRound(em: EntityManager): Promise<RoundView | null> {
  const [row] = await run(
    em,
    `select ${ROUND_COLUMNS} from lottery_rounds where status <> 'cancelled'
      order by (status = 'active') desc, (start_date <= now()) desc, start_date desc limit 1`,
  );
  return row ? toRound(row) : null;
}

export interface RoundSales extends RoundView {
  receipts: Record<string, number>;
  receivedLamports: string;
  receivedUsdc: string;
  refundsOwedLamports: string;
  refundsOwedUsdc: string;
}

/** Rounds with their sales, newest first; `roundId` narrows it to that one round. */
export async function listRoundsWithSales(
  em: EntityManager,
  page: number,
  pageSize: number,
  roundId?: string,
): Promise<RoundSales[]> {
  const rows = await run(
    em,
    `select ${ROUND_COLUMNS},
       (select coalesce(json_object_agg(s.status, s.n), '{}') from
          (select status, count(*)::int n from chain_receipts c where c.round_id = r.id group by status) s) as receipts,
       (select coalesce(sum(amount_base_units), 0)::text from chain_receipts c
          where c.round_id = r.id and c.status = 'accepted' and c.currency = 'SOL') as received_sol,
       (select coalesce(sum(amount_base_units), 0)::text from chain_receipts c
          where c.round_id = r.id and c.status = 'accepted' and c.currency = 'USDC') as received_usdc,
       (select coalesce(sum(refund_owed_base_units), 0)::text from chain_receipts c
          where c.round_id = r.id and c.currency = 'SOL') as owed_sol,
       (select coalesce(sum(refund_owed_base_units), 0)::text from chain_receipts c
          where c.round_id = r.id and c.currency = 'USDC') as owed_usdc
     from lottery_rounds r ${roundId ? 'where r.id = ?' : ''} order by start_date desc limit ? offset ?`,
    [...(roundId ? [roundId] : []), pageSize, (page - 1) * pageSize],
  );
  return rows.map((r) => ({
    ...toRound(r),
    receipts: (r.receipts as Record<string, number>) ?? {},
    receivedLamports: r.received_sol as string,
    receivedUsdc: r.received_usdc as string,
    refundsOwedLamports: r.owed_sol as string,
    refundsOwedUsdc: r.owed_usdc as string,
  }));
}

export interface TicketView {
  roundId: string;
  ticketNumber: number;
  walletAddress: string;
  acquisitionMethod: string;
  paymentMethod: string | null;
  transactionSignature: string;
  amountPaidBaseUnits: string | null;
  nftBurned: string | null;
  createdAt: string;
}

function toTicket(r: Row): TicketView {
  return {
    roundId: r.lottery_round as string,
    ticketNumber: Number(r.ticket_number),
    walletAddress: r.wallet_address as string,
    acquisitionMethod: r.acquisition_method as string,
    paymentMethod: (r.payment_method as string | null) ?? null,
    transactionSignature: r.transaction_signature as string,
    amountPaidBaseUnits: (r.amount as string | null) ?? null,
    nftBurned: (r.nft_burned as string | null) ?? null,
    createdAt: iso(r.created_at)!,
  };
}

const TICKET_COLUMNS = `lottery_round, ticket_number, wallet_address, acquisition_method, payment_method,
  transaction_signature, amount_paid_base_units::text as amount, nft_burned, created_at`;

export async function ticketsOfWallet(
  em: EntityManager,
  wallet: string,
  roundId?: string,
): Promise<TicketView[]> {
  const rows = await run(
    em,
    `select ${TICKET_COLUMNS} from lottery_tickets where wallet_address = ? ${roundId ? 'and lottery_round = ?' : ''}
      order by created_at, lottery_round, ticket_number limit 10000`,
    roundId ? [wallet, roundId] : [wallet],
  );
  return rows.map(toTicket);
}

export async function ticketsOfRound(
  em: EntityManager,
  roundId: string,
  page: number,
  pageSize: number,
): Promise<{ tickets: TicketView[]; total: number }> {
  const rows = await run(
    em,
    `select ${TICKET_COLUMNS} from lottery_tickets where lottery_round = ? order by ticket_number limit ? offset ?`,
    [roundId, pageSize, (page - 1) * pageSize],
  );
  const [count] = await run(em, 'select count(*)::int as n from lottery_tickets where lottery_round = ?', [
    roundId,
  ]);
  return { tickets: rows.map(toTicket), total: Number(count?.n ?? 0) };
}

/** Up to `limit` tickets numbered above `after`, in number order (keyset pages for exports). */
export async function ticketsOfRoundAfter(
  em: EntityManager,
  roundId: string,
  after: number,
  limit: number,
): Promise<TicketView[]> {
  const rows = await run(
    em,
    `select ${TICKET_COLUMNS} from lottery_tickets where lottery_round = ? and ticket_number > ? order by ticket_number limit ?`,
    [roundId, after, limit],
  );
  return rows.map(toTicket);
}

export interface FrozenTicket {
  ticketNumber: number;
  wallet: string;
}

/** Up to `limit` of the frozen tickets 1..count numbered above `after` (the public proof, in pages). */
export async function frozenTicketsAfter(
  em: EntityManager,
  roundId: string,
  count: number,
  after: number,
  limit: number,
): Promise<FrozenTicket[]> {
  const rows = await run<{ ticket_number: number; wallet_address: string }>(
    em,
    `select ticket_number, wallet_address from lottery_tickets
      where lottery_round = ? and ticket_number > ? and ticket_number <= ? order by ticket_number limit ?`,
    [roundId, after, count, limit],
  );
  return rows.map((r) => ({ ticketNumber: Number(r.ticket_number), wallet: r.wallet_address }));
}

export interface ReceiptView {
  signature: string;
  kind: string;
  roundId: string | null;
  walletAddress: string;
  status: string;
  currency: string | null;
  amountBaseUnits: string | null;
  refundOwedBaseUnits: string;
  requestedTickets: number | null;
  reason: string | null;
  blockTime: string | null;
  ticketNumbers: number[];
}

const RECEIPT_COLUMNS = `signature, kind, round_id, wallet_address, status, currency, amount_base_units::text as amount,
  refund_owed_base_units::text as refund, requested_tickets, reason, block_time`;

function toReceipt(r: Row, numbers: number[] = []): ReceiptView {
  return {
    signature: r.signature as string,
    kind: r.kind as string,
    roundId: (r.round_id as string | null) ?? null,
    walletAddress: r.wallet_address as string,
    status: r.status as string,
    currency: (r.currency as string | null) ?? null,
    amountBaseUnits: (r.amount as string | null) ?? null,
    refundOwedBaseUnits: r.refund as string,
    requestedTickets: r.requested_tickets === null ? null : Number(r.requested_tickets),
    reason: (r.reason as string | null) ?? null,
    blockTime: iso(r.block_time),
    ticketNumbers: numbers,
  };
}

export async function findReceipt(em: EntityManager, signature: string): Promise<ReceiptView | null> {
  const [row] = await run(em, `select ${RECEIPT_COLUMNS} from chain_receipts where signature = ?`, [
    signature,
  ]);
  if (!row) return null;
  const tickets = await run(
    em,
    'select ticket_number from lottery_tickets where transaction_signature = ? order by ticket_number',
    [signature],
  );
  return toReceipt(
    row,
    tickets.map((t) => Number(t.ticket_number)),
  );
}

/** Late payments and every receipt owed a refund (excess, underpayment, cancelled round). */
export async function refundsOwed(em: EntityManager, roundId?: string): Promise<ReceiptView[]> {
  const rows = await run(
    em,
    `select ${RECEIPT_COLUMNS} from chain_receipts
      where kind in ('purchase', 'burn') and (refund_owed_base_units > 0 or status = 'late')
        ${roundId ? 'and round_id = ?' : ''}
      order by created_at limit 5000`,
    roundId ? [roundId] : [],
  );
  return rows.map((r) => toReceipt(r));
}

export async function walletTicketCount(em: EntityManager, wallet: string, roundId: string): Promise<number> {
  const [row] = await run(
    em,
    'select count(*)::int as n from lottery_tickets where wallet_address = ? and lottery_round = ?',
    [wallet, roundId],
  );
  return Number(row?.n ?? 0);
}
