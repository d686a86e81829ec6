/**
 * Lottery activities (DESIGN §5): the round's database steps (create with a secret seed,
 * freeze + digest, beacon, draw), and the purchase / burn steps (pending receipt, on-chain
 * verification, issuing gapless tickets in one PostgreSQL transaction).
 *
 * The secret seed is generated here and never returned: only its commitment enters workflow
 * history. Ticket numbers come from the round row's counter under `select ... for update`,
 * so concurrent issues serialise on the row and numbers are 1..N with no gap or duplicate.
 * Every step is idempotent (receipt status, `on conflict do nothing`, "already set" checks).
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { beaconAtSlot } from '../src/chain/beacon';
import { createChainDeps, type ChainDeps } from '../src/chain/deps';
import { toActivityFailure } from '../src/chain/errors';
import { verifyBurns, markMintsBurned } from '../src/chain/verify-burns';
import { verifyPayment } from '../src/chain/verify-payment';
import { rpcCall } from '../src/chain/rpc';
import { recordEvent } from '../src/analytics/record-event';
import { enqueueEmail } from '../src/db/email/outbox';
import { createTicketDigester, drawWinner, seedCommitment } from '../src/domain/lottery/fair-draw';
import { createPayout } from '../src/chain/payout';
import { formatAmount, ticketsCost, type Currency } from '../src/domain/money';
import type {
  BurnClaimInput,
  DrawOutcome,
  LotteryRoundInput,
  ReceiptOutcome,
  RoundStatus,
  TicketPurchaseInput,
} from '../workflows/lottery.api';
import type { ActivityDeps } from './index';

/** Tickets read per page when digesting a frozen set. */
const DIGEST_PAGE = 50_000;

export interface VerifiedPurchase {
  amountBaseUnits: string;
  slot: number;
  /** Unix seconds or null. */
  blockTime: number | null;
}

export interface VerifiedBurnClaim {
  mints: string[];
  slot: number;
  blockTime: number | null;
}

export interface FrozenSet {
  frozenTicketCount: number;
  ticketDigest: string;
  /** The confirmed slot when the set was frozen: the beacon is the first finalized block after it. */
  freezeSlot: number;
}

export interface IssuedOutcome extends ReceiptOutcome {
  /** Outbox rows to start deliveries for (after the commit). */
  emailIds: string[];
}

type Row = Record<string, unknown>;

function nonRetryable(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details ? [details] : undefined,
  });
}

export function createLotteryActivities(deps: ActivityDeps) {
  const { config, orm } = deps;
  let chain: ChainDeps | undefined = deps.chain;
  const chainDeps = (): ChainDeps => (chain ??= createChainDeps(config, deps.logger));
  const em = () => orm.em.fork() as EntityManager;

  async function sql<T extends Row>(tx: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
    return tx.getConnection().execute<T[]>(query, params, 'all', tx.getTransactionContext());
  }

  async function receiptOutcome(tx: EntityManager, signature: string): Promise<ReceiptOutcome | null> {
    const [r] = await sql(
      tx,
      `select signature, kind, round_id, wallet_address, status, currency, amount_base_units::text as amount,
              refund_owed_base_units::text as refund, reason
         from chain_receipts where signature = ?`,
      [signature],
    );
    if (!r) return null;
    const tickets = await sql<{ ticket_number: number; nft_burned: string | null }>(
      tx,
      'select ticket_number, nft_burned from lottery_tickets where transaction_signature = ? order by ticket_number',
      [signature],
    );
    const status = r.status as string;
    return {
      signature,
      kind: r.kind === 'burn' ? 'burn' : 'purchase',
      roundId: (r.round_id as string | null) ?? '',
      wallet: r.wallet_address as string,
      status: status === 'pending' ? 'rejected' : (status as ReceiptOutcome['status']),
      ticketNumbers: tickets.map((t) => Number(t.ticket_number)),
      currency: (r.currency as Currency | null) ?? null,
      amountBaseUnits: (r.amount as string | null) ?? null,
      refundOwedBaseUnits: (r.refund as string | null) ?? '0',
      mints: [...new Set(tickets.map((t) => t.nft_burned).filter((m): m is string => !!m))],
      code: null,
      reason: (r.reason as string | null) ?? null,
      details: null,
    };
  }

  async function lockRound(tx: EntityManager, roundId: string) {
    const [round] = await sql(
      tx,
      `select id, status, start_date, end_date, drawing_date, frozen_at, total_tickets_sold, tickets_per_burn,
              ticket_price_lamports::text as price_sol, ticket_price_usdc::text as price_usdc
         from lottery_rounds where id = ? for update`,
      [roundId],
    );
    if (!round) throw nonRetryable('RoundNotFound', `lottery round ${roundId} does not exist`);
    return {
      status: round.status as RoundStatus,
      startDate: new Date(round.start_date as string),
      endDate: new Date(round.end_date as string),
      drawingDate: round.drawing_date ? new Date(round.drawing_date as string) : null,
      frozen: round.frozen_at !== null,
      total: Number(round.total_tickets_sold),
      ticketsPerBurn: Number(round.tickets_per_burn),
      price: { SOL: BigInt(round.price_sol as string), USDC: BigInt(round.price_usdc as string) },
    };
  }

  /** Why a payment landed outside the round's sales, or null when it is inside. */
  function lateReason(round: Awaited<ReturnType<typeof lockRound>>, blockTime: Date): string | null {
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

  /** Inserts the tickets k numbers past the counter and bumps it; returns the numbers. */
  async function takeNumbers(
    tx: EntityManager,
    roundId: string,
    from: number,
    rows: {
      wallet: string;
      userId: string | null;
      method: 'purchase' | 'burn';
      currency: Currency | null;
      signature: string;
      pricePerTicket: string | null;
      mint: string | null;
    }[],
  ): Promise<number[]> {
    const numbers = rows.map((_, i) => from + i + 1);
    if (rows.length === 0) return numbers;
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?::bigint, ?, ?::uuid)').join(', ');
    const params = rows.flatMap((r, i) => [
      r.wallet,
      numbers[i],
      roundId,
      r.method,
      r.currency,
      r.signature,
      r.pricePerTicket,
      r.mint,
      r.userId,
    ]);
    await sql(
      tx,
      `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, payment_method,
         transaction_signature, amount_paid_base_units, nft_burned, user_id) values ${values}`,
      params,
    );
    await sql(tx, 'update lottery_rounds set total_tickets_sold = ?, updated_at = now() where id = ?', [
      from + rows.length,
      roundId,
    ]);
    return numbers;
  }

  async function buyer(tx: EntityManager, wallet: string) {
    const [user] = await sql(tx, 'select id, email from users where wallet_address = ? limit 1', [wallet]);
    return user ? { id: user.id as string, email: (user.email as string | null) ?? null } : null;
  }

  return {
    /** Writes the round row with a fresh secret seed; returns only the commitment. Idempotent. */
    async createLotteryRound(input: LotteryRoundInput): Promise<{ seedCommitment: string }> {
      const seed = crypto.randomBytes(32).toString('hex');
      const tx = em();
      await sql(
        tx,
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
      const [row] = await sql(tx, 'select seed_commitment from lottery_rounds where id = ?', [input.roundId]);
      if (!row) throw new Error(`round ${input.roundId} was not written`);
      await sql(
        tx,
        `insert into analytics_events (event_type, wallet_address, metadata) values ('lottery.round_created', ?, ?::jsonb)`,
        [input.createdBy, JSON.stringify({ roundId: input.roundId })],
      );
      return { seedCommitment: row.seed_commitment as string };
    },

    /** Moves the round to `status` unless it already reached a final state. */
    async setLotteryRoundStatus(roundId: string, status: RoundStatus): Promise<void> {
      await sql(
        em(),
        `update lottery_rounds set status = ?, updated_at = now() where id = ? and status not in ('completed', 'cancelled')`,
        [status, roundId],
      );
    },

    async updateLotteryPrizePool(roundId: string, prizePoolLamports: string): Promise<void> {
      await sql(
        em(),
        'update lottery_rounds set prize_pool_lamports = ?::bigint, updated_at = now() where id = ?',
        [prizePoolLamports, roundId],
      );
    },

    /** How many purchases or burns for this round are still being verified. */
    async countPendingReceipts(roundId: string): Promise<number> {
      const [row] = await sql(
        em(),
        `select count(*)::int as n from chain_receipts where round_id = ? and status = 'pending'`,
        [roundId],
      );
      return Number(row?.n ?? 0);
    },

    /**
     * Cancels the round (only if not frozen, checked under the row lock) and records every
     * accepted payment of the round as owed a full refund.
     */
    async cancelLotteryRound(roundId: string, reason: string): Promise<void> {
      await em().transactional(async (tx) => {
        const round = await lockRound(tx, roundId);
        if (round.frozen)
          throw nonRetryable('RoundFrozen', `round ${roundId} is frozen and can no longer be cancelled`);
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
    },

    /**
     * Freezes the ticket set under the row lock (no ticket can be issued after this commits),
     * then digests the tickets 1..N streamed in number order. Idempotent: a frozen round keeps
     * its count.
     */
    async freezeTicketSet(roundId: string): Promise<FrozenSet> {
      const frozenCount = await em().transactional(async (tx) => {
        await lockRound(tx, roundId);
        await sql(
          tx,
          `update lottery_rounds set frozen_at = coalesce(frozen_at, now()),
             frozen_ticket_count = coalesce(frozen_ticket_count, total_tickets_sold), status = 'drawing', updated_at = now()
           where id = ?`,
          [roundId],
        );
        const [row] = await sql(tx, 'select frozen_ticket_count from lottery_rounds where id = ?', [roundId]);
        return Number(row?.frozen_ticket_count ?? 0);
      });
      const digester = createTicketDigester({ createSha256: () => crypto.createHash('sha256') });
      const tx = em();
      let last = 0;
      while (last < frozenCount) {
        // One text value per page ("number:wallet" lines) instead of 50k row objects: the
        // driver's per-row work dominated the freeze of large rounds.
        const upTo = Math.min(frozenCount, last + DIGEST_PAGE);
        const [page] = await sql<{ lines: string | null }>(
          tx,
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
      await sql(tx, 'update lottery_rounds set ticket_digest = ?, updated_at = now() where id = ?', [
        ticketDigest,
        roundId,
      ]);
      const freezeSlot = await rpcCall('getSlot', () => chainDeps().connection.getSlot('confirmed')).catch(
        (e: unknown) => {
          throw toActivityFailure(e);
        },
      );
      return { frozenTicketCount: frozenCount, ticketDigest, freezeSlot };
    },

    /** The blockhash of the first finalized block after the freeze; BeaconNotReady retries. */
    async takeDrawBeacon(roundId: string, freezeSlot: number): Promise<{ slot: number; blockhash: string }> {
      const tx = em();
      const [existing] = await sql(
        tx,
        'select beacon_slot::text as slot, beacon_blockhash from lottery_rounds where id = ?',
        [roundId],
      );
      if (existing?.beacon_blockhash) {
        return { slot: Number(existing.slot), blockhash: existing.beacon_blockhash as string };
      }
      try {
        const beacon = await beaconAtSlot(chainDeps().connection, freezeSlot + 1);
        await sql(
          tx,
          `update lottery_rounds set beacon_slot = ?, beacon_blockhash = ?, updated_at = now() where id = ? and beacon_blockhash is null`,
          [beacon.slot, beacon.blockhash, roundId],
        );
        const [row] = await sql(
          tx,
          'select beacon_slot::text as slot, beacon_blockhash from lottery_rounds where id = ?',
          [roundId],
        );
        return { slot: Number(row?.slot), blockhash: row?.beacon_blockhash as string };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Reads the seed, computes the winner (fair-draw), writes it and reveals the seed. Idempotent. */
    async drawLotteryWinner(roundId: string): Promise<DrawOutcome> {
      return em().transactional(async (tx) => {
        const [round] = await sql(
          tx,
          `select secret_seed, ticket_digest, beacon_blockhash, frozen_ticket_count, winner_index, winner_ticket,
                  winner_wallet, drawn_at from lottery_rounds where id = ? for update`,
          [roundId],
        );
        if (!round) throw nonRetryable('RoundNotFound', `lottery round ${roundId} does not exist`);
        const ticketCount = Number(round.frozen_ticket_count ?? 0);
        if (round.drawn_at) {
          return {
            winnerIndex: (round.winner_index as number | null) ?? null,
            winnerTicket: (round.winner_ticket as number | null) ?? null,
            winnerWallet: (round.winner_wallet as string | null) ?? null,
            ticketCount,
          };
        }
        if (!round.ticket_digest || !round.beacon_blockhash) {
          throw nonRetryable('NotFrozen', `round ${roundId} has no frozen ticket digest and beacon yet`);
        }
        let outcome: DrawOutcome = { winnerIndex: null, winnerTicket: null, winnerWallet: null, ticketCount };
        if (ticketCount > 0) {
          const { winnerIndex } = drawWinner({
            seedHex: round.secret_seed as string,
            beaconBlockhash: round.beacon_blockhash as string,
            ticketDigestHex: round.ticket_digest as string,
            ticketCount,
          });
          // Tickets are 1..N in order, so position i holds ticket number i + 1.
          const [winner] = await sql(
            tx,
            'select ticket_number, wallet_address from lottery_tickets where lottery_round = ? and ticket_number = ?',
            [roundId, winnerIndex + 1],
          );
          if (!winner) throw new Error(`round ${roundId}: winning ticket ${winnerIndex + 1} is missing`);
          outcome = {
            winnerIndex,
            winnerTicket: Number(winner.ticket_number),
            winnerWallet: winner.wallet_address as string,
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
    },

    /** Records the prize payout row (key `prize:<roundId>`) for the drawn winner; sendPayout pays it. */
    async recordPrizePayout(
      roundId: string,
    ): Promise<{ key: string; recipient: string; amountBaseUnits: string }> {
      const tx = em();
      const [round] = await sql(
        tx,
        'select winner_wallet, prize_pool_lamports::text as prize from lottery_rounds where id = ?',
        [roundId],
      );
      if (!round?.winner_wallet) throw nonRetryable('NoWinner', `round ${roundId} has no winner to pay`);
      const key = `prize:${roundId}`;
      try {
        await createPayout(tx, {
          key,
          kind: 'prize',
          recipient: round.winner_wallet as string,
          currency: 'SOL',
          amountBaseUnits: BigInt(round.prize as string),
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
      await sql(tx, 'update lottery_rounds set prize_payout_key = ?, updated_at = now() where id = ?', [
        key,
        roundId,
      ]);
      return { key, recipient: round.winner_wallet as string, amountBaseUnits: round.prize as string };
    },

    /**
     * Writes the `pending` receipt (insert or nothing) so the round waits for it before
     * freezing. Returns the finished outcome if this signature was already decided, and a
     * conflict if it belongs to another kind of use.
     */
    async recordPendingReceipt(input: {
      signature: string;
      kind: 'purchase' | 'burn';
      roundId: string;
      wallet: string;
      currency: Currency | null;
      requestedTickets: number | null;
    }): Promise<{ existing: ReceiptOutcome | null }> {
      const tx = em();
      await sql(
        tx,
        `insert into chain_receipts (signature, kind, round_id, wallet_address, currency, requested_tickets, status)
         values (?, ?, ?, ?, ?, ?, 'pending') on conflict (signature) do nothing`,
        [input.signature, input.kind, input.roundId, input.wallet, input.currency, input.requestedTickets],
      );
      const [row] = await sql(
        tx,
        'select kind, round_id, wallet_address, status from chain_receipts where signature = ?',
        [input.signature],
      );
      if (!row) throw new Error(`receipt ${input.signature} was not written`);
      if (row.kind !== input.kind || row.round_id !== input.roundId || row.wallet_address !== input.wallet) {
        return {
          existing: {
            ...(await receiptOutcome(tx, input.signature))!,
            status: 'rejected',
            code: 'AlreadyUsed',
            reason: `transaction ${input.signature} was already submitted (${String(row.kind)}, round ${String(row.round_id)})`,
          },
        };
      }
      return { existing: row.status === 'pending' ? null : await receiptOutcome(tx, input.signature) };
    },

    /** On-chain payment check: the wallet's own funds paid the treasury; returns the chain's figure. */
    async verifyPurchasePayment(input: TicketPurchaseInput): Promise<VerifiedPurchase> {
      const chain = chainDeps();
      if (!chain.treasury) throw nonRetryable('TreasuryNotConfigured', 'TREASURY_WALLET is not configured');
      try {
        const paid = await verifyPayment(chain.connection, input.signature, {
          wallet: input.wallet,
          currency: input.currency,
          treasury: chain.treasury,
          usdcMint: chain.usdcMint,
          minAmountBaseUnits: 1n,
          commitment: chain.commitment,
        });
        return {
          amountBaseUnits: paid.amountBaseUnits.toString(),
          slot: paid.slot,
          blockTime: paid.blockTime,
        };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /**
     * Decides a verified purchase in ONE transaction: underpaid or amount disagreeing with the
     * client → rejected (refund owed = amount); outside the window or after the freeze → late
     * (refund owed = amount); else tickets total+1..total+k under the round lock, excess owed
     * back, the e-mail queued and the analytics event recorded.
     */
    async issuePurchaseTickets(input: TicketPurchaseInput, paid: VerifiedPurchase): Promise<IssuedOutcome> {
      return em().transactional(async (tx) => {
        const [receipt] = await sql(tx, 'select status from chain_receipts where signature = ? for update', [
          input.signature,
        ]);
        if (receipt && receipt.status !== 'pending') {
          return { ...(await receiptOutcome(tx, input.signature))!, emailIds: [] };
        }
        const amount = BigInt(paid.amountBaseUnits);
        const blockTime = paid.blockTime === null ? new Date() : new Date(paid.blockTime * 1000);
        const round = await lockRound(tx, input.roundId);
        const required = ticketsCost(round.price[input.currency], input.ticketCount);
        const finish = async (
          status: 'accepted' | 'late' | 'rejected',
          refund: bigint,
          reason: string | null,
        ) => {
          await sql(
            tx,
            `update chain_receipts set status = ?, amount_base_units = ?::bigint, refund_owed_base_units = ?::bigint,
               slot = ?, block_time = ?, reason = ?, updated_at = now() where signature = ?`,
            [status, amount.toString(), refund.toString(), paid.slot, blockTime, reason, input.signature],
          );
        };
        const fmt = (v: bigint) => `${formatAmount(v, input.currency)} ${input.currency}`;
        const figures = {
          currency: input.currency,
          paidBaseUnits: amount.toString(),
          paid: fmt(amount),
          requiredBaseUnits: required.toString(),
          required: fmt(required),
        };

        const rejected = async (code: string, reason: string): Promise<IssuedOutcome> => {
          await finish('rejected', amount, reason);
          recordEvent(tx, {
            type: 'lottery.purchase_rejected',
            wallet: input.wallet,
            metadata: { signature: input.signature, code, ...figures },
          });
          return { ...(await receiptOutcome(tx, input.signature))!, code, details: figures, emailIds: [] };
        };
        if (input.claimedAmountBaseUnits !== null && BigInt(input.claimedAmountBaseUnits) !== amount) {
          return rejected(
            'AmountMismatch',
            `amountPaid ${fmt(BigInt(input.claimedAmountBaseUnits))} disagrees with the chain, which shows ${fmt(amount)} paid`,
          );
        }
        if (amount < required) {
          return rejected(
            'PaymentTooSmall',
            `the chain shows ${fmt(amount)} paid; ${input.ticketCount} tickets cost ${fmt(required)}`,
          );
        }
        const late = lateReason(round, blockTime);
        if (late) {
          await finish('late', amount, late);
          recordEvent(tx, {
            type: 'lottery.late_payment',
            wallet: input.wallet,
            metadata: { signature: input.signature, ...figures },
          });
          return { ...(await receiptOutcome(tx, input.signature))!, emailIds: [] };
        }

        const user = await buyer(tx, input.wallet);
        const price = round.price[input.currency].toString();
        const numbers = await takeNumbers(
          tx,
          input.roundId,
          round.total,
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
        await finish(
          'accepted',
          amount - required,
          amount > required ? `overpaid by ${fmt(amount - required)}` : null,
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
        recordEvent(tx, {
          type: 'lottery.purchase',
          wallet: input.wallet,
          userId: user?.id ?? null,
          metadata: {
            signature: input.signature,
            roundId: input.roundId,
            tickets: numbers.length,
            ...figures,
          },
        });
        return { ...(await receiptOutcome(tx, input.signature))!, emailIds };
      });
    },

    /** Verified burns of listed stoned-rabbits NFTs by the wallet in this transaction. */
    async verifyBurnClaim(input: BurnClaimInput): Promise<VerifiedBurnClaim> {
      try {
        const burns = await verifyBurns(chainDeps().connection, input.signature, input.wallet, {
          commitment: chainDeps().commitment,
        });
        return { mints: burns.mints, slot: burns.slot, blockTime: burns.blockTime };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Marks the mints burned (once ever) and issues ticketsPerBurn per mint, in ONE transaction. */
    async issueBurnTickets(input: BurnClaimInput, burned: VerifiedBurnClaim): Promise<IssuedOutcome> {
      try {
        return await em().transactional(async (tx) => {
          const [receipt] = await sql(
            tx,
            'select status from chain_receipts where signature = ? for update',
            [input.signature],
          );
          if (receipt && receipt.status !== 'pending') {
            return { ...(await receiptOutcome(tx, input.signature))!, emailIds: [] };
          }
          const blockTime = burned.blockTime === null ? new Date() : new Date(burned.blockTime * 1000);
          await markMintsBurned(tx, {
            mints: burned.mints,
            signature: input.signature,
            wallet: input.wallet,
            at: blockTime,
          });
          const round = await lockRound(tx, input.roundId);
          const late = lateReason(round, blockTime);
          let status: 'accepted' | 'late' = 'accepted';
          if (late) {
            status = 'late';
          } else {
            const user = await buyer(tx, input.wallet);
            await takeNumbers(
              tx,
              input.roundId,
              round.total,
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
            recordEvent(tx, {
              type: 'lottery.burn',
              wallet: input.wallet,
              metadata: { signature: input.signature, roundId: input.roundId, mints: burned.mints },
            });
          }
          await sql(
            tx,
            `update chain_receipts set status = ?, slot = ?, block_time = ?, reason = ?, updated_at = now() where signature = ?`,
            [
              status,
              burned.slot,
              blockTime,
              late ? `${late}; burned mints: ${burned.mints.join(', ')}` : null,
              input.signature,
            ],
          );
          const outcome = (await receiptOutcome(tx, input.signature))!;
          return { ...outcome, mints: burned.mints, emailIds: [] };
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Records a pending receipt as rejected (permanent verification failure); keeps other receipts untouched. */
    /** Deletes a still-pending receipt (the submitter did not sign it; the signature stays claimable). */
    async releasePendingReceipt(signature: string): Promise<void> {
      await sql(em(), `delete from chain_receipts where signature = ? and status = 'pending'`, [signature]);
    },

    async rejectReceipt(signature: string, code: string, reason: string): Promise<ReceiptOutcome> {
      const tx = em();
      await sql(
        tx,
        `update chain_receipts set status = 'rejected', reason = ?, updated_at = now() where signature = ? and status = 'pending'`,
        [`${code}: ${reason}`, signature],
      );
      const outcome = await receiptOutcome(tx, signature);
      if (!outcome) throw new Error(`receipt ${signature} not found`);
      return { ...outcome, code, reason };
    },
  };
}

export type LotteryActivities = ReturnType<typeof createLotteryActivities>;
