/**
 * `npm run sign-in -- [--key file.json] [--api http://localhost:3000]`: signs in to the API
 * with a local keypair (the same challenge flow a browser wallet uses) and prints the JWT.
 * Without --key it makes a keypair under .data/keys/dev-wallet.json on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import bs58 from 'bs58';
import nacl from 'tweetnacl';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function loadKeypair(file: string): nacl.SignKeyPair {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(Array.from(nacl.sign.keyPair().secretKey)), { mode: 0o600 });
  }
  return nacl.sign.keyPair.fromSecretKey(
    Uint8Array.from(JSON.parse(fs.readFileSync(file, 'utf8')) as number[]),
  );
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function main() {
  const api = (arg('api') ?? 'http://localhost:3000').replace(/\/$/, '');
  const keys = loadKeypair(arg('key') ?? path.join('.data', 'keys', 'dev-wallet.json'));
  const walletAddress = bs58.encode(keys.publicKey);
  const { challenge } = (await post(`${api}/api/v1/auth/request-challenge`, { walletAddress })) as {
    challenge: string;
  };
  const signature = bs58.encode(nacl.sign.detached(new TextEncoder().encode(challenge), keys.secretKey));
  const { token } = await post(`${api}/api/v1/auth/verify-signature`, {
    walletAddress,
    signature,
    challenge,
  });
  console.error(`signed in as ${walletAddress}`);
  console.log(token);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
