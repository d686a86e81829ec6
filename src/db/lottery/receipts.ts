/**
 * Chain receipts of the lottery (purchases and burns): the pending receipt a submission
 * writes first, its rejection or release, and THE one mapping of a receipt row (with its
 * tickets) to what the workflows answer and the API shows (`Receipt`, `outcomeOf`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LotteryReceiptKind, ReceiptStatus } from '../../domain/lottery/vocabulary';
import type { Currency } from '../../domain/money';
import type { ReceiptOutcome } from '../../../workflows/lottery.api';
import { sql } from '../sql';

interface ReceiptRow {
  signature: string;
  kind: string;
  round_id: string | null;
  wallet_address: string;
  status: ReceiptStatus;
  currency: Currency | null;
  amount: string | null;
  refund: string;
  requested_tickets: number | null;
  reason: string | null;
  block_time: string | Date | null;
}

const RECEIPT_COLUMNS = `signature, kind, round_id, wallet_address, status, currency, amount_base_units::text as amount,
  refund_owed_base_units::text as refund, requested_tickets, reason, block_time`;

/** A receipt row as the lottery reads it: the one shape every answer about a receipt comes from. */
export interface Receipt {
  signature: string;
  /** purchase | burn (chain_receipts also holds funding and payout rows: see `kind` of the row). */
  kind: string;
  roundId: string | null;
  /** The wallet that signed and paid (while pending: the one that submitted). */
  wallet: string;
  status: ReceiptStatus;
  currency: Currency | null;
  amountBaseUnits: string | null;
  refundOwedBaseUnits: string;
  requestedTickets: number | null;
  reason: string | null;
  blockTime: string | null;
  ticketNumbers: number[];
  /** Burned mints behind the tickets (burn claims). */
  mints: string[];
  /** The wallet's tickets in the round now (only from `readReceipt`; 0 in lists). */
  walletTotalTickets: number;
}

interface TicketsOfReceipt {
  numbers: number[];
  mints: string[];
  walletTotal: number;
}

function toReceipt(
  r: ReceiptRow,
  tickets: TicketsOfReceipt = { numbers: [], mints: [], walletTotal: 0 },
): Receipt {
  return {
    signature: r.signature,
    kind: r.kind,
    roundId: r.round_id ?? null,
    wallet: r.wallet_address,
    status: r.status,
    currency: r.currency ?? null,
    amountBaseUnits: r.amount ?? null,
    refundOwedBaseUnits: r.refund,
    requestedTickets: r.requested_tickets === null ? null : Number(r.requested_tickets),
    reason: r.reason ?? null,
    blockTime: r.block_time ? new Date(r.block_time).toISOString() : null,
    ticketNumbers: tickets.numbers,
    mints: tickets.mints,
    walletTotalTickets: tickets.walletTotal,
  };
}

/** The receipt with its tickets and the wallet's total in its round (in `em`'s transaction, if any). */
export async function readReceipt(em: EntityManager, signature: string): Promise<Receipt | null> {
  // One statement: the receipt is read at every step of a purchase (pending, rejected, issued).
  const [row] = await sql<
    ReceiptRow & { ticket_numbers: number[] | null; burned: string[] | null; wallet_total: number }
  >(
    em,
    `select ${RECEIPT_COLUMNS}, t.ticket_numbers, t.burned, w.wallet_total from chain_receipts r
       left join lateral (
         select array_agg(ticket_number order by ticket_number) as ticket_numbers,
                array_agg(nft_burned order by ticket_number) filter (where nft_burned is not null) as burned
           from lottery_tickets where transaction_signature = r.signature) t on true
       left join lateral (
         select count(*)::int as wallet_total from lottery_tickets
          where wallet_address = r.wallet_address and lottery_round = r.round_id) w on true
      where signature = ?`,
    [signature],
  );
  if (!row) return null;
  return toReceipt(row, {
    numbers: (row.ticket_numbers ?? []).map(Number),
    mints: [...new Set(row.burned ?? [])],
    walletTotal: Number(row.wallet_total ?? 0),
  });
}

/** What a workflow answers for a decided receipt (a pending one reads as rejected). */
function outcomeOf(receipt: Receipt): ReceiptOutcome {
  return {
    signature: receipt.signature,
    kind: receipt.kind === 'burn' ? 'burn' : 'purchase',
    roundId: receipt.roundId ?? '',
    wallet: receipt.wallet,
    status: receipt.status === 'pending' ? 'rejected' : receipt.status,
    ticketNumbers: receipt.ticketNumbers,
    currency: receipt.currency,
    amountBaseUnits: receipt.amountBaseUnits,
    refundOwedBaseUnits: receipt.refundOwedBaseUnits ?? '0',
    mints: receipt.mints,
    code: null,
    reason: receipt.reason,
    details: null,
    totalTickets: receipt.walletTotalTickets,
  };
}

/** `outcomeOf` the receipt read in `em`; it must exist. */
export async function receiptOutcome(em: EntityManager, signature: string): Promise<ReceiptOutcome> {
  const receipt = await readReceipt(em, signature);
  if (!receipt) throw new Error(`receipt ${signature} not found`);
  return outcomeOf(receipt);
}

export interface PendingReceipt {
  signature: string;
  kind: LotteryReceiptKind;
  roundId: string;
  wallet: string;
  currency: Currency | null;
  requestedTickets: number | null;
}

/**
 * Writes the `pending` receipt (insert or nothing) so the round waits for it before
 * freezing. Returns the finished outcome if this signature was already decided, and an
 * AlreadyUsed rejection if it belongs to another kind of use, round or wallet.
 */
export async function recordPendingReceipt(
  em: EntityManager,
  input: PendingReceipt,
): Promise<{ existing: ReceiptOutcome | null }> {
  await sql(
    em,
    `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
     values (?, ?, ?, ?, ?, ?, 'pending') on conflict (signature) do nothing`,
    [input.signature, input.kind, input.roundId, input.wallet, input.currency, input.requestedTickets],
  );
  const receipt = await readReceipt(em, input.signature);
  if (!receipt) throw new Error(`receipt ${input.signature} was not written`);
  if (receipt.kind !== input.kind || receipt.roundId !== input.roundId || receipt.wallet !== input.wallet) {
    return {
      existing: {
        ...outcomeOf(receipt),
        status: 'rejected',
        code: 'AlreadyUsed',
        reason: `transaction ${input.signature} was already submitted (${receipt.kind}, round ${String(receipt.roundId)})`,
      },
    };
  }
  return { existing: receipt.status === 'pending' ? null : outcomeOf(receipt) };
}

/** Records a pending receipt as rejected (permanent verification failure); a decided one is left as it is. */
export async function rejectReceipt(
  em: EntityManager,
  signature: string,
  code: string,
  reason: string,
): Promise<ReceiptOutcome> {
  await sql(
    em,
    `update chain_receipts set status = 'rejected', reason = ?, updated_at = now() where signature = ? and status = 'pending'`,
    [`${code}: ${reason}`, signature],
  );
  return { ...(await receiptOutcome(em, signature)), code, reason };
}

/** Seconds from a decided receipt's submission (its pending row) to its decision; null while pending. */
export async function receiptDecisionSeconds(em: EntityManager, signature: string): Promise<number | null> {
  const [row] = await sql<{ seconds: number }>(
    em,
    `select extract(epoch from updated_at - created_at)::float8 as seconds
       from chain_receipts where signature = ? and status <> 'pending'`,
    [signature],
  );
  return row?.seconds ?? null;
}

/** Deletes a still-pending receipt (the submitter did not sign it; the signature stays claimable). */
export async function releasePendingReceipt(em: EntityManager, signature: string): Promise<void> {
  await sql(em, `delete from chain_receipts where signature = ? and status = 'pending'`, [signature]);
}

/** How many of the wallet's submissions are still being verified, leaving out `except`. */
export async function countPendingOfWallet(
  em: EntityManager,
  wallet: string,
  except: readonly string[],
): Promise<number> {
  const [row] = await sql<{ n: number }>(
    em,
    `select count(*)::int as n from chain_receipts
      where wallet_address = ? and status = 'pending' and kind in ('purchase', 'burn')
        and not (signature = any(string_to_array(?, ',')))`,
    // One text parameter (base58 has no comma): an array parameter is expanded into a list.
    [wallet, except.join(',')],
  );
  return Number(row?.n ?? 0);
}

/** How many purchases or burns for this round are still being verified. */
export async function countPendingReceipts(em: EntityManager, roundId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    em,
    `select count(*)::int as n from chain_receipts where round_id = ? and status = 'pending'`,
    [roundId],
  );
  return Number(row?.n ?? 0);
}

/** Locks the receipt row; answers its status (undefined when there is none). */
export async function lockReceipt(tx: EntityManager, signature: string): Promise<ReceiptStatus | undefined> {
  const [row] = await sql<{ status: ReceiptStatus }>(
    tx,
    'select status from chain_receipts where signature = ? for update',
    [signature],
  );
  return row?.status;
}

/** Writes the decision on a receipt: status, the chain's figures, refund owed and why. */
export async function decideReceipt(
  tx: EntityManager,
  signature: string,
  decision: {
    status: Exclude<ReceiptStatus, 'pending'>;
    slot: number;
    blockTime: Date;
    reason: string | null;
    /** Purchases only: what the chain shows was paid, and what is owed back. */
    amountBaseUnits?: bigint;
    refundOwedBaseUnits?: bigint;
  },
): Promise<void> {
  await sql(
    tx,
    `update chain_receipts set status = ?, amount_base_units = coalesce(?::bigint, amount_base_units),
       refund_owed_base_units = coalesce(?::bigint, refund_owed_base_units), slot = ?, block_time = ?, reason = ?,
       updated_at = now() where signature = ?`,
    [
      decision.status,
      decision.amountBaseUnits?.toString() ?? null,
      decision.refundOwedBaseUnits?.toString() ?? null,
      decision.slot,
      decision.blockTime,
      decision.reason,
      signature,
    ],
  );
}

/**
 * Late payments and every receipt owed a refund (excess, underpayment, cancelled round), each
 * with the tickets it did get (an overpaid purchase has both).
 */
export async function refundsOwed(em: EntityManager, roundId?: string): Promise<Receipt[]> {
  const rows = await sql<ReceiptRow & { ticket_numbers: number[] | null; mints: string[] | null }>(
    em,
    `select ${RECEIPT_COLUMNS}, t.ticket_numbers, t.mints from chain_receipts r
       left join lateral (
         select array_agg(ticket_number order by ticket_number) as ticket_numbers,
                array_agg(distinct nft_burned) filter (where nft_burned is not null) as mints
           from lottery_tickets where transaction_signature = r.signature) t on true
      where kind in ('purchase', 'burn') and (refund_owed_base_units > 0 or status = 'late')
        ${roundId ? 'and round_id = ?' : ''}
      order by created_at limit 5000`,
    roundId ? [roundId] : [],
  );
  return rows.map((r) =>
    toReceipt(r, {
      numbers: (r.ticket_numbers ?? []).map(Number),
      mints: r.mints ?? [],
      walletTotal: 0,
    }),
  );
}
