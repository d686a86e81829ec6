/**
 * Building blocks for suites that move real value on the local chain: funded keypairs,
 * a USDC-like mint, NFTs, lookup tables. Plain web3.js / spl-token calls, nothing of ours
 * except the connection factory.
 */
import {
  AddressLookupTableProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
  type AddressLookupTableAccount,
  type Connection,
  type PublicKey,
} from '@solana/web3.js';
import { createMint, getOrCreateAssociatedTokenAccount, mintTo } from '@solana/spl-token';
import type { LocalChain } from '../../src/chain/local';
import { isChainError, type ChainErrorCode } from '../../src/chain/errors';

export function fundedKeypair(chain: LocalChain, sol = 10): Keypair {
  const keypair = Keypair.generate();
  chain.airdrop(keypair.publicKey.toBase58(), BigInt(sol) * BigInt(LAMPORTS_PER_SOL));
  return keypair;
}

/** A mint of `decimals` with `authority` as mint authority. */
export function newMint(connection: Connection, payer: Keypair, decimals: number): Promise<PublicKey> {
  return createMint(connection, payer, payer.publicKey, null, decimals);
}

/** The associated token account of `owner` for `mint`, created if missing, topped up with `amount`. */
export async function tokenAccountWith(
  connection: Connection,
  payer: Keypair,
  mint: PublicKey,
  owner: PublicKey,
  amount: bigint,
): Promise<PublicKey> {
  const account = await getOrCreateAssociatedTokenAccount(connection, payer, mint, owner, true);
  if (amount > 0n) await mintTo(connection, payer, mint, account.address, payer, amount);
  return account.address;
}

/** A supply-1, 0-decimals mint held by `owner`; returns the mint and the owner's token account. */
export async function newNft(
  connection: Connection,
  payer: Keypair,
  owner: PublicKey,
): Promise<{ mint: PublicKey; tokenAccount: PublicKey }> {
  const mint = await newMint(connection, payer, 0);
  const tokenAccount = await tokenAccountWith(connection, payer, mint, owner, 1n);
  return { mint, tokenAccount };
}

export async function sendLegacy(
  connection: Connection,
  instructions: TransactionInstruction[],
  signers: Keypair[],
): Promise<string> {
  return sendAndConfirmTransaction(connection, new Transaction().add(...instructions), signers, {
    commitment: 'confirmed',
  });
}

/** A lookup table holding `addresses`, usable from the next slot (the chain is warped one slot). */
export async function lookupTable(
  chain: LocalChain,
  connection: Connection,
  authority: Keypair,
  addresses: PublicKey[],
): Promise<AddressLookupTableAccount> {
  const recentSlot = await connection.getSlot('confirmed');
  const [create, table] = AddressLookupTableProgram.createLookupTable({
    authority: authority.publicKey,
    payer: authority.publicKey,
    recentSlot,
  });
  const extend = AddressLookupTableProgram.extendLookupTable({
    lookupTable: table,
    authority: authority.publicKey,
    payer: authority.publicKey,
    addresses,
  });
  await sendLegacy(connection, [create, extend], [authority]);
  chain.warpSlots(1);
  const account = (await connection.getAddressLookupTable(table, { commitment: 'confirmed' })).value;
  if (!account) throw new Error('lookup table not found after creation');
  return account;
}

/** Sends a version-0 transaction using `tables`; returns its signature once confirmed. */
export async function sendV0(
  connection: Connection,
  payer: Keypair,
  instructions: TransactionInstruction[],
  tables: AddressLookupTableAccount[],
  extraSigners: Keypair[] = [],
): Promise<string> {
  const latest = await connection.getLatestBlockhash('confirmed');
  const message = new TransactionMessage({
    payerKey: payer.publicKey,
    recentBlockhash: latest.blockhash,
    instructions,
  }).compileToV0Message(tables);
  const tx = new VersionedTransaction(message);
  tx.sign([payer, ...extraSigners]);
  const signature = await connection.sendRawTransaction(tx.serialize());
  const confirmation = await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
  if (confirmation.value.err)
    throw new Error(`v0 transaction failed: ${JSON.stringify(confirmation.value.err)}`);
  return signature;
}

/**
 * `ix` made an INNER instruction: wrapped in a call of the CPI forwarder
 * (tests/support/sbpf-cpi-burn.ts, deployed at `forwarder`), which invokes `ix.programId`
 * with exactly three accounts and `ix.data`. An instruction with fewer accounts is padded
 * with the (read-only, never duplicated) clock sysvar; the System Program and SPL Token
 * ignore trailing accounts.
 */
export function viaForwarder(forwarder: PublicKey, ix: TransactionInstruction): TransactionInstruction {
  const keys = [...ix.keys];
  if (keys.length > 3) throw new Error('the forwarder passes exactly three accounts');
  while (keys.length < 3) keys.push({ pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false });
  return new TransactionInstruction({
    programId: forwarder,
    keys: [{ pubkey: ix.programId, isSigner: false, isWritable: false }, ...keys],
    data: ix.data,
  });
}

/** Awaits `promise` expecting a ChainError with `code`; returns it for further checks. */
export async function chainFailure(promise: Promise<unknown>, code: ChainErrorCode) {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${code} ChainError, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  if (!isChainError(error)) throw error;
  expect(error.code).toBe(code);
  return error;
}

export const SOL = BigInt(LAMPORTS_PER_SOL);
