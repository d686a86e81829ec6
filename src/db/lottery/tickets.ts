/**
 * Lottery tickets: issuing them for a verified purchase or burn in ONE transaction (receipt
 * decided, gapless numbers from the round's counter under its row lock, burned mints marked
 * once ever, e-mail queued, analytics recorded), and the ticket reads of the API.
 *
 * Ticket numbers come from the round row's counter under `select ... for update`, so
 * concurrent issues serialise on the row and numbers are 1..N with no gap or duplicate.
 * Every unit of work is idempotent: a decided receipt is answered as it is.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '../analytics';
import type { Config } from '../../config';
import { DomainError } from '../../domain/errors';
import { formatAmount, ticketsCost, type Currency } from '../../domain/money';
import type { BurnClaimInput, ReceiptOutcome, TicketPurchaseInput } from '../../../workflows/lottery.api';
import { enqueueEmail } from '../email/outbox';
import { NftMintSchema, type Collection } from '../entities';
import { displayNumber, isoTimestamp, jsonObject, jsonValue } from '../json-text';
import { sql } from '../sql';
import { decideReceipt, lockReceipt, receiptOutcome } from './receipts';
import { lateReason, readRoundTerms, ROUND_TERMS, type RoundTerms } from './rounds';
import { claimedAmountMismatch } from '../../domain/lottery/claimed-amount';

/** What the chain shows a purchase paid (verify-payment's facts, JSON-safe). */
export interface VerifiedPurchase {
  amountBaseUnits: string;
  slot: number;
  /** Unix seconds or null. */
  blockTime: number | null;
}

/** What the chain shows a burn transaction burned (verify-burns' facts). */
export interface VerifiedBurnClaim {
  mints: string[];
  slot: number;
  blockTime: number | null;
}

export interface IssuedOutcome extends ReceiptOutcome {
  /** Outbox rows to start deliveries for (after the commit). */
  emailIds: string[];
}

interface NewTicket {
  wallet: string;
  userId: string | null;
  method: 'purchase' | 'burn';
  currency: Currency | null;
  signature: string;
  pricePerTicket: string | null;
  mint: string | null;
}

/** The round's terms changed since they were read without the lock: decide again under it. */
class RoundTermsChanged extends Error {}

/**
 * Runs `decide` in a transaction whose round terms are read WITHOUT the row lock, so the lock
 * is held only from the counter update (`takeNumbers`) to the commit, not through the whole
 * decision; when the terms changed meanwhile, or the decision takes no numbers and so has no
 * counter update to confirm its read (`settledOn`), it runs again on terms read under the lock.
 */
async function onRoundTerms<T>(
  em: EntityManager,
  roundId: string,
  decide: (tx: EntityManager, readTerms: () => Promise<RoundTerms>) => Promise<T>,
): Promise<T> {
  try {
    return await em.transactional((tx) => decide(tx, () => readRoundTerms(tx, roundId, { lock: false })));
  } catch (err) {
    if (!(err instanceof RoundTermsChanged)) throw err;
  }
  return em.transactional((tx) => decide(tx, () => readRoundTerms(tx, roundId, { lock: true })));
}

/** A decision that takes no ticket numbers is written only on terms read under the row lock. */
function settledOn(round: RoundTerms): void {
  if (!round.locked)
    throw new RoundTermsChanged('a decision without tickets re-reads the round under its lock');
}

/**
 * Numbers the tickets past the round's counter and bumps it in ONE statement, which takes the
 * round's row lock and proceeds only while the round still shows the terms `round` was read
 * with (RoundTermsChanged otherwise); returns the numbers, in `rows` order.
 */
async function takeNumbers(
  tx: EntityManager,
  roundId: string,
  round: RoundTerms,
  rows: NewTicket[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const values = rows.map(() => '(?::int, ?, ?, ?, ?, ?::bigint, ?, ?::uuid)').join(', ');
  const params = rows.flatMap((r, i) => [
    i + 1,
    r.wallet,
    r.method,
    r.currency,
    r.signature,
    r.pricePerTicket,
    r.mint,
    r.userId,
  ]);
  const [taken] = await sql<{ after: number }>(
    tx,
    `with counter as (
       update lottery_rounds set total_tickets_sold = total_tickets_sold + ?, updated_at = now()
        where id = ? and ${ROUND_TERMS} = ?
       returning total_tickets_sold - ? as after
     ), issued as (
       insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
         transaction_signature, amount_paid_base_units, nft_burned, user_id)
       select t.wallet, counter.after + t.ordinal, ?, t.method, t.currency, t.signature, t.price, t.mint, t.user_id
         from counter, (values ${values}) as t (ordinal, wallet, method, currency, signature, price, mint, user_id)
     )
     select after from counter`,
    [rows.length, roundId, round.terms, rows.length, roundId, ...params],
  );
  if (!taken) throw new RoundTermsChanged(`round ${roundId} changed while its tickets were decided`);
  return rows.map((_, i) => Number(taken.after) + i + 1);
}

async function buyer(tx: EntityManager, wallet: string) {
  const [user] = await sql<{ id: string; email: string | null }>(
    tx,
    'select id, email from users where wallet_address = ? limit 1',
    [wallet],
  );
  return user ? { id: user.id, email: user.email ?? null } : null;
}

const blockDate = (blockTime: number | null) =>
  blockTime === null ? new Date() : new Date(blockTime * 1000);

/** What a decision adds to the receipt's outcome, read after the commit. */
type Decided = Partial<Pick<IssuedOutcome, 'code' | 'details' | 'mints'>> & { emailIds: string[] };

/**
 * Decides a verified purchase in ONE transaction: underpaid or amount disagreeing with the
 * client → rejected (refund owed = amount); outside the window or after the freeze → late
 * (refund owed = amount); else tickets total+1..total+k under the round lock, excess owed
 * back, the e-mail queued and the analytics event recorded. Everything but the numbers and
 * the e-mail is written before the round's row lock is taken.
 */
export async function issuePurchaseTickets(
  em: EntityManager,
  input: TicketPurchaseInput,
  paid: VerifiedPurchase,
  config: Config,
): Promise<IssuedOutcome> {
  const decided = await onRoundTerms(em, input.roundId, async (tx, readTerms): Promise<Decided> => {
    const current = await lockReceipt(tx, input.signature);
    if (current && current !== 'pending') return { emailIds: [] };
    const amount = BigInt(paid.amountBaseUnits);
    const blockTime = blockDate(paid.blockTime);
    const user = await buyer(tx, input.wallet);
    const round = await readTerms();
    const required = ticketsCost(round.price[input.currency], input.ticketCount);
    const decide = (status: 'accepted' | 'late' | 'rejected', refund: bigint, reason: string | null) =>
      decideReceipt(tx, input.signature, {
        status,
        slot: paid.slot,
        blockTime,
        reason,
        amountBaseUnits: amount,
        refundOwedBaseUnits: refund,
      });
    const fmt = (v: bigint) => `${formatAmount(v, input.currency)} ${input.currency}`;
    const figures = {
      currency: input.currency,
      paidBaseUnits: amount.toString(),
      paid: fmt(amount),
      requiredBaseUnits: required.toString(),
      required: fmt(required),
    };

    const rejected = async (code: string, reason: string): Promise<Decided> => {
      settledOn(round);
      await decide('rejected', amount, reason);
      recordEvent(tx, {
        type: 'lottery.purchase_rejected',
        wallet: input.wallet,
        metadata: { signature: input.signature, code, ...figures },
      });
      return { code, details: figures, emailIds: [] };
    };
    // Verification refuses a mismatch first now; this decides runs verified before it did.
    const claimed = input.claimedAmountBaseUnits === null ? null : BigInt(input.claimedAmountBaseUnits);
    const mismatch = claimedAmountMismatch(claimed, amount, input.currency);
    if (mismatch) return rejected('AmountMismatch', mismatch.message);
    if (amount < required) {
      return rejected(
        'PaymentTooSmall',
        `the chain shows ${fmt(amount)} paid; ${input.ticketCount} tickets cost ${fmt(required)}`,
      );
    }
    const late = lateReason(round, blockTime);
    if (late) {
      settledOn(round);
      await decide('late', amount, late);
      recordEvent(tx, {
        type: 'lottery.late_payment',
        wallet: input.wallet,
        metadata: { signature: input.signature, ...figures },
      });
      return { emailIds: [] };
    }

    await decide(
      'accepted',
      amount - required,
      amount > required ? `overpaid by ${fmt(amount - required)}` : null,
    );
    recordEvent(tx, {
      type: 'lottery.purchase',
      wallet: input.wallet,
      userId: user?.id ?? null,
      metadata: {
        signature: input.signature,
        roundId: input.roundId,
        tickets: input.ticketCount,
        ...figures,
      },
    });
    await tx.flush();
    const price = round.price[input.currency].toString();
    const numbers = await takeNumbers(
      tx,
      input.roundId,
      round,
      Array.from({ length: input.ticketCount }, () => ({
        wallet: input.wallet,
        userId: user?.id ?? null,
        method: 'purchase' as const,
        currency: input.currency,
        signature: input.signature,
        pricePerTicket: price,
        mint: null,
      })),
    );
    const emailIds: string[] = [];
    if (user?.email) {
      const queued = await enqueueEmail(
        tx,
        {
          dedupeKey: `tickets:${input.signature}`,
          to: user.email,
          template: 'ticketsPurchased',
          data: {
            ticketCount: numbers.length,
            ticketNumbers: numbers,
            roundId: input.roundId,
            drawingDate: (round.drawingDate ?? round.endDate).toISOString(),
          },
          userId: user.id,
          preference: 'emailTicketReceipts',
        },
        config,
      );
      if (queued.created && queued.status === 'pending') emailIds.push(queued.id);
    }
    return { emailIds };
  });
  return { ...(await receiptOutcome(em, input.signature)), ...decided };
}

/**
 * Marks the mints burned (once ever) and issues ticketsPerBurn per mint, in ONE transaction;
 * like a purchase, only the numbers are taken under the round's row lock.
 */
export async function issueBurnTickets(
  em: EntityManager,
  input: BurnClaimInput,
  burned: VerifiedBurnClaim,
): Promise<IssuedOutcome> {
  const decided = await onRoundTerms(em, input.roundId, async (tx, readTerms): Promise<Decided> => {
    const current = await lockReceipt(tx, input.signature);
    if (current && current !== 'pending') return { emailIds: [] };
    const blockTime = blockDate(burned.blockTime);
    await markMintsBurned(tx, {
      mints: burned.mints,
      signature: input.signature,
      wallet: input.wallet,
      at: blockTime,
    });
    const round = await readTerms();
    const late = lateReason(round, blockTime);
    if (late) settledOn(round);
    await decideReceipt(tx, input.signature, {
      status: late ? 'late' : 'accepted',
      slot: burned.slot,
      blockTime,
      reason: late ? `${late}; burned mints: ${burned.mints.join(', ')}` : null,
    });
    if (!late) {
      recordEvent(tx, {
        type: 'lottery.burn',
        wallet: input.wallet,
        metadata: { signature: input.signature, roundId: input.roundId, mints: burned.mints },
      });
      const user = await buyer(tx, input.wallet);
      await tx.flush();
      await takeNumbers(
        tx,
        input.roundId,
        round,
        burned.mints.flatMap((mint) =>
          Array.from({ length: round.ticketsPerBurn }, () => ({
            wallet: input.wallet,
            userId: user?.id ?? null,
            method: 'burn' as const,
            currency: null,
            signature: input.signature,
            pricePerTicket: null,
            mint,
          })),
        ),
      );
    }
    return { mints: burned.mints, emailIds: [] };
  });
  return { ...(await receiptOutcome(em, input.signature)), ...decided };
}

/**
 * Every mint is listed in `collection` and was never burned for tickets by another
 * transaction; else NotInCollection / AlreadyUsed. A mint already marked with this same
 * `signature` passes, so a retried claim stays idempotent.
 */
export async function assertBurnableMints(
  em: EntityManager,
  mints: readonly string[],
  signature: string,
  collection: Collection = 'stoned-rabbits',
): Promise<void> {
  const rows = await em.find(
    NftMintSchema,
    { mintAddress: { $in: [...mints] } },
    { disableIdentityMap: true },
  );
  const byMint = new Map(rows.map((r) => [r.mintAddress, r]));
  for (const mint of mints) {
    const row = byMint.get(mint);
    if (!row || row.collection !== collection) {
      throw new DomainError('NotInCollection', `mint ${mint} is not in the ${collection} collection`, {
        mint,
        collection,
      });
    }
    if (row.burnedSignature && row.burnedSignature !== signature) {
      throw new DomainError(
        'AlreadyUsed',
        `mint ${mint} was already burned for tickets in transaction ${row.burnedSignature}`,
        { mint, burnedSignature: row.burnedSignature },
      );
    }
  }
}

/**
 * Marks `mints` burned by `signature` with a conditional update (only rows not yet marked),
 * inside the caller's transaction: two claims of one mint cannot both win. Throws AlreadyUsed
 * (or NotInCollection) if any mint could not be marked for this signature.
 */
export async function markMintsBurned(
  em: EntityManager,
  input: { mints: readonly string[]; signature: string; wallet: string; at?: Date; collection?: Collection },
): Promise<void> {
  const collection = input.collection ?? 'stoned-rabbits';
  await em.nativeUpdate(
    NftMintSchema,
    { mintAddress: { $in: [...input.mints] }, collection, burnedSignature: null },
    { burnedSignature: input.signature, burnedBy: input.wallet, burnedAt: input.at ?? new Date() },
  );
  // Whatever the update could not claim belongs to someone else (or is not listed).
  await assertBurnableMints(em, input.mints, input.signature, collection);
}

// ---------------------------------------------------------------------------------------------
// Reads (the API's views)

export interface TicketView {
  roundId: string;
  ticketNumber: number;
  walletAddress: string;
  acquisitionMethod: string;
  paymentMethod: Currency | null;
  transactionSignature: string;
  amountPaidBaseUnits: string | null;
  nftBurned: string | null;
  createdAt: string;
}

interface TicketRow {
  lottery_round: string;
  ticket_number: number;
  wallet_address: string;
  acquisition_method: string;
  payment_method: Currency | null;
  transaction_signature: string;
  amount: string | null;
  nft_burned: string | null;
  created_at: string | Date;
}

function toTicket(r: TicketRow): TicketView {
  return {
    roundId: r.lottery_round,
    ticketNumber: Number(r.ticket_number),
    walletAddress: r.wallet_address,
    acquisitionMethod: r.acquisition_method,
    paymentMethod: r.payment_method ?? null,
    transactionSignature: r.transaction_signature,
    amountPaidBaseUnits: r.amount ?? null,
    nftBurned: r.nft_burned ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const TICKET_COLUMNS = `lottery_round, ticket_number, wallet_address, acquisition_method, payment_method,
  transaction_signature, amount_paid_base_units::text as amount, nft_burned, created_at`;

/** A wallet's tickets in answer order (unique: a round's numbers are), at most this many. */
const WALLET_ORDER = 'created_at, lottery_round, ticket_number';
const WALLET_TICKETS_MAX = 10_000;

/** One ticket as the JSON text of an entry of GET /lottery/tickets/:walletAddress. */
const WALLET_ENTRY = jsonObject([
  ['roundId', jsonValue('lottery_round')],
  ['ticketNumber', jsonValue('ticket_number')],
  ['walletAddress', jsonValue('wallet_address')],
  ['acquisitionMethod', jsonValue('acquisition_method')],
  ['paymentMethod', jsonValue('payment_method')],
  ['transactionSignature', jsonValue('transaction_signature')],
  ['amountPaidBaseUnits', jsonValue('amount_paid_base_units::text')],
  ['nftBurned', jsonValue('nft_burned')],
  ['createdAt', jsonValue(isoTimestamp('created_at'))],
  ['amountPaid', displayNumber('amount_paid_base_units', 'payment_method')],
]);

/**
 * The answer of GET /lottery/tickets/:walletAddress as JSON text, written by PostgreSQL in
 * one row (src/db/json-text.ts): `{walletAddress, totalTickets, ticketNumbers, entries}`, the
 * wallet's tickets (in `roundId` only, when given) oldest first, at most 10,000; each entry
 * the ticket with its amounts as base-unit text and the legacy display `amountPaid`.
 */
export async function walletTicketsJson(
  em: EntityManager,
  wallet: string,
  roundId?: string,
): Promise<string> {
  const [row] = await sql<{ body: string }>(
    em,
    `select ${jsonObject([
      ['walletAddress', jsonValue('?::text')],
      ['totalTickets', 'count(*)::text'],
      [
        'ticketNumbers',
        `'[' || coalesce(string_agg(ticket_number::text, ',' order by ${WALLET_ORDER}), '') || ']'`,
      ],
      ['entries', `'[' || coalesce(string_agg(${WALLET_ENTRY}, ',' order by ${WALLET_ORDER}), '') || ']'`],
    ])} as body
     from (select * from lottery_tickets where wallet_address = ? ${roundId ? 'and lottery_round = ?' : ''}
            order by ${WALLET_ORDER} limit ${WALLET_TICKETS_MAX}) t`,
    roundId ? [wallet, wallet, roundId] : [wallet, wallet],
  );
  return row!.body;
}

export async function ticketsOfRound(
  em: EntityManager,
  roundId: string,
  page: number,
  pageSize: number,
): Promise<{ tickets: TicketView[]; total: number }> {
  const rows = await sql<TicketRow>(
    em,
    `select ${TICKET_COLUMNS} from lottery_tickets where lottery_round = ? order by ticket_number limit ? offset ?`,
    [roundId, pageSize, (page - 1) * pageSize],
  );
  const [count] = await sql<{ n: number }>(
    em,
    'select count(*)::int as n from lottery_tickets where lottery_round = ?',
    [roundId],
  );
  return { tickets: rows.map(toTicket), total: Number(count?.n ?? 0) };
}

/** Up to `limit` tickets numbered above `after`, in number order (keyset pages for exports). */
export async function ticketsOfRoundAfter(
  em: EntityManager,
  roundId: string,
  after: number,
  limit: number,
): Promise<TicketView[]> {
  const rows = await sql<TicketRow>(
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
  const rows = await sql<{ ticket_number: number; wallet_address: string }>(
    em,
    `select ticket_number, wallet_address from lottery_tickets
      where lottery_round = ? and ticket_number > ? and ticket_number <= ? order by ticket_number limit ?`,
    [roundId, after, count, limit],
  );
  return rows.map((r) => ({ ticketNumber: Number(r.ticket_number), wallet: r.wallet_address }));
}
