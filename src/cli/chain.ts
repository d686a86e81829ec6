/**
 * `npm run chain -- <command>`: try every flow by hand on the local chain.
 *
 *   env                              the RPC_URL / TREASURY_WALLET / USDC_MINT / PAYER_KEY_FILE lines
 *   keys                             the local key files and their addresses
 *   fund <wallet> <sol>              airdrop SOL (wallet: an address, treasury, payer or test-wallet)
 *   fund-usdc <wallet> <usdc>        mint local USDC to any wallet (creates its token account)
 *   balance [wallet]                 SOL and USDC of a wallet (default: test-wallet)
 *   create-usdc                      the USDC-like mint (6 decimals); funds payer and test wallet
 *   mint-collection <n> [--owner w]  n Stoned Rabbits NFTs to the test wallet, listed in nft_mints
 *   mint-passes <n> [--owner w]      n Revenue Passes to the test wallet, listed in nft_mints
 *   pay <sol|usdc> <amount> [--key file]     pay the treasury; prints the signature
 *   burn <mint> [--key file]                   burn an NFT; prints the signature
 *   transfer-pass <mint> <to> [--key file]  move a pass to another wallet
 *
 * Amounts are in SOL / USDC ("0.25"). --key defaults to the test wallet's key file, the local
 * default wallet that `npm run sign-in` also signs in with, so its payments are its own to
 * claim. Keys live under <DATA_DIR>/chain/keys. Refused in production.
 */
import { parseArgs } from 'node:util';
import { PublicKey, type Connection, type Keypair } from '@solana/web3.js';
import { getAssociatedTokenAddressSync } from '../chain/spl-token';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig, type Config } from '../config';
import { openOrm } from '../db/orm';
import type { Collection } from '../db/entities';
import { formatAmount, parseAmount } from '../domain/money';
import { burnNft, mintNfts, mintUsdc, payTreasury, transferNft } from '../chain/dev-tools';
import { registerNftMints } from '../db/nft-mints';
import { readKeypairFile } from '../chain/payer-key';
import {
  LOCAL_KEY_NAMES,
  ensureLocalChainEnv,
  ensureLocalKeys,
  loadLocalKeypair,
  localRpcUrl,
  topUpSol,
  type LocalKeyName,
} from '../chain/local-keys';
import { connectRpc } from '../chain/rpc';

// The chain CLI never issues tokens: a JWT secret is only needed to pass config validation.
const CONFIG_PLACEHOLDERS = { JWT_SECRET: 'chain-cli-does-not-sign-tokens-placeholder' };

const USAGE = `usage: npm run chain -- <command>
  env | keys | balance [wallet] | fund <wallet> <sol> | fund-usdc <wallet> <usdc> | create-usdc
  mint-collection <n> [--owner wallet] | mint-passes <n> [--owner wallet]
  pay <sol|usdc> <amount> [--key file] | burn <mint> [--key file]
  transfer-pass <mint> <to> [--key file]
--key: the paying wallet's key file (default: test-wallet, the wallet npm run sign-in uses)`;

class UsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

function address(config: Config, value: string): PublicKey {
  if ((LOCAL_KEY_NAMES as readonly string[]).includes(value)) {
    return new PublicKey(ensureLocalKeys(config)[value as LocalKeyName].address);
  }
  try {
    return new PublicKey(value);
  } catch {
    throw new UsageError(`"${value}" is not a wallet address or one of ${LOCAL_KEY_NAMES.join(', ')}`);
  }
}

function signer(config: Config, key: string | undefined): Keypair {
  return key ? readKeypairFile(key) : loadLocalKeypair(config, 'test-wallet');
}

function count(value: string | undefined): number {
  const n = Number(need(value, 'a count'));
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new UsageError(`count must be an integer 1..100000, got ${value}`);
  return n;
}

/** A wallet's USDC in base units (0 without a token account). */
async function usdcBalance(connection: Connection, mint: PublicKey, wallet: PublicKey): Promise<bigint> {
  const account = getAssociatedTokenAddressSync(mint, wallet, true);
  const info = await connection.getTokenAccountBalance(account, 'confirmed').catch(() => null);
  return BigInt(info?.value.amount ?? '0');
}

async function withEm<T>(config: Config, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const orm = await openOrm(config.database);
  try {
    return await work(orm.em.fork() as EntityManager);
  } finally {
    await orm.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, owner: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...args] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig({ ...CONFIG_PLACEHOLDERS, ...process.env });
  if (config.isProduction)
    throw new UsageError('the chain CLI is for the local chain; refused in production');
  const connection = connectRpc(localRpcUrl(config), { commitment: 'confirmed' });
  const env = () => ensureLocalChainEnv(config);

  switch (command) {
    case 'env': {
      for (const [key, value] of Object.entries(await env())) console.log(`${key}=${value}`);
      return;
    }
    case 'keys': {
      const keys = ensureLocalKeys(config);
      for (const name of LOCAL_KEY_NAMES)
        console.log(`${name.padEnd(12)} ${keys[name].address}  ${keys[name].file}`);
      return;
    }
    case 'fund': {
      const wallet = address(config, need(args[0], 'a wallet'));
      const lamports = parseAmount(need(args[1], 'an amount of SOL'), 'SOL');
      const before = BigInt(await connection.getBalance(wallet, 'confirmed'));
      await topUpSol(connection, wallet, before + lamports, before + lamports);
      const after = BigInt(await connection.getBalance(wallet, 'confirmed'));
      console.log(
        `funded ${wallet.toBase58()} with ${formatAmount(lamports, 'SOL')} SOL; balance ${formatAmount(after, 'SOL')} SOL`,
      );
      return;
    }
    case 'fund-usdc': {
      const wallet = address(config, need(args[0], 'a wallet'));
      const amount = parseAmount(need(args[1], 'an amount of USDC'), 'USDC');
      const { USDC_MINT } = await env();
      const mint = new PublicKey(USDC_MINT);
      await mintUsdc(connection, loadLocalKeypair(config, 'payer'), mint, wallet, amount);
      console.log(
        `funded ${wallet.toBase58()} with ${formatAmount(amount, 'USDC')} USDC; balance ${formatAmount(await usdcBalance(connection, mint, wallet), 'USDC')} USDC`,
      );
      return;
    }
    case 'balance': {
      const wallet = address(config, args[0] ?? 'test-wallet');
      const { USDC_MINT } = await env();
      const lamports = BigInt(await connection.getBalance(wallet, 'confirmed'));
      const usdc = await usdcBalance(connection, new PublicKey(USDC_MINT), wallet);
      console.log(
        `${wallet.toBase58()}: ${formatAmount(lamports, 'SOL')} SOL, ${formatAmount(usdc, 'USDC')} USDC`,
      );
      return;
    }
    case 'create-usdc': {
      const { USDC_MINT } = await env();
      console.log(`USDC_MINT=${USDC_MINT}`);
      return;
    }
    case 'mint-collection':
    case 'mint-passes': {
      const n = count(args[0]);
      await env();
      const collection: Collection = command === 'mint-collection' ? 'stoned-rabbits' : 'revenue-pass';
      const owner = address(config, values.owner ?? 'test-wallet');
      const payer = loadLocalKeypair(config, 'payer');
      const mints = await mintNfts(connection, payer, owner, n, {
        onMinted: (done) => {
          if (done % 100 === 0 && done < n) console.log(`minted ${done}/${n}`);
        },
      });
      const added = await withEm(config, (em) =>
        registerNftMints(
          em,
          mints,
          collection,
          collection === 'stoned-rabbits' ? 'Stoned Rabbit' : 'Revenue Pass',
        ),
      );
      for (const mint of mints) console.log(mint);
      console.log(
        `minted ${mints.length} ${collection} NFTs to ${owner.toBase58()}; ${added} listed in nft_mints`,
      );
      return;
    }
    case 'pay': {
      const currency = need(args[0], 'sol or usdc').toUpperCase();
      if (currency !== 'SOL' && currency !== 'USDC')
        throw new UsageError(`currency must be sol or usdc, got ${args[0]}`);
      const amount = parseAmount(need(args[1], 'an amount'), currency);
      const { TREASURY_WALLET, USDC_MINT } = await env();
      const from = signer(config, values.key);
      const signature = await payTreasury(
        connection,
        from,
        new PublicKey(TREASURY_WALLET),
        currency,
        amount,
        new PublicKey(USDC_MINT),
      );
      console.log(signature);
      console.log(
        `paid ${formatAmount(amount, currency)} ${currency} from ${from.publicKey.toBase58()} to the treasury ${TREASURY_WALLET}`,
      );
      return;
    }
    case 'burn': {
      const mint = address(config, need(args[0], 'a mint'));
      const owner = signer(config, values.key);
      const signature = await burnNft(connection, owner, mint);
      console.log(signature);
      console.log(`burned ${mint.toBase58()} from ${owner.publicKey.toBase58()}`);
      return;
    }
    case 'transfer-pass': {
      const mint = address(config, need(args[0], 'a mint'));
      const to = address(config, need(args[1], 'a recipient'));
      const from = signer(config, values.key);
      const signature = await transferNft(connection, from, mint, to);
      console.log(signature);
      console.log(`moved ${mint.toBase58()} from ${from.publicKey.toBase58()} to ${to.toBase58()}`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
  else if (error instanceof ConfigError) console.error(error.message);
  else console.error(`chain: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
