/**
 * `npm run sign-in -- [--key file.json | --admin] [--api <url>]`: signs in to the API (default
 * APP_URL, http://localhost:3000) with a local keypair, the same challenge flow a browser
 * wallet uses, and prints the JWT.
 *
 * Without --key it signs in as the local default wallet, the chain CLI's `test-wallet`
 * (<DATA_DIR>/chain/keys/test-wallet.json, funded with SOL and USDC by `npm start`), so a
 * payment made with `npm run chain -- pay` is this wallet's to claim. `--admin` signs in as the
 * development-only admin wallet (<DATA_DIR>/keys/admin-wallet.json), which the API treats as an
 * admin when NODE_ENV=development. Both are refused in production; `--key` works anywhere.
 */
import { parseArgs } from 'node:util';
import bs58 from 'bs58';
import nacl from 'tweetnacl';
import type { Keypair } from '@solana/web3.js';
import { ConfigError, devAdminKeyFile, loadConfig, type Config } from '../config';
import { ensureLocalKeys } from '../chain/local-keys';
import { ensureKeypairFile, readKeypairFile } from '../chain/payer-key';

// Signing in issues no tokens here: a JWT secret is only needed to pass config validation.
const CONFIG_PLACEHOLDERS = { JWT_SECRET: 'sign-in-cli-does-not-sign-tokens-placeholder' };

class UsageError extends Error {}

const localConfig = (): Config => loadConfig({ ...CONFIG_PLACEHOLDERS, ...process.env });

/** The keypair to sign in with: --key's file as it is, else a local wallet (made on first use). */
function signer(options: { key?: string; admin?: boolean }): Keypair {
  if (options.key) return readKeypairFile(options.key);
  const config = localConfig();
  if (config.isProduction)
    throw new UsageError('the local wallets are refused in production; pass --key <file>');
  if (options.admin) return ensureKeypairFile(devAdminKeyFile(config.dataDir));
  return readKeypairFile(ensureLocalKeys(config)['test-wallet'].file);
}

/** The API refused a sign-in step; `retryAfterSeconds` when it was rate limited (429). */
export class SignInRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new SignInRefused(
      `${url}: ${res.status} ${JSON.stringify(json)}`,
      res.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return json;
}

/** Signs in to the API at `api` as `keys` (challenge, ed25519 signature) and returns the JWT. */
export async function signInWithKeypair(api: string, keys: Keypair): Promise<string> {
  const base = api.replace(/\/$/, '');
  const walletAddress = keys.publicKey.toBase58();
  const { challenge } = (await post(`${base}/api/v1/auth/request-challenge`, { walletAddress })) as {
    challenge: string;
  };
  const signature = bs58.encode(nacl.sign.detached(new TextEncoder().encode(challenge), keys.secretKey));
  const { token } = await post(`${base}/api/v1/auth/verify-signature`, {
    walletAddress,
    signature,
    challenge,
  });
  return token as string;
}

async function main() {
  const { values } = parseArgs({
    options: { key: { type: 'string' }, admin: { type: 'boolean' }, api: { type: 'string' } },
  });
  if (values.key && values.admin) throw new UsageError('pass --key or --admin, not both');
  const keys = signer(values);
  const token = await signInWithKeypair(values.api ?? localConfig().appUrl, keys);
  console.error(`signed in as ${keys.publicKey.toBase58()}`);
  console.log(token);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(
      err instanceof UsageError || err instanceof ConfigError
        ? err.message
        : `sign-in: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}
