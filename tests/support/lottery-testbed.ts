/**
 * What every lottery suite with real payments starts from: a local chain with a treasury (and
 * its USDC token account), a USDC mint, the payout signer (prizes, refunds) funded in SOL and,
 * when asked, in USDC, the API's system on it (a database of the suite's own when asked, since
 * one round sells at a time) and the admin signed in. The suite starts its worker itself (some
 * kill and restart it).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Connection, type Keypair, type PublicKey } from '@solana/web3.js';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { createChainConnection } from '../../src/chain/rpc';
import { fundedKeypair, newMint, tokenAccountWith } from './chain-fixtures';
import { ownDatabase, startTestSystem, type TestSystem } from './harness';
import { newWallet, signIn, type TestWallet } from './wallet';

export interface LotteryTestbed {
  chain: LocalChain;
  connection: Connection;
  system: TestSystem;
  mintAuthority: Keypair;
  usdcMint: PublicKey;
  treasury: Keypair;
  treasuryUsdc: PublicKey;
  /** The payout signer (PAYER_KEY_FILE). */
  payer: Keypair;
  admin: TestWallet;
  adminAuth: { Authorization: string };
  close(): Promise<void>;
}

export async function startLotteryTestbed(options: {
  /** Names the payer's key file and, with `ownDatabase`, the suite's database. */
  name: string;
  ownDatabase?: boolean;
  /** USDC base units the payer holds (USDC refunds are paid from its token account). */
  payerUsdc?: bigint;
  /** Settings on top of the lottery's (short grace period and verification window). */
  env?: Record<string, string>;
}): Promise<LotteryTestbed> {
  const database = options.ownDatabase ? await ownDatabase(options.name) : undefined;
  const chain = await startLocalChain({ port: 0 });
  const mintAuthority = fundedKeypair(chain, 1_000);
  const treasury = fundedKeypair(chain, 1);
  const payer = fundedKeypair(chain, 100);
  const payerKeyFile = path.join(
    process.env.SR_TEST_TMP ?? '/tmp',
    `${options.name}-payer-${crypto.randomBytes(4).toString('hex')}.json`,
  );
  writeKeypairFile(payerKeyFile, payer);
  const bootstrap = new Connection(chain.url, 'confirmed');
  const usdcMint = await newMint(bootstrap, mintAuthority, 6);
  const treasuryUsdc = await tokenAccountWith(bootstrap, mintAuthority, usdcMint, treasury.publicKey, 0n);
  if (options.payerUsdc) {
    await tokenAccountWith(bootstrap, mintAuthority, usdcMint, payer.publicKey, options.payerUsdc);
  }
  const admin = newWallet();
  const system = await startTestSystem({
    ...(database ? { DATABASE_URL: database.url } : {}),
    RPC_URL: chain.url,
    TREASURY_WALLET: treasury.publicKey.toBase58(),
    USDC_MINT: usdcMint.toBase58(),
    PAYER_KEY_FILE: payerKeyFile,
    ADMIN_WALLETS: admin.address,
    LOTTERY_GRACE_PERIOD: '200ms',
    LOTTERY_VERIFY_WINDOW: '20s',
    PURCHASE_WAIT: '30s',
    ...options.env,
  });
  const adminAuth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  return {
    chain,
    connection: createChainConnection(system.config),
    system,
    mintAuthority,
    usdcMint,
    treasury,
    treasuryUsdc,
    payer,
    admin,
    adminAuth,
    async close() {
      await system.close();
      await chain.close();
      await database?.drop();
    },
  };
}
