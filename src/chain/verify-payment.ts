/**
 * Payment verification (DESIGN §5), stricter than Solana Pay's validateTransfer: the
 * transaction landed at the required commitment and succeeded, and the claimed wallet's OWN
 * funds paid the treasury in the expected currency (treasury-payments.ts attributes every
 * transfer into the treasury to its payer; fee payer and other signers earn nothing). The
 * credited amount is what that wallet paid, exact in base units.
 *
 * Refusals say what the chain shows instead: NotPaidByWallet (someone else paid: who, in
 * which currency, how much), PaymentMethodMismatch (the wallet paid in the other currency),
 * PaymentTooSmall, and WrongRecipient / WrongMint when nothing reached the treasury.
 *
 * Whether the amount buys N tickets, the round window, and "a signature is honoured once"
 * (chain_receipts) are the caller's business; the result carries everything they need.
 */
import type { Connection } from '@solana/web3.js';
import { formatAmount, type Currency } from '../domain/money';
import { chainError, type ChainError } from './errors';
import { fetchLandedTransaction, rawAmount, toPublicKey, type LandedTransaction } from './landed-transaction';
import type { ChainCommitment } from './rpc';
import { treasuryPayments, type PaidBy, type TreasuryPayments } from './treasury-payments';

export interface ExpectedPayment {
  /** The authenticated wallet: its own funds must have paid the treasury. */
  wallet: string;
  currency: Currency;
  treasury: string;
  /** Mint whose tokens count as USDC (config.solana.usdcMint). */
  usdcMint: string;
  /** Least acceptable amount paid by `wallet`, in base units. */
  minAmountBaseUnits: bigint;
  /** Default `confirmed`. */
  commitment?: ChainCommitment;
}

export interface VerifiedPayment {
  signature: string;
  /** The wallet whose funds paid (the expected one, now proven). */
  payer: string;
  /** First signer, who paid the fee (not necessarily the payer). */
  feePayer: string;
  signers: string[];
  currency: Currency;
  /** What `payer` itself paid the treasury in `currency` according to the chain, in base units. */
  amountBaseUnits: bigint;
  /** The full attribution of this transaction: every payer, both currencies (base-unit strings). */
  paidBy: PaidBy;
  slot: number;
  /** Unix seconds, or null when the RPC does not know it. */
  blockTime: number | null;
  version: 'legacy' | 0;
}

export async function verifyPayment(
  connection: Connection,
  signature: string,
  expected: ExpectedPayment,
): Promise<VerifiedPayment> {
  toPublicKey(expected.wallet, 'wallet');
  toPublicKey(expected.treasury, 'treasury');
  toPublicKey(expected.usdcMint, 'usdcMint');
  const tx = await fetchLandedTransaction(connection, signature, expected.commitment ?? 'confirmed');
  const payments = treasuryPayments(tx, expected);

  const paid = payments.totals[expected.currency].get(expected.wallet) ?? 0n;
  if (paid === 0n) throw notPaid(tx, payments, expected);
  if (paid < expected.minAmountBaseUnits) {
    const want = formatAmount(expected.minAmountBaseUnits, expected.currency);
    const got = formatAmount(paid, expected.currency);
    throw chainError(
      'PaymentTooSmall',
      `transaction ${signature}: ${expected.wallet} paid the treasury ${got} ${expected.currency} (${paid} base units); ` +
        `at least ${want} ${expected.currency} (${expected.minAmountBaseUnits} base units) was required`,
      {
        signature,
        wallet: expected.wallet,
        currency: expected.currency,
        receivedBaseUnits: paid.toString(),
        requiredBaseUnits: expected.minAmountBaseUnits.toString(),
        paidBy: payments.paidBy,
      },
    );
  }

  return {
    signature,
    payer: expected.wallet,
    feePayer: payments.feePayer,
    signers: payments.signers,
    currency: expected.currency,
    amountBaseUnits: paid,
    paidBy: payments.paidBy,
    slot: tx.slot,
    blockTime: tx.blockTime,
    version: tx.version,
  };
}

const otherCurrency = (currency: Currency): Currency => (currency === 'SOL' ? 'USDC' : 'SOL');
const display = (amount: bigint, currency: Currency) =>
  `${formatAmount(amount, currency)} ${currency} (${amount} base units)`;

/** Why `expected.wallet` is credited nothing: it paid the other way, someone else paid, or nobody did. */
function notPaid(tx: LandedTransaction, payments: TreasuryPayments, expected: ExpectedPayment): ChainError {
  const { wallet, currency } = expected;
  const other = otherCurrency(currency);
  const paidOther = payments.totals[other].get(wallet);
  if (paidOther !== undefined) {
    return chainError(
      'PaymentMethodMismatch',
      `transaction ${tx.signature}: ${wallet} paid the treasury ${display(paidOther, other)}, not ${currency}`,
      {
        signature: tx.signature,
        wallet,
        submittedCurrency: currency,
        chainCurrency: other,
        chainAmountBaseUnits: paidOther.toString(),
        paidBy: payments.paidBy,
      },
    );
  }
  if (payments.transfers.length > 0) {
    const who = (['SOL', 'USDC'] as const).flatMap((c) =>
      [...payments.totals[c]].map(([payer, amount]) => `${payer} paid ${display(amount, c)}`),
    );
    return chainError(
      'NotPaidByWallet',
      `transaction ${tx.signature} was not paid by ${wallet}: ${who.join('; ')}`,
      {
        signature: tx.signature,
        wallet,
        currency,
        payers: [...new Set(payments.transfers.map((t) => t.payer))],
        paidBy: payments.paidBy,
      },
    );
  }
  return currency === 'SOL'
    ? whyNoSol(tx, expected.treasury)
    : whyNoUsdc(tx, expected.treasury, expected.usdcMint);
}

/** Nothing reached the treasury by a System transfer: WrongRecipient with its balances. */
function whyNoSol(tx: LandedTransaction, treasury: string): ChainError {
  const index = tx.accountKeys.indexOf(treasury);
  if (index < 0) {
    return chainError(
      'WrongRecipient',
      `transaction ${tx.signature} does not involve the treasury ${treasury}`,
      {
        signature: tx.signature,
        treasury,
      },
    );
  }
  const pre = exactLamports(tx, tx.meta.preBalances[index], 'pre');
  const post = exactLamports(tx, tx.meta.postBalances[index], 'post');
  if (post > pre) {
    // Lamports arrived, but not as a wallet's System transfer (e.g. a closed account's rent).
    return chainError(
      'NotPaidByWallet',
      `transaction ${tx.signature}: the treasury ${treasury} gained ${post - pre} lamports, but not by a ` +
        'System transfer from any wallet: nobody paid it',
      {
        signature: tx.signature,
        treasury,
        payers: [],
        preLamports: pre.toString(),
        postLamports: post.toString(),
      },
    );
  }
  return chainError(
    'WrongRecipient',
    `transaction ${tx.signature} did not pay the treasury ${treasury}: its balance went from ${pre} to ${post} lamports`,
    { signature: tx.signature, treasury, preLamports: pre.toString(), postLamports: post.toString() },
  );
}

/**
 * JSON numbers are exact only up to 2^53 lamports (about 9 million SOL); beyond that the RPC's
 * figure cannot be trusted to the lamport, so we refuse rather than guess.
 */
function exactLamports(tx: LandedTransaction, value: number | undefined, which: 'pre' | 'post'): bigint {
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw chainError(
      'UnverifiableAmount',
      `transaction ${tx.signature}: the treasury's ${which}-balance (${String(value)}) is not an exact lamport count`,
      { signature: tx.signature },
    );
  }
  return BigInt(value);
}

/**
 * No token transfer into a treasury-owned account of the USDC mint. What did rise explains it:
 * the mint's tokens went to an account owned by someone else (WrongRecipient), the treasury
 * received another mint (WrongMint), or its USDC rose without a wallet's transfer (e.g. minted
 * to it: NotPaidByWallet, nobody paid).
 */
function whyNoUsdc(tx: LandedTransaction, treasury: string, usdcMint: string): ChainError {
  const pre = tx.meta.preTokenBalances ?? [];
  const post = tx.meta.postTokenBalances ?? [];
  const rises = post
    .map((b) => {
      const before = pre.find((p) => p.accountIndex === b.accountIndex);
      return { balance: b, delta: rawAmount(b) - (before ? rawAmount(before) : 0n) };
    })
    .filter((r) => r.delta > 0n);
  const accountOf = (r: (typeof rises)[number]) => tx.accountKeys[r.balance.accountIndex] ?? '?';

  const minted = rises.find((r) => r.balance.mint === usdcMint && r.balance.owner === treasury);
  if (minted) {
    return chainError(
      'NotPaidByWallet',
      `transaction ${tx.signature}: the treasury's token account ${accountOf(minted)} gained ${minted.delta} USDC ` +
        'base units, but not by a token transfer from any wallet: nobody paid it',
      { signature: tx.signature, treasury, tokenAccount: accountOf(minted), payers: [] },
    );
  }
  const otherOwner = rises.find((r) => r.balance.mint === usdcMint && r.balance.owner !== treasury);
  if (otherOwner) {
    const account = accountOf(otherOwner);
    return chainError(
      'WrongRecipient',
      `transaction ${tx.signature} sent ${otherOwner.delta} USDC base units to token account ${account} owned by ` +
        `${otherOwner.balance.owner ?? 'an unknown owner'}, not by the treasury ${treasury}`,
      {
        signature: tx.signature,
        treasury,
        tokenAccount: account,
        owner: otherOwner.balance.owner ?? null,
        receivedBaseUnits: otherOwner.delta.toString(),
      },
    );
  }
  const otherMint = rises.find((r) => r.balance.owner === treasury && r.balance.mint !== usdcMint);
  if (otherMint) {
    return chainError(
      'WrongMint',
      `transaction ${tx.signature} paid the treasury ${otherMint.delta} base units of mint ${otherMint.balance.mint}, ` +
        `not of the USDC mint ${usdcMint}`,
      {
        signature: tx.signature,
        mint: otherMint.balance.mint,
        usdcMint,
        receivedBaseUnits: otherMint.delta.toString(),
      },
    );
  }
  return chainError(
    'WrongRecipient',
    `transaction ${tx.signature} did not raise the USDC balance of any token account owned by the treasury ${treasury}`,
    { signature: tx.signature, treasury, usdcMint },
  );
}
