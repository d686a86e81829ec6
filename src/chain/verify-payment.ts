/**
 * Payment verification (DESIGN §5), stricter than Solana Pay's validateTransfer: the
 * transaction landed at the required commitment and succeeded, the claimed wallet signed it,
 * and the treasury's balance rose by at least the expected amount — lamports for SOL; for
 * USDC the summed raw balance of token accounts OWNED by the treasury with the configured
 * mint. Pre/post balances are compared as bigint raw amounts.
 *
 * Whether the amount buys N tickets, the round window, and "a signature is honoured once"
 * (chain_receipts) are the caller's business; the result carries everything they need.
 */
import type { Connection } from '@solana/web3.js';
import { formatAmount, type Currency } from '../domain/money';
import { chainError } from './errors';
import {
  assertSignedBy,
  fetchLandedTransaction,
  rawAmount,
  toPublicKey,
  type LandedTransaction,
} from './landed-transaction';
import type { ChainCommitment } from './rpc';

export interface ExpectedPayment {
  /** The authenticated wallet: it must have signed the transaction. */
  wallet: string;
  currency: Currency;
  treasury: string;
  /** Mint whose tokens count as USDC (config.solana.usdcMint). */
  usdcMint: string;
  /** Least acceptable rise of the treasury's balance, in base units. */
  minAmountBaseUnits: bigint;
  /** Default `confirmed`. */
  commitment?: ChainCommitment;
}

export interface VerifiedPayment {
  signature: string;
  /** The wallet that signed (the expected one, now proven). */
  payer: string;
  /** First signer, who paid the fee. */
  feePayer: string;
  signers: string[];
  currency: Currency;
  /** What the treasury received according to the chain, in base units. */
  amountBaseUnits: bigint;
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
  if (expected.currency === 'USDC') toPublicKey(expected.usdcMint, 'usdcMint');
  const tx = await fetchLandedTransaction(connection, signature, expected.commitment ?? 'confirmed');
  assertSignedBy(tx, expected.wallet);

  const received =
    expected.currency === 'SOL'
      ? solReceived(tx, expected.treasury)
      : usdcReceived(tx, expected.treasury, expected.usdcMint);

  if (received < expected.minAmountBaseUnits) {
    const want = formatAmount(expected.minAmountBaseUnits, expected.currency);
    const got = formatAmount(received, expected.currency);
    throw chainError(
      'PaymentTooSmall',
      `transaction ${signature} paid the treasury ${got} ${expected.currency} (${received} base units); ` +
        `at least ${want} ${expected.currency} (${expected.minAmountBaseUnits} base units) was required`,
      {
        signature,
        currency: expected.currency,
        receivedBaseUnits: received.toString(),
        requiredBaseUnits: expected.minAmountBaseUnits.toString(),
      },
    );
  }

  return {
    signature,
    payer: expected.wallet,
    feePayer: tx.signers[0] ?? expected.wallet,
    signers: tx.signers,
    currency: expected.currency,
    amountBaseUnits: received,
    slot: tx.slot,
    blockTime: tx.blockTime,
    version: tx.version,
  };
}

/** Lamports the treasury gained; WrongRecipient if it is absent or did not gain. */
function solReceived(tx: LandedTransaction, treasury: string): bigint {
  const index = tx.accountKeys.indexOf(treasury);
  if (index < 0) {
    throw chainError(
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
  const delta = post - pre;
  if (delta <= 0n) {
    throw chainError(
      'WrongRecipient',
      `transaction ${tx.signature} did not pay the treasury ${treasury}: its balance went from ${pre} to ${post} lamports`,
      { signature: tx.signature, treasury, preLamports: pre.toString(), postLamports: post.toString() },
    );
  }
  return delta;
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
 * Raw USDC the treasury gained across token accounts it owns with the configured mint.
 * Anything else that rose explains the failure: the mint's tokens went to an account owned by
 * someone else (WrongRecipient), or the treasury received another mint (WrongMint).
 */
function usdcReceived(tx: LandedTransaction, treasury: string, usdcMint: string): bigint {
  const pre = tx.meta.preTokenBalances ?? [];
  const post = tx.meta.postTokenBalances ?? [];
  const sum = (
    balances: typeof pre,
    owner: (o: string | undefined) => boolean,
    mint: (m: string) => boolean,
  ): bigint =>
    balances.filter((b) => owner(b.owner) && mint(b.mint)).reduce((total, b) => total + rawAmount(b), 0n);

  const isTreasury = (o: string | undefined) => o === treasury;
  const isUsdc = (m: string) => m === usdcMint;
  const delta = sum(post, isTreasury, isUsdc) - sum(pre, isTreasury, isUsdc);
  if (delta > 0n) return delta;

  // Why not: find what did rise, per token account.
  const rises = post
    .map((b) => {
      const before = pre.find((p) => p.accountIndex === b.accountIndex);
      return { balance: b, delta: rawAmount(b) - (before ? rawAmount(before) : 0n) };
    })
    .filter((r) => r.delta > 0n);
  const otherOwner = rises.find((r) => r.balance.mint === usdcMint && r.balance.owner !== treasury);
  if (otherOwner) {
    const account = tx.accountKeys[otherOwner.balance.accountIndex] ?? '?';
    throw chainError(
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
    throw chainError(
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
  throw chainError(
    'WrongRecipient',
    `transaction ${tx.signature} did not raise the USDC balance of any token account owned by the treasury ${treasury}`,
    { signature: tx.signature, treasury, usdcMint },
  );
}
