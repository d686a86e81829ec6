/** JWTs: HS256 pinned, `sub` = wallet, a `jti` that logout revokes (./revocations) until expiry. */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import { ApiError } from '../errors';
import { revocationsOf, revoke } from './revocations';

export interface AuthContext {
  wallet: string;
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * The HMAC key as a KeyObject, made once per secret: given a string, jsonwebtoken first tries
 * (and fails) to parse it as a PEM public key on every verify.
 */
const keys = new Map<string, crypto.KeyObject>();
function hmacKey(secret: string): crypto.KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export function issueToken(config: Config, wallet: string) {
  const jti = crypto.randomUUID();
  const expiresInSeconds = Math.floor(config.auth.tokenTtlMs / 1000);
  const token = jwt.sign({}, hmacKey(config.auth.jwtSecret), {
    algorithm: 'HS256',
    subject: wallet,
    jwtid: jti,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    expiresIn: expiresInSeconds,
  });
  return { token, jti, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
}

const invalidToken = (why: string) => new ApiError(401, 'InvalidToken', `Authorization: ${why}`);

export async function verifyToken(config: Config, redis: Redis, token: string): Promise<AuthContext> {
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, hmacKey(config.auth.jwtSecret), {
      algorithms: ['HS256'],
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    });
    if (typeof decoded === 'string') throw new Error('unexpected payload');
    payload = decoded;
  } catch (err) {
    throw invalidToken(
      err instanceof jwt.TokenExpiredError ? 'token expired; sign in again' : 'invalid token',
    );
  }
  if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
    throw invalidToken('invalid token');
  }
  if (await revocationsOf(redis).isRevoked(payload.jti)) throw invalidToken('token revoked; sign in again');
  return { wallet: payload.sub, jti: payload.jti, exp: payload.exp };
}

export async function revokeToken(redis: Redis, auth: AuthContext): Promise<void> {
  await revoke(redis, auth.jti, auth.exp);
}
