/** Real ed25519 wallets (tweetnacl) that sign in through the API like a browser wallet would. */
import bs58 from 'bs58';
import nacl from 'tweetnacl';
import request from 'supertest';
import type { Express } from 'express';

export interface TestWallet {
  address: string;
  secretKey: Uint8Array;
  sign(message: string): string;
}

export function newWallet(): TestWallet {
  return walletOf(nacl.sign.keyPair().secretKey);
}

/** The wallet of a 64-byte ed25519 secret key (tweetnacl's, or a Solana `Keypair.secretKey`). */
export function walletOf(secretKey: Uint8Array): TestWallet {
  return {
    address: bs58.encode(secretKey.subarray(32)),
    secretKey,
    sign: (message) => bs58.encode(nacl.sign.detached(new TextEncoder().encode(message), secretKey)),
  };
}

export async function requestChallenge(app: Express, wallet: TestWallet): Promise<string> {
  const res = await request(app)
    .post('/api/v1/auth/request-challenge')
    .send({ walletAddress: wallet.address });
  if (res.status !== 200) throw new Error(`request-challenge: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.challenge as string;
}

/** Signs in and returns the bearer token. */
export async function signIn(app: Express, wallet: TestWallet): Promise<string> {
  const challenge = await requestChallenge(app, wallet);
  const res = await request(app)
    .post('/api/v1/auth/verify-signature')
    .send({ walletAddress: wallet.address, signature: wallet.sign(challenge), challenge });
  if (res.status !== 200) throw new Error(`verify-signature: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}
