/**
 * Local-chain identities and environment for development: the treasury, the payout payer,
 * a test wallet and the USDC-like mint's address, as solana-keygen key files under
 * `<DATA_DIR>/chain/keys/` (made on first use, readable by the owner only, never committed:
 * .data/ is gitignored). Refused in production.
 *
 * The start script runs the local chain with `--data-dir <localChainDataDir(config)>` on
 * LOCAL_CHAIN_PORT, then `Object.assign(env, await ensureLocalChainEnv(config))` before it
 * spawns the API and the worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  type Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  type Connection,
} from '@solana/web3.js';
import {
  MINT_SIZE,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  getMinimumBalanceForRentExemptMint,
} from './spl-token';
import type { Config } from '../config';
import { sendAndConfirm } from './dev-tools';
import { ensureKeypairFile, readKeypairFile } from './payer-key';
import { connectRpc } from './rpc';

export const LOCAL_KEY_NAMES = ['treasury', 'payer', 'test-wallet', 'usdc-mint'] as const;
export type LocalKeyName = (typeof LOCAL_KEY_NAMES)[number];

export interface LocalKey {
  address: string;
  file: string;
}

export type LocalKeys = Record<LocalKeyName, LocalKey> & { dir: string };

/** What the API and worker need in their environment to use the local chain. */
export interface LocalChainEnv {
  RPC_URL: string;
  TREASURY_WALLET: string;
  USDC_MINT: string;
  PAYER_KEY_FILE: string;
}

const USDC = 1_000_000n;
const SOL = BigInt(LAMPORTS_PER_SOL);

function refuseProduction(config: Pick<Config, 'isProduction'>): void {
  if (config.isProduction)
    throw new Error('local chain keys are for development only; refused in production');
}

/** Where the local chain keeps its state: `<DATA_DIR>/chain`. */
export const localChainDataDir = (config: Pick<Config, 'dataDir'>): string =>
  path.resolve(config.dataDir, 'chain');

export const localKeysDir = (config: Pick<Config, 'dataDir'>): string =>
  path.join(localChainDataDir(config), 'keys');

/** The key files, created on first use. Synchronous and offline: no chain needed. */
export function ensureLocalKeys(config: Pick<Config, 'dataDir' | 'isProduction'>): LocalKeys {
  refuseProduction(config);
  const dir = localKeysDir(config);
  const keys = { dir } as LocalKeys;
  for (const name of LOCAL_KEY_NAMES) {
    const file = path.join(dir, `${name}.json`);
    keys[name] = { address: ensureKeypairFile(file).publicKey.toBase58(), file };
  }
  return keys;
}

/** A local keypair by name (for the dev CLI). */
export function loadLocalKeypair(
  config: Pick<Config, 'dataDir' | 'isProduction'>,
  name: LocalKeyName,
): Keypair {
  return readKeypairFile(ensureLocalKeys(config)[name].file);
}

export const localRpcUrl = (config: Pick<Config, 'solana'>): string =>
  config.solana.rpcUrl ?? `http://127.0.0.1:${config.solana.localChainPort}`;

/**
 * Makes the local chain usable and returns the environment for the API and worker:
 * keys exist; payer, treasury and test wallet hold SOL; the USDC-like mint (6 decimals,
 * payer as mint authority) exists at the address of `usdc-mint.json`; payer and test wallet
 * hold USDC and the treasury has its USDC account. Idempotent; needs the chain running at
 * `rpcUrl` (default: RPC_URL, else 127.0.0.1:LOCAL_CHAIN_PORT). Also writes the result to
 * `<DATA_DIR>/chain/local-env.json`.
 */
export async function ensureLocalChainEnv(
  config: Pick<Config, 'dataDir' | 'isProduction' | 'solana'>,
  options: { rpcUrl?: string } = {},
): Promise<LocalChainEnv> {
  refuseProduction(config);
  const keys = ensureLocalKeys(config);
  const rpcUrl = options.rpcUrl ?? localRpcUrl(config);
  const connection = connectRpc(rpcUrl, { commitment: 'confirmed', maxAttempts: 3 });
  const payer = readKeypairFile(keys.payer.file);
  const treasury = new PublicKey(keys.treasury.address);
  const testWallet = new PublicKey(keys['test-wallet'].address);

  await topUpSol(connection, payer.publicKey, 1_000n * SOL, 100n * SOL);
  await topUpSol(connection, treasury, 10n * SOL, 1n * SOL);
  await topUpSol(connection, testWallet, 100n * SOL, 10n * SOL);
  const mint = await ensureUsdcMint(connection, payer, readKeypairFile(keys['usdc-mint'].file));
  await ensureUsdcBalance(connection, payer, mint, payer.publicKey, 1_000_000n * USDC, 100_000n * USDC);
  await ensureUsdcBalance(connection, payer, mint, testWallet, 10_000n * USDC, 100n * USDC);
  await ensureUsdcBalance(connection, payer, mint, treasury, 0n, 0n);

  const env: LocalChainEnv = {
    RPC_URL: rpcUrl,
    TREASURY_WALLET: treasury.toBase58(),
    USDC_MINT: mint.toBase58(),
    PAYER_KEY_FILE: keys.payer.file,
  };
  fs.writeFileSync(
    path.join(localChainDataDir(config), 'local-env.json'),
    `${JSON.stringify(env, null, 2)}\n`,
  );
  return env;
}

/** Airdrops up to `target` when the balance is below `floor` (local chain faucet). */
export async function topUpSol(
  connection: Connection,
  wallet: PublicKey,
  target: bigint,
  floor: bigint,
): Promise<void> {
  const balance = BigInt(await connection.getBalance(wallet, 'confirmed'));
  if (balance >= floor && balance > 0n) return;
  const signature = await connection.requestAirdrop(wallet, Number(target - balance));
  await waitLanded(connection, signature);
}

/** The USDC-like mint at `mintKey`'s address, created (6 decimals, payer authority) if missing. */
export async function ensureUsdcMint(
  connection: Connection,
  payer: Keypair,
  mintKey: Keypair,
): Promise<PublicKey> {
  const existing = await connection.getAccountInfo(mintKey.publicKey, 'confirmed');
  if (existing) return mintKey.publicKey;
  const lamports = await getMinimumBalanceForRentExemptMint(connection);
  const tx = new Transaction().add(
    SystemProgram.createAccount({
      fromPubkey: payer.publicKey,
      newAccountPubkey: mintKey.publicKey,
      space: MINT_SIZE,
      lamports,
      programId: new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'),
    }),
    createInitializeMint2Instruction(mintKey.publicKey, 6, payer.publicKey, null),
  );
  await sendAndConfirm(connection, tx, [payer, mintKey]);
  return mintKey.publicKey;
}

/** Creates `owner`'s token account and mints up to `target` when below `floor`. */
export async function ensureUsdcBalance(
  connection: Connection,
  payer: Keypair,
  mint: PublicKey,
  owner: PublicKey,
  target: bigint,
  floor: bigint,
): Promise<void> {
  const account = getAssociatedTokenAddressSync(mint, owner, true);
  const info = await connection.getTokenAccountBalance(account, 'confirmed').catch(() => null);
  const balance = info ? BigInt(info.value.amount) : 0n;
  if (info && (balance >= floor || target === 0n)) return;
  const tx = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, mint),
  );
  if (target > balance) tx.add(createMintToInstruction(mint, account, payer.publicKey, target - balance));
  await sendAndConfirm(connection, tx, [payer]);
}

async function waitLanded(connection: Connection, signature: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { value } = await connection.getSignatureStatuses([signature], { searchTransactionHistory: true });
    if (value[0]?.confirmationStatus === 'confirmed' || value[0]?.confirmationStatus === 'finalized') return;
    if (Date.now() > deadline) throw new Error(`airdrop ${signature} did not land within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
