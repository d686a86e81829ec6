/**
 * Lottery rounds: every read and write of `lottery_rounds`, as units of work on the caller's
 * EntityManager (DESIGN §5). The secret seed is generated and kept here: only its commitment
 * leaves this module before the draw. Raw SQL so bigints stay exact as text.
 */
import {
  BEACON_RULE,
  commitMemoKey,
  freezeMemoKey,
  parseFreezeMemo,
  type DrawAnchors,
} from '../../domain/lottery/anchors';
import { confirmedMemoOf, findMemo } from '../memos';
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors';
import { createTicketDigester, drawWinner, isSeedHex, seedCommitment } from '../../domain/lottery/fair-draw';
import { FINAL_ROUND_STATUSES, type RoundStatus } from '../../domain/lottery/vocabulary';
import type { Currency } from '../../domain/money';
import type { PayoutStatus } from '../entities/payout';
import type { DrawOutcome, LotteryRoundInput } from '../../../workflows/lottery.api';
import { sql, type Row } from '../sql';

/** Tickets read per page when digesting a frozen set. */
const DIGEST_PAGE = 50_000;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
const FINAL = FINAL_ROUND_STATUSES.map((s) => `'${s}'`).join(', ');

const roundNotFound = (roundId: string) =>
  new DomainError('RoundNotFound', `lottery round ${roundId} does not exist`);

// ---------------------------------------------------------------------------------------------
// Reads (the API's views)

export interface RoundView {
  id: string;
  status: RoundStatus;
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

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRound(r: Row): RoundView {
  return {
    id: r.id as string,
    status: r.status as RoundStatus,
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
    frozenTicketCount: numberOrNull(r.frozen_ticket_count),
    ticketDigest: (r.ticket_digest as string | null) ?? null,
    beaconSlot: numberOrNull(r.beacon_slot),
    beaconBlockhash: (r.beacon_blockhash as string | null) ?? null,
    winnerIndex: numberOrNull(r.winner_index),
    winnerTicket: numberOrNull(r.winner_ticket),
    winnerWallet: (r.winner_wallet as string | null) ?? null,
    drawnAt: iso(r.drawn_at),
    prizePayoutKey: (r.prize_payout_key as string | null) ?? null,
    createdAt: iso(r.created_at)!,
  };
}

export async function findRound(em: EntityManager, id: string): Promise<RoundView | null> {
  const [row] = await sql<Row>(em, `select ${ROUND_COLUMNS} from lottery_rounds where id = ?`, [id]);
  return row ? toRound(row) : null;
}

/** The round selling now; else the most recently started one that is not cancelled; else the next scheduled. */
export async function findCurrentRound(em: EntityManager): Promise<RoundView | null> {
  const [row] = await sql<Row>(
    em,
    `select ${ROUND_COLUMNS} from lottery_rounds where status <> 'cancelled'
      order by (status = 'active') desc, (start_date <= now()) desc, start_date desc limit 1`,
  );
  return row ? toRound(row) : null;
}

/** The prize payout as the payouts table has it (exactly-once path: pending → signed → confirmed). */
export interface PrizePayoutView {
  key: string;
  status: PayoutStatus;
  signature: string | null;
  recipient: string;
  amountBaseUnits: string;
  confirmedAt: string | null;
}

export interface RoundSales extends RoundView {
  /** Null until `payPrize` records the payout. */
  prizePayout: PrizePayoutView | null;
  receipts: Record<string, number>;
  receivedLamports: string;
  receivedUsdc: string;
  refundsOwedLamports: string;
  refundsOwedUsdc: string;
}

function prizePayoutOf(p: Row | null): PrizePayoutView | null {
  if (!p) return null;
  return {
    key: p.key as string,
    status: p.status as PayoutStatus,
    signature: (p.signature as string | null) ?? null,
    recipient: p.recipient as string,
    amountBaseUnits: p.amountBaseUnits as string,
    confirmedAt: iso(p.confirmedAt),
  };
}

/** Rounds with their sales, newest first; `roundId` narrows it to that one round. */
export async function listRoundsWithSales(
  em: EntityManager,
  page: number,
  pageSize: number,
  roundId?: string,
): Promise<RoundSales[]> {
  const rows = await sql<Row>(
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
          where c.round_id = r.id and c.currency = 'USDC') as owed_usdc,
       (select json_build_object('key', p.key, 'status', p.status, 'signature', p.signature,
          'recipient', p.recipient, 'amountBaseUnits', p.amount_base_units::text, 'confirmedAt', p.confirmed_at)
          from payouts p where p.key = r.prize_payout_key) as prize_payout
     from lottery_rounds r ${roundId ? 'where r.id = ?' : ''} order by start_date desc limit ? offset ?`,
    [...(roundId ? [roundId] : []), pageSize, (page - 1) * pageSize],
  );
  return rows.map((r) => ({
    ...toRound(r),
    prizePayout: prizePayoutOf(r.prize_payout as Row | null),
    receipts: (r.receipts as Record<string, number>) ?? {},
    receivedLamports: r.received_sol as string,
    receivedUsdc: r.received_usdc as string,
    refundsOwedLamports: r.owed_sol as string,
    refundsOwedUsdc: r.owed_usdc as string,
  }));
}

// ---------------------------------------------------------------------------------------------
// The round's terms as a ticket issue decides on them (the counter of src/db/lottery/tickets.ts)

/**
 * Every column a ticket issue decides on (sales window, status, freeze, prices, burn rate,
 * drawing date), as one text: the issue reads it without the row lock and its counter update
 * proceeds only while the row still shows the same text (src/db/lottery/tickets.ts).
 */
export const ROUND_TERMS = `md5(row(status, start_date, end_date, drawing_date, frozen_at, ticket_price_lamports,
  ticket_price_usdc, tickets_per_burn)::text)`;

export interface RoundTerms {
  status: RoundStatus;
  startDate: Date;
  endDate: Date;
  drawingDate: Date | null;
  frozen: boolean;
  /** Tickets sold when read: the next number is total + 1 while the row lock is held. */
  total: number;
  ticketsPerBurn: number;
  price: Record<Currency, bigint>;
  /** `ROUND_TERMS` as read. */
  terms: string;
  /** Read under the row lock (`for update`): the terms cannot change until the commit. */
  locked: boolean;
}

/** The round's terms, under its row lock (`for update`) when `lock`; RoundNotFound if absent. */
export async function readRoundTerms(
  tx: EntityManager,
  roundId: string,
  { lock }: { lock: boolean },
): Promise<RoundTerms> {
  const [round] = await sql<Row>(
    tx,
    `select status, start_date, end_date, drawing_date, frozen_at, total_tickets_sold, tickets_per_burn,
            ticket_price_lamports::text as price_sol, ticket_price_usdc::text as price_usdc, ${ROUND_TERMS} as terms
       from lottery_rounds where id = ? ${lock ? 'for update' : ''}`,
    [roundId],
  );
  if (!round) throw roundNotFound(roundId);
  return {
    status: round.status as RoundStatus,
    startDate: new Date(round.start_date as string),
    endDate: new Date(round.end_date as string),
    drawingDate: round.drawing_date ? new Date(round.drawing_date as string) : null,
    frozen: round.frozen_at !== null,
    total: Number(round.total_tickets_sold),
    ticketsPerBurn: Number(round.tickets_per_burn),
    price: { SOL: BigInt(round.price_sol as string), USDC: BigInt(round.price_usdc as string) },
    terms: round.terms as string,
    locked: lock,
  };
}

/** Locks the round row (`for update`) in the caller's transaction; RoundNotFound if absent. */
export const lockRound = (tx: EntityManager, roundId: string): Promise<RoundTerms> =>
  readRoundTerms(tx, roundId, { lock: true });

/** Why a payment at `blockTime` landed outside the round's sales, or null when it is inside. */
export function lateReason(round: RoundTerms, blockTime: Date): string | null {
  if (round.frozen) return "the round's ticket set was already frozen";
  if (round.status === 'cancelled') return 'the round was cancelled';
  if (blockTime.getTime() > round.endDate.getTime()) {
    return `block time ${blockTime.toISOString()} is after the round's end ${round.endDate.toISOString()}`;
  }
  if (blockTime.getTime() < round.startDate.getTime()) {
    return `block time ${blockTime.toISOString()} is before the round's start ${round.startDate.toISOString()}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Units of work of the round workflow

/**
 * The statuses whose sales window is taken: a scheduled or active round sells (or will) in
 * it. A closing or drawing round has ended its sales (at its end or on `close`) and only
 * settles what was already paid, so the next round may open beside it; completed and
 * cancelled rounds are final.
 */
const SELLING = ['scheduled', 'active'] as const satisfies readonly RoundStatus[];

/** Serialises round creations so that two overlapping windows cannot both pass the check. */
const ROUND_WINDOW_LOCK = "hashtext('lottery_rounds.sales_window')";

/**
 * RoundOverlaps when the sales window [start, end) overlaps a scheduled or active round's,
 * naming that round: one round sells at a time, so `rounds/current` has one answer.
 */
export async function refuseOverlappingRound(em: EntityManager, start: string, end: string): Promise<void> {
  const [other] = await sql<{ id: string; status: string; start_date: string; end_date: string }>(
    em,
    `select id, status, start_date, end_date from lottery_rounds
      where status in (${SELLING.map((st) => `'${st}'`).join(', ')}) and start_date < ? and end_date > ?
      order by start_date limit 1`,
    [end, start],
  );
  if (!other) return;
  throw new DomainError(
    'RoundOverlaps',
    `startDate/endDate: the sales window ${new Date(start).toISOString()} → ${new Date(end).toISOString()} overlaps round ${other.id} (${other.status}, ${iso(other.start_date)} → ${iso(other.end_date)}); one round sells at a time`,
    { roundId: other.id },
  );
}

/**
 * Writes the round row with a fresh secret seed (idempotent on the id); returns only the
 * commitment. Refused (RoundOverlaps) when its window overlaps another selling round: the
 * check and the insert run under one advisory lock, so concurrent creations take turns.
 */
export async function createRound(em: EntityManager, input: LotteryRoundInput): Promise<string> {
  return em.transactional(async (tx) => {
    const [existing] = await sql<{ seed_commitment: string }>(
      tx,
      'select seed_commitment from lottery_rounds where id = ?',
      [input.roundId],
    );
    if (existing) return existing.seed_commitment;
    await sql(tx, `select pg_advisory_xact_lock(${ROUND_WINDOW_LOCK})`);
    await refuseOverlappingRound(tx, input.startDate, input.endDate);
    return insertRound(tx, input);
  });
}

async function insertRound(em: EntityManager, input: LotteryRoundInput): Promise<string> {
  const seed = crypto.randomBytes(32).toString('hex');
  await sql(
    em,
    `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, drawing_date, ticket_price_lamports,
       ticket_price_usdc, tickets_per_burn, status, seed_commitment, secret_seed, created_by)
     values (?, ?::bigint, ?, ?, ?, ?::bigint, ?::bigint, ?, 'scheduled', ?, ?, ?)
     on conflict (id) do nothing`,
    [
      input.roundId,
      input.prizePoolLamports,
      input.startDate,
      input.endDate,
      input.drawingDate,
      input.ticketPriceLamports,
      input.ticketPriceUsdc,
      input.ticketsPerBurn,
      seedCommitment(seed),
      seed,
      input.createdBy,
    ],
  );
  const [row] = await sql<{ seed_commitment: string }>(
    em,
    'select seed_commitment from lottery_rounds where id = ?',
    [input.roundId],
  );
  if (!row) throw new Error(`round ${input.roundId} was not written`);
  await sql(
    em,
    `insert into analytics_events (event_type, wallet_address, metadata) values ('lottery.round_created', ?, ?::jsonb)`,
    [input.createdBy, JSON.stringify({ roundId: input.roundId })],
  );
  return row.seed_commitment;
}

/**
 * Records when sales open (src/domain/lottery/anchors.ts `salesOpenAt`: once the commitment is
 * on chain), only while the round has not opened yet.
 */
export async function setSalesStart(em: EntityManager, roundId: string, startDate: string): Promise<void> {
  await sql(
    em,
    `update lottery_rounds set start_date = ?, updated_at = now() where id = ? and status = 'scheduled'`,
    [startDate, roundId],
  );
}

/** Moves the round to `status` unless it already reached a final state. */
export async function setRoundStatus(em: EntityManager, roundId: string, status: RoundStatus): Promise<void> {
  await sql(
    em,
    `update lottery_rounds set status = ?, updated_at = now() where id = ? and status not in (${FINAL})`,
    [status, roundId],
  );
}

export async function setPrizePool(
  em: EntityManager,
  roundId: string,
  prizePoolLamports: string,
): Promise<void> {
  await sql(
    em,
    'update lottery_rounds set prize_pool_lamports = ?::bigint, updated_at = now() where id = ?',
    [prizePoolLamports, roundId],
  );
}

/**
 * Cancels the round (only if not frozen, checked under the row lock: RoundFrozen) and
 * records every accepted payment of the round as owed a full refund, in one transaction.
 */
export async function cancelRound(
  em: EntityManager,
  roundId: string,
  reason: string,
  options: { seedLost?: boolean } = {},
): Promise<void> {
  await em.transactional(async (tx) => {
    const round = await lockRound(tx, roundId);
    // After the freeze only an unrevealable seed cancels (past the reveal deadline), never a drawn round.
    if (round.frozen && !options.seedLost) {
      throw new DomainError('RoundFrozen', `round ${roundId} is frozen and can no longer be cancelled`);
    }
    if (options.seedLost) {
      const [drawn] = await sql<{ drawn_at: unknown }>(
        tx,
        'select drawn_at from lottery_rounds where id = ?',
        [roundId],
      );
      if (drawn?.drawn_at)
        throw new DomainError('RoundDrawn', `round ${roundId} is drawn and cannot be cancelled`);
    }
    await sql(tx, `update lottery_rounds set status = 'cancelled', updated_at = now() where id = ?`, [
      roundId,
    ]);
    await sql(
      tx,
      `update chain_receipts set refund_owed_base_units = coalesce(amount_base_units, 0), reason = ?, updated_at = now()
        where round_id = ? and kind = 'purchase' and status = 'accepted'`,
      [`round cancelled: ${reason}`, roundId],
    );
  });
}

export interface FrozenTicketSet {
  frozenTicketCount: number;
  ticketDigest: string;
}

/**
 * Freezes the ticket set under the row lock (no ticket can be issued after this commits),
 * then digests the tickets 1..N streamed in number order and stores the digest. Idempotent:
 * a frozen round keeps its count.
 */
export async function freezeTicketSet(em: EntityManager, roundId: string): Promise<FrozenTicketSet> {
  const frozenTicketCount = await em.transactional(async (tx) => {
    await lockRound(tx, roundId);
    await sql(
      tx,
      `update lottery_rounds set frozen_at = coalesce(frozen_at, now()),
         frozen_ticket_count = coalesce(frozen_ticket_count, total_tickets_sold), status = 'drawing', updated_at = now()
       where id = ?`,
      [roundId],
    );
    const [row] = await sql<{ frozen_ticket_count: number | null }>(
      tx,
      'select frozen_ticket_count from lottery_rounds where id = ?',
      [roundId],
    );
    return Number(row?.frozen_ticket_count ?? 0);
  });
  const digester = createTicketDigester({ createSha256: () => crypto.createHash('sha256') });
  let last = 0;
  while (last < frozenTicketCount) {
    // One text value per page ("number:wallet" lines) instead of 50k row objects: the
    // driver's per-row work dominated the freeze of large rounds.
    const upTo = Math.min(frozenTicketCount, last + DIGEST_PAGE);
    const [page] = await sql<{ lines: string | null }>(
      em,
      `select string_agg(ticket_number::text || ':' || wallet_address, E'\\n' order by ticket_number) as lines
         from lottery_tickets where lottery_round = ? and ticket_number > ? and ticket_number <= ?`,
      [roundId, last, upTo],
    );
    let count = 0;
    for (const line of page?.lines ? page.lines.split('\n') : []) {
      const colon = line.indexOf(':');
      digester.add({ ticketNumber: Number(line.slice(0, colon)), wallet: line.slice(colon + 1) });
      count++;
    }
    // Numbers are gapless, so a page short of its range means tickets are missing.
    if (count !== upTo - last)
      throw new Error(`round ${roundId}: tickets ${last + 1}..${upTo} are incomplete`);
    last = upTo;
  }
  const ticketDigest = digester.digestHex();
  await sql(em, 'update lottery_rounds set ticket_digest = ?, updated_at = now() where id = ?', [
    ticketDigest,
    roundId,
  ]);
  return { frozenTicketCount, ticketDigest };
}

export interface StoredBeacon {
  slot: number;
  blockhash: string;
}

/** The beacon already taken for the round, or null. */
export async function storedBeacon(em: EntityManager, roundId: string): Promise<StoredBeacon | null> {
  const [row] = await sql<{ slot: string | null; beacon_blockhash: string | null }>(
    em,
    'select beacon_slot::text as slot, beacon_blockhash from lottery_rounds where id = ?',
    [roundId],
  );
  return row?.beacon_blockhash ? { slot: Number(row.slot), blockhash: row.beacon_blockhash } : null;
}

/** Stores the beacon unless one is already stored; answers the stored one (the first writer wins). */
export async function recordBeacon(
  em: EntityManager,
  roundId: string,
  beacon: StoredBeacon,
): Promise<StoredBeacon> {
  await sql(
    em,
    `update lottery_rounds set beacon_slot = ?, beacon_blockhash = ?, updated_at = now() where id = ? and beacon_blockhash is null`,
    [beacon.slot, beacon.blockhash, roundId],
  );
  const stored = await storedBeacon(em, roundId);
  if (!stored) throw roundNotFound(roundId);
  return stored;
}

/** Reads the seed, computes the winner (fair-draw), writes it and reveals the seed. Idempotent. */
export async function drawRound(em: EntityManager, roundId: string): Promise<DrawOutcome> {
  return em.transactional(async (tx) => {
    const [round] = await sql<Row>(
      tx,
      `select secret_seed, seed_commitment, ticket_digest, beacon_blockhash, frozen_ticket_count, winner_index,
              winner_ticket, winner_wallet, drawn_at from lottery_rounds where id = ? for update`,
      [roundId],
    );
    if (!round) throw roundNotFound(roundId);
    const ticketCount = Number(round.frozen_ticket_count ?? 0);
    if (round.drawn_at) {
      return {
        winnerIndex: numberOrNull(round.winner_index),
        winnerTicket: numberOrNull(round.winner_ticket),
        winnerWallet: (round.winner_wallet as string | null) ?? null,
        ticketCount,
      };
    }
    if (!round.ticket_digest || !round.beacon_blockhash) {
      throw new DomainError('NotFrozen', `round ${roundId} has no frozen ticket digest and beacon yet`);
    }
    let outcome: DrawOutcome = { winnerIndex: null, winnerTicket: null, winnerWallet: null, ticketCount };
    // A seed that is gone, unreadable or not the committed one can never be revealed: the
    // round cannot be drawn (the workflow cancels it after the reveal deadline).
    const seed = round.secret_seed as string | null;
    if (!isSeedHex(seed) || seedCommitment(seed) !== round.seed_commitment) {
      throw new DomainError('SeedUnavailable', `round ${roundId}: the committed seed cannot be read`);
    }
    if (ticketCount > 0) {
      const { winnerIndex } = drawWinner({
        seedHex: seed,
        beaconBlockhash: round.beacon_blockhash as string,
        ticketDigestHex: round.ticket_digest as string,
        ticketCount,
      });
      // Tickets are 1..N in order, so position i holds ticket number i + 1.
      const [winner] = await sql<{ ticket_number: number; wallet_address: string }>(
        tx,
        'select ticket_number, wallet_address from lottery_tickets where lottery_round = ? and ticket_number = ?',
        [roundId, winnerIndex + 1],
      );
      if (!winner) throw new Error(`round ${roundId}: winning ticket ${winnerIndex + 1} is missing`);
      outcome = {
        winnerIndex,
        winnerTicket: Number(winner.ticket_number),
        winnerWallet: winner.wallet_address,
        ticketCount,
      };
    }
    await sql(
      tx,
      `update lottery_rounds set winner_index = ?, winner_ticket = ?, winner_wallet = ?, drawn_at = now(),
         seed_revealed_at = now(), status = 'completed', updated_at = now() where id = ?`,
      [outcome.winnerIndex, outcome.winnerTicket, outcome.winnerWallet, roundId],
    );
    await sql(
      tx,
      `insert into analytics_events (event_type, wallet_address, metadata) values ('lottery.draw', ?, ?::jsonb)`,
      [outcome.winnerWallet, JSON.stringify({ roundId, ...outcome })],
    );
    return outcome;
  });
}

export interface PrizeToPay {
  /** The payout's idempotency key: `prize:<roundId>`. */
  key: string;
  recipient: string;
  amountBaseUnits: string;
}

/** The drawn winner and prize pool of the round; NoWinner when there is nobody to pay. */
export async function prizeToPay(em: EntityManager, roundId: string): Promise<PrizeToPay> {
  const [round] = await sql<{ winner_wallet: string | null; prize: string }>(
    em,
    'select winner_wallet, prize_pool_lamports::text as prize from lottery_rounds where id = ?',
    [roundId],
  );
  if (!round?.winner_wallet) throw new DomainError('NoWinner', `round ${roundId} has no winner to pay`);
  return { key: `prize:${roundId}`, recipient: round.winner_wallet, amountBaseUnits: round.prize };
}

/** Links the round to its prize payout row. */
export async function linkPrizePayout(em: EntityManager, roundId: string, key: string): Promise<void> {
  await sql(em, 'update lottery_rounds set prize_payout_key = ?, updated_at = now() where id = ?', [
    key,
    roundId,
  ]);
}

/**
 * The proof's anchoring section: the round's commitment and freeze memos as confirmed on
 * chain (signature, slot, exact text) and the beacon rule with the delay its freeze memo
 * names; null for a round that never recorded an anchor.
 */
export async function roundAnchors(em: EntityManager, roundId: string): Promise<DrawAnchors | null> {
  const [commit, freeze] = await Promise.all([
    findMemo(em, commitMemoKey(roundId)),
    findMemo(em, freezeMemoKey(roundId)),
  ]);
  if (!commit && !freeze) return null;
  return {
    commitMemo: confirmedMemoOf(commit),
    digestMemo: confirmedMemoOf(freeze),
    beaconRule: {
      name: BEACON_RULE,
      delaySlots: freeze ? (parseFreezeMemo(freeze.text)?.beaconDelaySlots ?? null) : null,
      commitment: 'finalized',
    },
  };
}
