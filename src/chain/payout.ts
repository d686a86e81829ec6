/**
 * The exactly-once payout path (DESIGN §5) over the `payouts` table.
 *
 * A payout is a row keyed by its business key. Sending it:
 *  1. no signed transaction yet → build and sign the transfer (with a memo naming the key)
 *     and persist bytes, signature and last valid block height BEFORE anything is sent,
 *     with a compare-and-set on the previous signature so concurrent senders agree on one;
 *  2. a stored signature → ask the chain (getSignatureStatuses, searchTransactionHistory):
 *     landed → record it confirmed (and its chain_receipts row) and stop;
 *  3. not landed and the FINALIZED block height is past the stored last valid block height
 *     → that transaction can never land (the status is re-read after the height), so sign a
 *     fresh one and persist it, again before sending;
 *  4. otherwise resend the very same stored bytes and wait, bounded, for confirmation.
 * Any crash between steps leaves a state the next attempt resumes from. The signer's secret
 * never leaves PayerKey; signed bytes live only in the database.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import bs58 from 'bs58';
import {
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  type SignatureStatus,
} from '@solana/web3.js';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { ChainReceiptSchema, PayoutSchema, type Payout, type PayoutKind } from '../db/entities';
import { assertBaseUnits, decimalsOf, formatAmount, type Currency } from '../domain/money';
import type { ChainDeps } from './deps';
import { chainError, isChainError } from './errors';
import { toPublicKey } from './landed-transaction';
import { rpcCall } from './rpc';

export const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
const MAX_KEY_LENGTH = 120;

export interface NewPayout {
  key: string;
  kind: PayoutKind;
  recipient: string;
  currency: Currency;
  amountBaseUnits: bigint;
}

/** What a finished payout reports; JSON-safe (the amount as a string) for workflow history. */
export interface PayoutOutcome {
  key: string;
  status: 'confirmed';
  signature: string;
  slot: number;
  recipient: string;
  currency: Currency;
  amountBaseUnits: string;
  attempts: number;
}

/**
 * Records a payout, idempotent on `key`: the same key again returns the existing row; the
 * same key with a different recipient, currency, amount or kind is a PayoutKeyConflict.
 * Runs in the caller's EntityManager (and so in its transaction, if any).
 */
export async function createPayout(em: EntityManager, input: NewPayout): Promise<Payout> {
  if (typeof input.key !== 'string' || input.key.length === 0 || input.key.length > MAX_KEY_LENGTH) {
    throw chainError('InvalidPayout', `payout key must be 1..${MAX_KEY_LENGTH} characters`);
  }
  toPublicKey(input.recipient, 'recipient');
  assertBaseUnits(input.amountBaseUnits, 'payout amount');
  if (input.amountBaseUnits <= 0n)
    throw chainError('InvalidPayout', `payout ${input.key}: amount must be positive`);
  await em
    .createQueryBuilder(PayoutSchema)
    .insert({
      key: input.key,
      kind: input.kind,
      recipient: input.recipient,
      currency: input.currency,
      amountBaseUnits: input.amountBaseUnits,
      status: 'pending',
      attempts: 0,
    })
    .onConflict('key')
    .ignore()
    .execute();
  const row = await em.findOneOrFail(PayoutSchema, { key: input.key }, { disableIdentityMap: true });
  const differs =
    row.recipient !== input.recipient ||
    row.currency !== input.currency ||
    row.amountBaseUnits !== input.amountBaseUnits ||
    row.kind !== input.kind;
  if (differs) {
    throw chainError(
      'PayoutKeyConflict',
      `payout ${input.key} already exists for ${formatAmount(row.amountBaseUnits, row.currency)} ${row.currency} to ${row.recipient} (${row.kind})`,
      { key: input.key },
    );
  }
  return row;
}

export interface SendPayoutOptions {
  /** Give up (transient PayoutNotConfirmedYet) after this long; default 60 s. */
  timeoutMs?: number;
  /** Pause between status checks while waiting; default 500 ms. */
  pollMs?: number;
  /** Resend the stored bytes at most this often while waiting; default 2 s. */
  resendMs?: number;
  /** Called on every round (activities heartbeat here). */
  onProgress?: (state: { key: string; signature: string | null; attempts: number }) => void;
  /** Stops waiting when aborted (activity cancellation). */
  signal?: AbortSignal;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Sends payout `key` exactly once and waits for it at the chain's commitment. */
export async function sendPayout(
  em: EntityManager,
  chain: ChainDeps,
  key: string,
  options: SendPayoutOptions = {},
): Promise<PayoutOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const pollMs = options.pollMs ?? 500;
  const resendMs = options.resendMs ?? 2_000;
  let sentSignature: string | null = null;
  let sentAt = 0;

  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('payout cancelled');
    const row = await loadPayout(em, key);
    options.onProgress?.({ key, signature: row.signature ?? null, attempts: row.attempts });
    if (row.status === 'confirmed') return outcomeOf(row);
    if (row.status === 'failed') {
      throw chainError('PayoutFailed', `payout ${key} failed: ${row.lastError ?? 'unknown reason'}`, { key });
    }
    const stored = storedTransaction(row);
    if (!stored) {
      await signAndStore(em, chain, row, null, options.logger);
      continue;
    }

    let status = await signatureStatus(chain, stored.signature);
    if (!status) {
      const due = sentSignature !== stored.signature || Date.now() - sentAt >= resendMs;
      if (due) {
        await broadcastPayout(em, chain, row, stored.wire);
        sentSignature = stored.signature;
        sentAt = Date.now();
        status = await signatureStatus(chain, stored.signature);
      }
    }
    if (status) {
      // Only an outcome at our commitment is final: a processed-only one may still be dropped.
      if (reached(status, chain.commitment)) {
        if (!status.err) return markConfirmed(em, chain, row, stored.signature, status.slot, options.logger);
        const reason = `transaction ${stored.signature} landed but failed: ${JSON.stringify(status.err)}`;
        await em
          .fork()
          .nativeUpdate(
            PayoutSchema,
            { key, signature: stored.signature },
            { status: 'failed', lastError: reason },
          );
        throw chainError('PayoutFailed', `payout ${key}: ${reason}`, { key, signature: stored.signature });
      }
    } else if (await expired(chain, stored)) {
      // The stored transaction can never land: a fresh one replaces it (persisted before it is sent).
      options.logger?.warn(
        { payout: key, signature: stored.signature },
        'payout transaction expired unseen; re-signing',
      );
      await signAndStore(em, chain, row, stored.signature, options.logger);
      continue;
    }

    if (Date.now() >= deadline) {
      throw chainError(
        'PayoutNotConfirmedYet',
        `payout ${key}: transaction ${stored.signature} not ${chain.commitment} yet; the next attempt re-checks it`,
        { key, signature: stored.signature },
      );
    }
    await pause(pollMs, options.signal);
  }
}

/**
 * Step 1 on its own: signs and persists (if nothing is stored yet) and returns the stored
 * signature, without sending. `sendPayout` does this itself; exported for tools and tests.
 */
export async function signPayout(em: EntityManager, chain: ChainDeps, key: string): Promise<string> {
  for (;;) {
    const row = await loadPayout(em, key);
    const stored = storedTransaction(row);
    if (stored) return stored.signature;
    await signAndStore(em, chain, row, null);
  }
}

/**
 * Sends the stored bytes once. "Already processed" means they landed; a preflight failure
 * (e.g. the payer is short of funds) is recorded as the payout's last error and thrown as
 * transient, since funding the payer fixes it; an expired blockhash is left to the caller's
 * height check.
 */
export async function broadcastPayout(
  em: EntityManager,
  chain: ChainDeps,
  row: Payout,
  wire: string,
): Promise<void> {
  try {
    await chain.connection.sendRawTransaction(Buffer.from(wire, 'base64'), {
      skipPreflight: false,
      preflightCommitment: chain.commitment,
      maxRetries: 0,
    });
  } catch (error) {
    if (isChainError(error)) throw error; // RPC unreachable: transient, retried by the caller
    const message = error instanceof Error ? error.message : String(error);
    if (/already been processed|AlreadyProcessed/i.test(message)) return;
    if (/Blockhash not found|BlockhashNotFound/i.test(message)) return;
    const logs = error instanceof SendTransactionError ? (error.logs ?? []).slice(-3).join(' | ') : '';
    const reason = `send rejected: ${message.slice(0, 300)}${logs ? ` (${logs.slice(0, 300)})` : ''}`;
    await em.fork().nativeUpdate(PayoutSchema, { key: row.key }, { lastError: reason });
    throw chainError('PayoutNotConfirmedYet', `payout ${row.key}: ${reason}`, { key: row.key });
  }
}

async function loadPayout(em: EntityManager, key: string): Promise<Payout> {
  const row = await em.fork().findOne(PayoutSchema, { key }, { disableIdentityMap: true });
  if (!row) throw chainError('PayoutNotFound', `no payout with key ${key}`, { key });
  return row;
}

interface Stored {
  wire: string;
  signature: string;
  lastValidBlockHeight: bigint;
}

function storedTransaction(row: Payout): Stored | null {
  if (
    !row.signedTransaction ||
    !row.signature ||
    row.lastValidBlockHeight === null ||
    row.lastValidBlockHeight === undefined
  ) {
    return null;
  }
  return {
    wire: row.signedTransaction,
    signature: row.signature,
    lastValidBlockHeight: BigInt(row.lastValidBlockHeight),
  };
}

/** The transfer, ATA creation for USDC, and the memo naming the payout key. */
function payoutInstructions(chain: ChainDeps, payer: PublicKey, row: Payout): TransactionInstruction[] {
  const recipient = toPublicKey(row.recipient, 'recipient');
  const memo = new TransactionInstruction({
    programId: MEMO_PROGRAM_ID,
    keys: [{ pubkey: payer, isSigner: true, isWritable: false }],
    data: Buffer.from(`payout:${row.key}`, 'utf8'),
  });
  if (row.currency === 'SOL') {
    return [
      SystemProgram.transfer({ fromPubkey: payer, toPubkey: recipient, lamports: row.amountBaseUnits }),
      memo,
    ];
  }
  const mint = toPublicKey(chain.usdcMint, 'usdcMint');
  const source = getAssociatedTokenAddressSync(mint, payer, true);
  const destination = getAssociatedTokenAddressSync(mint, recipient, true);
  return [
    createAssociatedTokenAccountIdempotentInstruction(payer, destination, recipient, mint),
    createTransferCheckedInstruction(
      source,
      mint,
      destination,
      payer,
      row.amountBaseUnits,
      decimalsOf('USDC'),
    ),
    memo,
  ];
}

/**
 * Signs a fresh transaction for `row` and stores it if the stored signature is still
 * `previous` (null for the first); a concurrent sender that stored first wins, and this one
 * then follows the stored transaction.
 */
async function signAndStore(
  em: EntityManager,
  chain: ChainDeps,
  row: Payout,
  previous: string | null,
  logger?: SendPayoutOptions['logger'],
): Promise<void> {
  const payer = chain.payer();
  const latest = await rpcCall('getLatestBlockhash', () =>
    chain.connection.getLatestBlockhash(chain.commitment),
  );
  const tx = new Transaction({ feePayer: payer.publicKey, ...latest }).add(
    ...payoutInstructions(chain, payer.publicKey, row),
  );
  payer.signLegacy(tx);
  if (!tx.signature) throw new Error('payout transaction was not signed');
  const signature = bs58.encode(tx.signature);
  const updated = await em.fork().nativeUpdate(
    PayoutSchema,
    { key: row.key, signature: previous, status: { $in: ['pending', 'signed'] } },
    {
      signedTransaction: tx.serialize().toString('base64'),
      signature,
      lastValidBlockHeight: BigInt(latest.lastValidBlockHeight),
      status: 'signed',
      attempts: raw('attempts + 1'),
      lastError: null,
    },
  );
  if (updated === 1) {
    logger?.info(
      { payout: row.key, signature, lastValidBlockHeight: latest.lastValidBlockHeight, replaces: previous },
      'payout transaction signed and stored',
    );
  }
}

async function signatureStatus(chain: ChainDeps, signature: string): Promise<SignatureStatus | null> {
  const { value } = await rpcCall('getSignatureStatuses', () =>
    chain.connection.getSignatureStatuses([signature], { searchTransactionHistory: true }),
  );
  return value[0] ?? null;
}

const reached = (status: SignatureStatus, commitment: ChainDeps['commitment']): boolean =>
  commitment === 'finalized'
    ? status.confirmationStatus === 'finalized'
    : status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized';

/**
 * True only when the stored transaction can never land: the finalized chain is past its last
 * valid block height and, asked after that, the chain still does not know the signature.
 */
async function expired(chain: ChainDeps, stored: Stored): Promise<boolean> {
  const height = await rpcCall('getBlockHeight', () => chain.connection.getBlockHeight('finalized'));
  if (BigInt(height) <= stored.lastValidBlockHeight) return false;
  return (await signatureStatus(chain, stored.signature)) === null;
}

async function markConfirmed(
  em: EntityManager,
  chain: ChainDeps,
  row: Payout,
  signature: string,
  slot: number,
  logger?: SendPayoutOptions['logger'],
): Promise<PayoutOutcome> {
  const blockTime = await chain.connection.getBlockTime(slot).catch(() => null);
  await em.fork().transactional(async (tx) => {
    await tx.nativeUpdate(
      PayoutSchema,
      { key: row.key, signature },
      { status: 'confirmed', confirmedSlot: BigInt(slot), confirmedAt: new Date(), lastError: null },
    );
    await tx
      .createQueryBuilder(ChainReceiptSchema)
      .insert({
        signature,
        kind: 'payout',
        walletAddress: row.recipient,
        currency: row.currency,
        amountBaseUnits: row.amountBaseUnits,
        refundOwedBaseUnits: 0n,
        slot: BigInt(slot),
        blockTime: blockTime === null ? null : new Date(blockTime * 1000),
        status: 'accepted',
        reason: `payout ${row.key}`,
      })
      .onConflict('signature')
      .ignore()
      .execute();
  });
  logger?.info({ payout: row.key, signature, slot }, 'payout confirmed');
  return outcomeOf(await loadPayout(em, row.key));
}

function outcomeOf(row: Payout): PayoutOutcome {
  if (
    row.status !== 'confirmed' ||
    !row.signature ||
    row.confirmedSlot === null ||
    row.confirmedSlot === undefined
  ) {
    // Only reachable if the row changed under us; the next attempt re-reads it.
    throw chainError('PayoutNotConfirmedYet', `payout ${row.key} is ${row.status}, not confirmed yet`, {
      key: row.key,
    });
  }
  return {
    key: row.key,
    status: 'confirmed',
    signature: row.signature,
    slot: Number(row.confirmedSlot),
    recipient: row.recipient,
    currency: row.currency,
    amountBaseUnits: row.amountBaseUnits.toString(),
    attempts: row.attempts,
  };
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
