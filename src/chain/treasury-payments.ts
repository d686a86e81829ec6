/**
 * Who paid the treasury in a landed transaction (DESIGN §5, "Attribution and consumption
 * rules"): every transfer INTO the treasury, top-level or inner (invoked by another program),
 * credited to the wallet whose own funds moved.
 *
 * - SOL: System Program `transfer` / `transferWithSeed` whose destination is the treasury,
 *   credited to the SOURCE account (the one whose lamports moved).
 * - USDC: SPL Token / Token-2022 `transfer` / `transferChecked` whose destination token
 *   account is owned by the treasury and holds the configured mint, credited to the OWNER of
 *   the source token account, also when a delegate signed it (a delegate spends the owner's
 *   money). Owner and mint come from the chain's pre/post token balances.
 *
 * Fee payer and other signers earn nothing. A transfer from the treasury to itself is not a
 * payment. Pure over a LandedTransaction: facts only, the caller decides.
 */
import type { Connection } from '@solana/web3.js';
import { CURRENCY_CODES, type Currency } from '../domain/money';
import { chainError } from './errors';
import {
  fetchLandedTransaction,
  isTokenProgram,
  rawAmount,
  readU32,
  readU64,
  SYSTEM_PROGRAM,
  tokenBalancesOf,
  toPublicKey,
  type FlatInstruction,
  type LandedTransaction,
} from './landed-transaction';
import type { ChainCommitment } from './rpc';

const SYSTEM_TRANSFER = 2;
const SYSTEM_TRANSFER_WITH_SEED = 11;
const TOKEN_TRANSFER = 3;
const TOKEN_TRANSFER_CHECKED = 12;

export type TreasuryTransferKind = 'transfer' | 'transferWithSeed' | 'transferChecked';

export interface TreasuryTransfer {
  currency: Currency;
  /** The wallet credited: the debited account (SOL) or the source token account's owner (USDC). */
  payer: string;
  amountBaseUnits: bigint;
  /** The account debited: the payer itself for SOL, the payer's token account for USDC. */
  source: string;
  /** The treasury (SOL) or the treasury-owned token account (USDC). */
  destination: string;
  /** Who authorised the move: the source (SOL transfer), the seed base, the owner or a delegate. */
  authority: string;
  kind: TreasuryTransferKind;
  programId: string;
  /** True when another program invoked the transfer (a CPI). */
  inner: boolean;
  /** Index of the top-level instruction this one is, or was invoked from. */
  outerIndex: number;
}

/** Per currency, per payer wallet, the base units paid, as decimal strings (JSON-safe). */
export type PaidBy = Record<Currency, Record<string, string>>;

export interface TreasuryPayments {
  signature: string;
  treasury: string;
  usdcMint: string;
  /** Every transfer into the treasury, in instruction order. */
  transfers: TreasuryTransfer[];
  /** Per currency, per payer wallet (first payment first), the total base units paid. */
  totals: Record<Currency, ReadonlyMap<string, bigint>>;
  /** `totals` as strings, for records, errors and workflow history. */
  paidBy: PaidBy;
  /** First signer, who paid the fee (and earns nothing for it). */
  feePayer: string;
  signers: string[];
  slot: number;
  /** Unix seconds, or null when the RPC does not know it. */
  blockTime: number | null;
  version: 'legacy' | 0;
}

export interface TreasuryPaymentTarget {
  treasury: string;
  /** Mint whose tokens count as USDC (config.solana.usdcMint). */
  usdcMint: string;
}

/** Every payment into `target.treasury` that `tx` shows, attributed to its payers. */
export function treasuryPayments(tx: LandedTransaction, target: TreasuryPaymentTarget): TreasuryPayments {
  const transfers: TreasuryTransfer[] = [];
  for (const ix of tx.instructions) {
    const transfer = solTransferIn(ix, target.treasury) ?? usdcTransferIn(tx, ix, target);
    if (transfer) transfers.push(transfer);
  }
  assertTokenBalancesAgree(tx, transfers);

  const totals: Record<Currency, Map<string, bigint>> = { SOL: new Map(), USDC: new Map() };
  for (const t of transfers) {
    const byPayer = totals[t.currency];
    byPayer.set(t.payer, (byPayer.get(t.payer) ?? 0n) + t.amountBaseUnits);
  }
  return {
    signature: tx.signature,
    treasury: target.treasury,
    usdcMint: target.usdcMint,
    transfers,
    totals,
    paidBy: paidByOf(totals),
    feePayer: tx.signers[0] ?? '',
    signers: tx.signers,
    slot: tx.slot,
    blockTime: tx.blockTime,
    version: tx.version,
  };
}

/**
 * Fetches `signature` at `commitment` (default `confirmed`) and attributes its treasury
 * payments, without any expectation: e.g. to tell a refused submitter who the payer is.
 * Errors as fetchLandedTransaction (NotFoundYet transient, TransactionFailed permanent).
 */
export async function treasuryPaymentsOf(
  connection: Connection,
  signature: string,
  options: TreasuryPaymentTarget & { commitment?: ChainCommitment },
): Promise<TreasuryPayments> {
  toPublicKey(options.treasury, 'treasury');
  toPublicKey(options.usdcMint, 'usdcMint');
  const tx = await fetchLandedTransaction(connection, signature, options.commitment ?? 'confirmed');
  return treasuryPayments(tx, options);
}

export function paidByOf(totals: Record<Currency, ReadonlyMap<string, bigint>>): PaidBy {
  const paidBy: PaidBy = { SOL: {}, USDC: {} };
  for (const currency of CURRENCY_CODES) {
    for (const [payer, amount] of totals[currency]) paidBy[currency][payer] = amount.toString();
  }
  return paidBy;
}

/** System `transfer` [from, to] / `transferWithSeed` [from, base, to] of lamports to the treasury. */
function solTransferIn(ix: FlatInstruction, treasury: string): TreasuryTransfer | null {
  if (ix.programId !== SYSTEM_PROGRAM) return null;
  const tag = readU32(ix.data, 0);
  const lamports = readU64(ix.data, 4);
  if (lamports === null || lamports === 0n) return null;
  let from: string | undefined;
  let to: string | undefined;
  let authority: string | undefined;
  let kind: TreasuryTransferKind;
  if (tag === SYSTEM_TRANSFER) {
    [from, to] = ix.accounts;
    authority = from;
    kind = 'transfer';
  } else if (tag === SYSTEM_TRANSFER_WITH_SEED) {
    [from, authority, to] = ix.accounts;
    kind = 'transferWithSeed';
  } else {
    return null;
  }
  if (!from || !to || !authority || to !== treasury || from === treasury) return null;
  return {
    currency: 'SOL',
    payer: from,
    amountBaseUnits: lamports,
    source: from,
    destination: to,
    authority,
    kind,
    programId: ix.programId,
    inner: ix.inner,
    outerIndex: ix.outerIndex,
  };
}

interface TokenTransfer {
  kind: 'transfer' | 'transferChecked';
  source: string;
  /** Named by transferChecked only. */
  mint: string | null;
  destination: string;
  authority: string;
  amount: bigint;
}

/** Token `transfer` [source, destination, authority] / `transferChecked` [source, mint, destination, authority]. */
function decodeTokenTransfer(ix: FlatInstruction): TokenTransfer | null {
  if (!isTokenProgram(ix.programId)) return null;
  const amount = readU64(ix.data, 1);
  if (amount === null) return null;
  if (ix.data[0] === TOKEN_TRANSFER) {
    const [source, destination, authority] = ix.accounts;
    if (!source || !destination || !authority) return null;
    return { kind: 'transfer', source, mint: null, destination, authority, amount };
  }
  if (ix.data[0] === TOKEN_TRANSFER_CHECKED && ix.data.length >= 10) {
    const [source, mint, destination, authority] = ix.accounts;
    if (!source || !mint || !destination || !authority) return null;
    return { kind: 'transferChecked', source, mint, destination, authority, amount };
  }
  return null;
}

/** A token transfer into a token account of the USDC mint owned by the treasury. */
function usdcTransferIn(
  tx: LandedTransaction,
  ix: FlatInstruction,
  target: TreasuryPaymentTarget,
): TreasuryTransfer | null {
  const transfer = decodeTokenTransfer(ix);
  if (!transfer || transfer.amount === 0n) return null;
  if (transfer.mint !== null && transfer.mint !== target.usdcMint) return null;
  if (!heldBy(tx, transfer.destination, target.treasury, target.usdcMint)) return null;
  const owner = sourceOwner(tx, transfer.source, target.usdcMint);
  if (owner === target.treasury) return null; // the treasury moving its own tokens
  return {
    currency: 'USDC',
    payer: owner,
    amountBaseUnits: transfer.amount,
    source: transfer.source,
    destination: transfer.destination,
    authority: transfer.authority,
    kind: transfer.kind,
    programId: ix.programId,
    inner: ix.inner,
    outerIndex: ix.outerIndex,
  };
}

/** Every balance entry the chain reports for `tokenAccount` says: owned by `owner`, of `mint`. */
function heldBy(tx: LandedTransaction, tokenAccount: string, owner: string, mint: string): boolean {
  const { pre, post } = tokenBalancesOf(tx, tokenAccount);
  const entries = [pre, post].filter((b) => b !== undefined);
  return entries.length > 0 && entries.every((b) => b.owner === owner && b.mint === mint);
}

/**
 * The owner of the source token account of a transfer into the treasury. USDC arrived, so it
 * must be attributed: an owner the chain does not show, or one that changed within the
 * transaction, is refused (UnverifiableAmount) rather than guessed.
 */
function sourceOwner(tx: LandedTransaction, source: string, usdcMint: string): string {
  const { pre, post } = tokenBalancesOf(tx, source);
  const entries = [pre, post].filter((b) => b !== undefined);
  const owners = [...new Set(entries.map((b) => b.owner ?? 'unknown'))];
  const [owner] = owners;
  if (
    owner === undefined ||
    owners.length !== 1 ||
    owner === 'unknown' ||
    entries.some((b) => b.mint !== usdcMint)
  ) {
    throw chainError(
      'UnverifiableAmount',
      `transaction ${tx.signature}: USDC reached the treasury from token account ${source}, whose owner the ` +
        `chain does not show unambiguously (${owners.join(', ') || 'no balance entry'})`,
      { signature: tx.signature, tokenAccount: source, owners },
    );
  }
  return owner;
}

/**
 * Credits must be what the treasury's token accounts really gained: for each of them, the
 * transfers in (decoded from the instructions, whoever sent them) = balance rise + transfers
 * and burns out. A mint that withholds a transfer fee (Token-2022) or any move we do not
 * decode breaks the equation, and we refuse (UnverifiableAmount) rather than credit base
 * units that never arrived.
 */
function assertTokenBalancesAgree(tx: LandedTransaction, transfers: readonly TreasuryTransfer[]): void {
  const accounts = new Set(transfers.filter((t) => t.currency === 'USDC').map((t) => t.destination));
  for (const account of accounts) {
    let received = 0n;
    let sent = 0n;
    for (const ix of tx.instructions) {
      const move = tokenMove(ix);
      if (!move) continue;
      if (move.destination === account) received += move.amount;
      if (move.source === account) sent += move.amount;
    }
    const { pre, post } = tokenBalancesOf(tx, account);
    const rise = (post ? rawAmount(post) : 0n) - (pre ? rawAmount(pre) : 0n);
    if (received !== rise + sent) {
      throw chainError(
        'UnverifiableAmount',
        `transaction ${tx.signature}: token transfers into the treasury's account ${account} add up to ` +
          `${received} base units, but its balance rose by ${rise} (and ${sent} left it): ` +
          'the chain does not show where the difference went',
        {
          signature: tx.signature,
          tokenAccount: account,
          transferredInBaseUnits: received.toString(),
          riseBaseUnits: rise.toString(),
          transferredOutBaseUnits: sent.toString(),
        },
      );
    }
  }
}

const TOKEN_BURN = 8;
const TOKEN_BURN_CHECKED = 15;

/** The token account a transfer(Checked) or burn(Checked) debits, the one it credits, and how much. */
function tokenMove(
  ix: FlatInstruction,
): { source: string; destination: string | null; amount: bigint } | null {
  const transfer = decodeTokenTransfer(ix);
  if (transfer) return transfer;
  const op = ix.data[0];
  if (!isTokenProgram(ix.programId) || (op !== TOKEN_BURN && op !== TOKEN_BURN_CHECKED)) return null;
  const amount = readU64(ix.data, 1);
  const [source] = ix.accounts;
  return amount !== null && source ? { source, destination: null, amount } : null;
}
