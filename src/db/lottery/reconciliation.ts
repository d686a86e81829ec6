/**
 * A round's reconciliation: what our records say about every signature submitted for it
 * (tickets and their value, refund owed, refund payout `refund:<signature>`), joined with
 * what the chain says each paid and the treasury transfers nobody submitted.
 *
 * The arithmetic, per currency, in base units (must hold exactly):
 *   received  = Σ chain-paid of the round's submitted signatures + Σ unclaimed transfers
 *   accounted = Σ ticket value (tickets × the price each was issued at)
 *             + Σ refund owed (paid or not: a paid refund is still money the round owed back)
 *             + Σ unclaimed
 *   balanced  ⇔ received − accounted = 0
 * An overpaid purchase appears in both ticket value and refund owed; a late or underpaid one
 * only in refund owed; a rejected one that the chain shows paid and owes nothing unbalances.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  chainPaidBySignature,
  paidPerCurrency,
  treasuryIncomingTransfers,
  type TreasuryHistoryScan,
} from '../../chain/treasury-history';
import type { ChainDeps } from '../../chain/deps';
import { CURRENCY_CODES, type Currency } from '../../domain/money';
import { payoutStateOf, type PayoutState } from '../payout-state';
import { sql } from '../sql';
import { findRound } from './rounds';

export interface SubmittedSignatureRecord {
  signature: string;
  kind: string;
  wallet: string;
  status: string;
  reason: string | null;
  tickets: number;
  /** Per currency, the value of the tickets issued (burn tickets carry none). */
  ticketValueBaseUnits: Record<Currency, string>;
  currency: Currency | null;
  refundOwedBaseUnits: string;
  refundPayout: PayoutState | null;
}

/** Every chain receipt of the round with its tickets and refund payout. */
export async function submittedSignaturesOfRound(
  em: EntityManager,
  roundId: string,
): Promise<SubmittedSignatureRecord[]> {
  const rows = await sql<{
    signature: string;
    kind: string;
    wallet_address: string;
    status: string;
    reason: string | null;
    currency: Currency | null;
    refund: string;
    tickets: number;
    value_sol: string;
    value_usdc: string;
    payout_status: string | null;
    payout_signature: string | null;
    payout_amount: string | null;
  }>(
    em,
    `select r.signature, r.kind, r.wallet_address, r.status, r.reason, r.currency,
            r.refund_owed_base_units::text as refund,
            coalesce(t.n, 0)::int as tickets, coalesce(t.sol, 0)::text as value_sol, coalesce(t.usdc, 0)::text as value_usdc,
            p.status as payout_status, p.signature as payout_signature, p.amount_base_units::text as payout_amount
       from chain_receipts r
       left join lateral (
         select count(*) as n,
                sum(amount_paid_base_units) filter (where payment_method = 'SOL') as sol,
                sum(amount_paid_base_units) filter (where payment_method = 'USDC') as usdc
           from lottery_tickets where transaction_signature = r.signature) t on true
       left join payouts p on p.key = 'refund:' || r.signature
      where r.round_id = ? and r.kind in ('purchase', 'burn')
      order by r.created_at, r.signature`,
    [roundId],
  );
  return rows.map((r) => ({
    signature: r.signature,
    kind: r.kind,
    wallet: r.wallet_address,
    status: r.status,
    reason: r.reason ?? null,
    tickets: Number(r.tickets),
    ticketValueBaseUnits: { SOL: r.value_sol, USDC: r.value_usdc },
    currency: r.currency ?? null,
    refundOwedBaseUnits: r.refund,
    refundPayout:
      r.payout_status === null ? null : payoutStateOf(r.payout_status, r.payout_signature, r.payout_amount),
  }));
}

/** Signatures the system knows at all (any kind, any round): such a transfer is not unclaimed. */
export async function knownSignatures(
  em: EntityManager,
  signatures: readonly string[],
): Promise<Set<string>> {
  if (signatures.length === 0) return new Set();
  const rows = await sql<{ signature: string }>(
    em,
    'select signature from chain_receipts where signature = any(?::text[])',
    [`{${signatures.join(',')}}`],
  );
  return new Set(rows.map((r) => r.signature));
}

export type PerCurrency = Record<Currency, bigint>;

export interface ReconciliationTotals {
  currency: Currency;
  receivedBaseUnits: string;
  ticketValueBaseUnits: string;
  refundsOwedBaseUnits: string;
  refundsPaidBaseUnits: string;
  unclaimedBaseUnits: string;
  /** received − (ticket value + refunds owed + unclaimed); 0 when balanced. */
  differenceBaseUnits: string;
  balanced: boolean;
}

/** The per-currency totals of the comment above, from figures already in base units. */
export function reconciliationTotals(parts: {
  received: PerCurrency;
  ticketValue: PerCurrency;
  refundsOwed: PerCurrency;
  refundsPaid: PerCurrency;
  unclaimed: PerCurrency;
}): ReconciliationTotals[] {
  return CURRENCY_CODES.map((currency) => {
    const difference =
      parts.received[currency] -
      (parts.ticketValue[currency] + parts.refundsOwed[currency] + parts.unclaimed[currency]);
    return {
      currency,
      receivedBaseUnits: parts.received[currency].toString(),
      ticketValueBaseUnits: parts.ticketValue[currency].toString(),
      refundsOwedBaseUnits: parts.refundsOwed[currency].toString(),
      refundsPaidBaseUnits: parts.refundsPaid[currency].toString(),
      unclaimedBaseUnits: parts.unclaimed[currency].toString(),
      differenceBaseUnits: difference.toString(),
      balanced: difference === 0n,
    };
  });
}

/** What the chain says a transaction paid the treasury, per currency (the caller reads the chain). */
export interface ChainPaid {
  signature: string;
  paid: PerCurrency;
}

const zero = (): PerCurrency => ({ SOL: 0n, USDC: 0n });

/**
 * Joins the round's records with the chain's figures: `chainPaid` for each submitted
 * signature (absent = the chain does not show it) and `incoming`, the treasury's transfers
 * during the sales window; those nobody submitted anywhere are the unclaimed payments.
 */
export async function reconcileRound(
  em: EntityManager,
  roundId: string,
  submitted: readonly SubmittedSignatureRecord[],
  chainPaid: ReadonlyMap<string, PerCurrency>,
  incoming: readonly ChainPaid[],
) {
  const known = await knownSignatures(
    em,
    incoming.map((t) => t.signature),
  );
  const unclaimed = incoming.filter((t) => !known.has(t.signature));
  const sums = {
    received: zero(),
    ticketValue: zero(),
    refundsOwed: zero(),
    refundsPaid: zero(),
    unclaimed: zero(),
  };
  const signatures = submitted.map((s) => {
    const paid = chainPaid.get(s.signature) ?? zero();
    for (const currency of CURRENCY_CODES) {
      sums.received[currency] += paid[currency];
      sums.ticketValue[currency] += BigInt(s.ticketValueBaseUnits[currency]);
    }
    if (s.currency) {
      sums.refundsOwed[s.currency] += BigInt(s.refundOwedBaseUnits);
      if (s.refundPayout?.status === 'confirmed')
        sums.refundsPaid[s.currency] += BigInt(s.refundPayout.amountBaseUnits);
    }
    return { ...s, chainPaidBaseUnits: { SOL: paid.SOL.toString(), USDC: paid.USDC.toString() } };
  });
  for (const t of unclaimed)
    for (const currency of CURRENCY_CODES) {
      // Unclaimed money reached the treasury too: it counts on both sides.
      sums.received[currency] += t.paid[currency];
      sums.unclaimed[currency] += t.paid[currency];
    }
  const totals = reconciliationTotals(sums);
  return {
    roundId,
    signatures,
    unclaimed: unclaimed.map((t) => ({
      signature: t.signature,
      paidBaseUnits: { SOL: t.paid.SOL.toString(), USDC: t.paid.USDC.toString() },
    })),
    totals,
    balanced: totals.every((t) => t.balanced),
  };
}

export type RoundReconciliation = Awaited<ReturnType<typeof reconcileRound>> & {
  /** How far back the treasury's history was read (TREASURY_HISTORY_MAX_SIGNATURES per address). */
  treasuryHistory: TreasuryHistoryScan;
};

/**
 * The round's reconciliation, asking the chain for what each submitted signature paid and
 * for the treasury's incoming transfers of the sales window; null when the round is unknown.
 * The one composition the admin route and `npm run reconcile` share.
 */
export async function reconcileRoundOnChain(
  em: EntityManager,
  {
    connection,
    treasury,
    usdcMint,
    treasuryHistoryMaxSignatures,
  }: Pick<ChainDeps, 'connection' | 'treasury' | 'usdcMint' | 'treasuryHistoryMaxSignatures'>,
  roundId: string,
): Promise<RoundReconciliation | null> {
  const round = await findRound(em, roundId);
  if (!round) return null;
  const target = { treasury: treasury ?? '', usdcMint };
  const submitted = await submittedSignaturesOfRound(em, roundId);
  const chainPaid = await chainPaidBySignature(
    connection,
    submitted.map((s) => s.signature),
    target,
  );
  const { transfers: incoming, scan } = await treasuryIncomingTransfers(
    connection,
    target,
    {
      fromSeconds: Math.floor(Date.parse(round.startDate) / 1000),
      toSeconds: Math.floor(Date.parse(round.endDate) / 1000),
    },
    treasuryHistoryMaxSignatures,
  );
  const reconciliation = await reconcileRound(
    em,
    roundId,
    submitted,
    chainPaid,
    incoming.map((t) => ({ signature: t.signature, paid: paidPerCurrency(t) })),
  );
  return { ...reconciliation, treasuryHistory: scan };
}
