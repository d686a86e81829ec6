/**
 * A revenue month's reconciliation: the declared distribution, its split (per pass, passes,
 * dust), the funding transaction with what the chain says it moved, and every claim row with
 * the payout it points at through `revenue_claims.payout_key` (the only join: several claim
 * rows may share one payout, so a payout is listed once with the claim rows it covers).
 *
 * The arithmetic, in the month's currency, in base units (must hold exactly):
 *   declared  = distribution amount
 *   accounted = paid (claim rows whose payout is confirmed)
 *             + owed (claim rows whose payout is not confirmed yet)
 *             + unclaimed (per pass × snapshot passes with no claim row)
 *             + dust
 *   balanced  ⇔ declared − accounted = 0 and every payout's amount = Σ its claim rows
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { chainPaidBySignature } from '../../chain/treasury-history';
import type { ChainDeps } from '../../chain/deps';
import { isChainError } from '../../chain/errors';
import { DomainError } from '../../domain/errors';
import type { Currency } from '../../domain/money';
import { isSplitDistributionStatus, type DistributionStatus } from '../../domain/revenue/vocabulary';
import { payoutStateOf, type PayoutState } from '../payout-state';
import { sql } from '../sql';

export interface MonthClaimRecord {
  passMint: string;
  wallet: string;
  amountBaseUnits: string;
  status: string;
  payoutKey: string;
  /** The payout `payoutKey` names (shared by other claim rows when it pays several passes). */
  payout: PayoutState | null;
}

export interface MonthPayoutRecord extends PayoutState {
  key: string;
  recipient: string;
  currency: Currency;
  /** Σ the claim rows pointing at this payout; must equal its amount. */
  claimRowsBaseUnits: string;
  claimRows: number;
  matches: boolean;
}

interface DistributionFigures {
  id: string;
  month: string;
  status: DistributionStatus;
  currency: Currency;
  distributionAmount: bigint;
  perPass: bigint;
  passCount: number;
  dust: bigint;
  fundingSignature: string | null;
}

async function distributionFigures(em: EntityManager, month: string): Promise<DistributionFigures | null> {
  const [row] = await sql<{
    id: string;
    month: string;
    status: DistributionStatus;
    currency: Currency;
    distribution: string;
    per_pass: string;
    pass_count: number;
    dust: string;
    funding: string | null;
  }>(
    em,
    `select id, month, status, currency, distribution_amount_base_units::text as distribution,
            per_pass_amount_base_units::text as per_pass, pass_count, dust_base_units::text as dust,
            transaction_signature as funding
       from revenue_distributions where month = ?`,
    [month],
  );
  if (!row) return null;
  return {
    id: row.id,
    month: row.month,
    status: row.status,
    currency: row.currency,
    distributionAmount: BigInt(row.distribution),
    perPass: BigInt(row.per_pass),
    passCount: Number(row.pass_count),
    dust: BigInt(row.dust),
    fundingSignature: row.funding ?? null,
  };
}

/** The month's claim rows, and the payouts they name (each once). */
async function claimsWithPayouts(
  em: EntityManager,
  distributionId: string,
): Promise<{ claims: MonthClaimRecord[]; payouts: MonthPayoutRecord[] }> {
  const claimRows = await sql<{
    pass_mint: string;
    wallet_address: string;
    amount: string;
    status: string;
    payout_key: string;
  }>(
    em,
    `select pass_mint, wallet_address, amount_base_units::text as amount, status, payout_key
       from revenue_claims where distribution_id = ? order by claimed_at, pass_mint`,
    [distributionId],
  );
  const payoutRows = await sql<{
    key: string;
    recipient: string;
    currency: Currency;
    status: string;
    signature: string | null;
    amount: string;
  }>(
    em,
    `select p.key, p.recipient, p.currency, p.status, p.signature, p.amount_base_units::text as amount
       from payouts p where p.key in (select payout_key from revenue_claims where distribution_id = ?)
      order by p.created_at, p.key`,
    [distributionId],
  );
  const covered = new Map<string, { sum: bigint; rows: number }>();
  for (const c of claimRows) {
    const entry = covered.get(c.payout_key) ?? { sum: 0n, rows: 0 };
    covered.set(c.payout_key, { sum: entry.sum + BigInt(c.amount), rows: entry.rows + 1 });
  }
  const payouts = payoutRows.map((p) => {
    const claimed = covered.get(p.key) ?? { sum: 0n, rows: 0 };
    return {
      key: p.key,
      recipient: p.recipient,
      currency: p.currency,
      ...payoutStateOf(p.status, p.signature, p.amount),
      claimRowsBaseUnits: claimed.sum.toString(),
      claimRows: claimed.rows,
      matches: claimed.sum === BigInt(p.amount),
    };
  });
  const byKey = new Map(payouts.map((p) => [p.key, p]));
  const claims = claimRows.map((c) => {
    const payout = byKey.get(c.payout_key);
    return {
      passMint: c.pass_mint,
      wallet: c.wallet_address,
      amountBaseUnits: c.amount,
      status: c.status,
      payoutKey: c.payout_key,
      payout: payout ? payoutStateOf(payout.status, payout.signature, payout.amountBaseUnits) : null,
    };
  });
  return { claims, payouts };
}

export interface MonthFunding {
  signature: string;
  /**
   * What the chain says the transaction moved to the payout wallet, in the month's currency;
   * null when this process has no payout key (PAYER_KEY_FILE) to name that wallet.
   */
  chainPaidBaseUnits: string | null;
  /** per pass × passes: what the claims can take from the payout wallet. */
  payableBaseUnits: string;
  covers: boolean | null;
}

/** The payout signer's address, or null where PAYER_KEY_FILE is not set (nothing pays from here). */
function payoutWallet(chain: Pick<ChainDeps, 'payer'>): string | null {
  try {
    return chain.payer().address;
  } catch (error) {
    if (isChainError(error) && error.code === 'PayerKeyUnavailable') return null;
    throw error;
  }
}

/** The totals of the comment above; `payouts` must each match their claim rows. */
function monthTotals(
  d: DistributionFigures,
  claims: readonly MonthClaimRecord[],
  payouts: readonly MonthPayoutRecord[],
) {
  let paid = 0n;
  let owed = 0n;
  for (const c of claims) {
    if (c.payout?.status === 'confirmed') paid += BigInt(c.amountBaseUnits);
    else owed += BigInt(c.amountBaseUnits);
  }
  const unclaimedPasses = Math.max(0, d.passCount - claims.length);
  const unclaimed = d.perPass * BigInt(unclaimedPasses);
  const difference = d.distributionAmount - (paid + owed + unclaimed + d.dust);
  const payoutsMatch = payouts.every((p) => p.matches);
  return {
    currency: d.currency,
    declaredBaseUnits: d.distributionAmount.toString(),
    paidBaseUnits: paid.toString(),
    owedBaseUnits: owed.toString(),
    unclaimedBaseUnits: unclaimed.toString(),
    unclaimedPasses,
    dustBaseUnits: d.dust.toString(),
    /** declared − (paid + owed + unclaimed + dust); 0 when balanced. */
    differenceBaseUnits: difference.toString(),
    payoutsMatch,
    balanced: difference === 0n && payoutsMatch,
  };
}

/**
 * The month's reconciliation, asking the chain what its funding transaction (if recorded)
 * moved to the payout wallet; null when the month has no distribution. A month not split yet
 * (draft, snapshotting: no per-pass amount) has nothing to balance: a DomainError
 * `InvalidDistributionState` (409) naming its status, never an UNBALANCED verdict. The one
 * composition the admin route and `npm run reconcile -- --month` share.
 */
export async function reconcileMonthOnChain(
  em: EntityManager,
  chain: Pick<ChainDeps, 'connection' | 'usdcMint' | 'payer'>,
  month: string,
) {
  const d = await distributionFigures(em, month);
  if (!d) return null;
  if (!isSplitDistributionStatus(d.status)) {
    throw new DomainError(
      'InvalidDistributionState',
      `month: the ${d.month} distribution is still ${d.status}: it has no per-pass amount to reconcile until its snapshot is done`,
      { status: d.status },
    );
  }
  const { claims, payouts } = await claimsWithPayouts(em, d.id);
  let funding: MonthFunding | null = null;
  if (d.fundingSignature) {
    // Funding moves the month's money from the treasury to the payout signer (the claims' source).
    const wallet = payoutWallet(chain);
    const payable = d.perPass * BigInt(d.passCount);
    const chainPaid = wallet
      ? ((
          await chainPaidBySignature(chain.connection, [d.fundingSignature], {
            treasury: wallet,
            usdcMint: chain.usdcMint,
          })
        ).get(d.fundingSignature)?.[d.currency] ?? 0n)
      : null;
    funding = {
      signature: d.fundingSignature,
      chainPaidBaseUnits: chainPaid === null ? null : chainPaid.toString(),
      payableBaseUnits: payable.toString(),
      covers: chainPaid === null ? null : chainPaid >= payable,
    };
  }
  const totals = monthTotals(d, claims, payouts);
  return {
    month: d.month,
    status: d.status,
    currency: d.currency,
    distributionAmountBaseUnits: d.distributionAmount.toString(),
    perPassAmountBaseUnits: d.perPass.toString(),
    passCount: d.passCount,
    dustBaseUnits: d.dust.toString(),
    funding,
    claims,
    payouts,
    totals,
    balanced: totals.balanced,
  };
}

export type MonthReconciliation = NonNullable<Awaited<ReturnType<typeof reconcileMonthOnChain>>>;
