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

/** Consumes one point for `keyOf(req)` (skipped when it returns undefined); 429 with Retry-After. */
export function rateLimit(limiter: Limiter, keyOf: (req: Request) => string | undefined): RequestHandler {
  return async (req, _res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    try {
      await limiter.consume(key);
      next();
    } catch (err) {
      if (err instanceof RateLimiterRes)
        return next(tooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000))));
      next(err);
    }
  };
}

export const byIp = (req: Request) => req.ip ?? 'unknown';

/** The wallet named in the body, when it is a plausible one (validation comes after). */
export const byBodyWallet = (req: Request) => {
  const wallet = (req.body as { walletAddress?: unknown } | undefined)?.walletAddress;
  return typeof wallet === 'string' && wallet.length <= 44 ? wallet : undefined;
};
