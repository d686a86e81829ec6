/**
 * One-time sign-in challenges: issued to one wallet, kept in Redis with a TTL, and consumed
 * atomically by the first valid verification (a second one, even concurrent, finds nothing).
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import nacl from 'tweetnacl';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import { buildSiwsMessage, siwsNonce } from '../../domain/auth/siws';
import { ApiError } from '../errors';

const key = (nonce: string) => `auth:challenge:${nonce}`;

interface StoredChallenge {
  wallet: string;
  message: string;
}

export async function issueChallenge(redis: Redis, config: Config, wallet: string) {
  const nonce = bs58.encode(crypto.randomBytes(16));
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + config.auth.challengeTtlMs);
  const message = buildSiwsMessage({
    domain: config.auth.domain,
    address: wallet,
    statement:
      'Sign in to Stoned Rabbits. This request will not trigger a blockchain transaction or cost any fees.',
    uri: config.appUrl,
    version: '1',
    chainId: config.solana.cluster,
    nonce,
    issuedAt: issuedAt.toISOString(),
    expirationTime: expiresAt.toISOString(),
  });
  const stored: StoredChallenge = { wallet, message };
  await redis.set(key(nonce), JSON.stringify(stored), 'PX', config.auth.challengeTtlMs);
  return { challenge: message, expiresAt: expiresAt.toISOString() };
}

const invalidChallenge = () =>
  new ApiError(
    401,
    'ChallengeInvalid',
    'challenge: not issued by us, expired, or already used; request a new one',
  );

/**
 * Checks the signature over exactly the issued bytes, then consumes the challenge. Bad input
 * leaves the challenge in place; only a valid signature uses it up, and only once.
 */
export async function consumeChallenge(redis: Redis, wallet: string, challenge: string, signature: string) {
  const nonce = siwsNonce(challenge);
  if (!nonce) throw invalidChallenge();
  const raw = await redis.get(key(nonce));
  if (!raw) throw invalidChallenge();
  const stored = JSON.parse(raw) as StoredChallenge;
  if (stored.message !== challenge) throw invalidChallenge();
  if (stored.wallet !== wallet) {
    throw new ApiError(401, 'ChallengeInvalid', 'walletAddress: the challenge was issued to another wallet');
  }
  const ok = nacl.sign.detached.verify(
    new TextEncoder().encode(challenge),
    bs58.decode(signature),
    bs58.decode(wallet),
  );
  if (!ok)
    throw new ApiError(
      401,
      'signature_invalid',
      'signature: not a valid signature of the challenge by walletAddress',
    );
  // DEL answers 1 to exactly one caller: that caller, and no other, gets a token.
  if ((await redis.del(key(nonce))) !== 1) throw invalidChallenge();
}
