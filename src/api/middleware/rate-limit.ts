/**
 * Rate limits in Redis (shared by every API process), with an in-memory fallback so the
 * API keeps limiting (per process) rather than failing while Redis is down.
 */
import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '../errors';

export interface Limit {
  name: string;
  points: number;
  durationSeconds: number;
}

export function createLimiter(redis: Redis, limit: Limit) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `rl:${limit.name}`,
    points: limit.points,
    duration: limit.durationSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds }),
  });
}

export type Limiter = ReturnType<typeof createLimiter>;

/** Consumes one point for `key`, or throws the 429 (with Retry-After) once the budget is spent. */
export async function spend(limiter: Limiter, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    throw err;
  }
}

/** Consumes one point for `keyOf(req)` (skipped when it returns undefined); 429 with Retry-After. */
export function rateLimit(limiter: Limiter, keyOf: (req: Request) => string | undefined): RequestHandler {
  return async (req, _res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    try {
      await spend(limiter, key);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * A budget spent only by the answers `counts` picks (failed sign-ins, accepted submissions):
 * a point is reserved before the request runs (429 once the budget is spent, atomic across
 * concurrent requests) and given back when the answer does not count.
 */
export function rateLimitOutcomes(
  limiter: Limiter,
  keyOf: (req: Request) => string | undefined,
  counts: (status: number) => boolean,
): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    try {
      await spend(limiter, key);
    } catch (err) {
      return next(err);
    }
    res.once('finish', () => {
      if (!counts(res.statusCode)) void limiter.reward(key).catch(() => undefined);
    });
    next();
  };
}

export const byIp = (req: Request) => req.ip ?? 'unknown';

/**
 * The wallet named in the body with the caller's address: a stranger naming a wallet spends
 * only the budget of their own address, never the owner's. (Validation comes after: the
 * wallet is only a key here, at most 44 characters.)
 */
export const byBodyWalletAndIp = (req: Request) => {
  const wallet = (req.body as { walletAddress?: unknown } | undefined)?.walletAddress;
  return typeof wallet === 'string' && wallet.length <= 44 ? `${wallet}|${byIp(req)}` : undefined;
};
