/**
 * Rate limits in Redis (shared by every API process), with an in-memory fallback so the
 * API keeps limiting (per process) rather than failing while Redis is down. The per-IP API
 * budget, spent by every request, is taken from Redis in leases (`createLeasedLimiter`).
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

/** What a budget is spent from: a Redis-backed limiter, or a leased one. */
interface Budget {
  consume(key: string): Promise<unknown>;
}

/** Consumes one point for `key`, or throws the 429 (with Retry-After) once the budget is spent. */
export async function spend(limiter: Budget, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    throw err;
  }
}

/** Consumes one point for `keyOf(req)` (skipped when it returns undefined); 429 with Retry-After. */
export function rateLimit(limiter: Budget, keyOf: (req: Request) => string | undefined): RequestHandler {
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
 * Takes up to ARGV[2] points for KEYS[1] out of ARGV[1] per window of ARGV[3] ms: the window
 * starts at the key's first point (as rate-limiter-flexible's RateLimiterRedis, whose keys
 * these are) and the grant never takes the count past the budget. Answers {granted, ms left}.
 */
const TAKE_LEASE = `
local points, lease, ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local used = tonumber(redis.call('GET', KEYS[1]))
if not used then
  local grant = math.min(lease, points)
  redis.call('SET', KEYS[1], grant, 'PX', ms)
  return {grant, ms}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = ms
  redis.call('PEXPIRE', KEYS[1], ms)
end
local grant = math.max(0, math.min(lease, points - used))
if grant > 0 then redis.call('INCRBY', KEYS[1], grant) end
return {grant, ttl}
`;

/** A key's points taken from Redis and not yet spent here, valid until its window ends. */
interface Lease {
  left: number;
  /** When the Redis window the points came from ends (ms since the epoch). */
  until: number;
  /** Redis had no point left for this window: refuse locally until `until`. */
  exhausted: boolean;
  /** A lease being taken from Redis (one at a time per key). */
  taking?: Promise<void>;
}

/** Leases kept before expired ones are swept. */
const LEASES_BEFORE_SWEEP = 10_000;

/**
 * A per-key budget of `points` per window shared by every API process through Redis, but
 * taken from Redis in leases of up to `leaseSize` points (default 1% of the budget) and spent
 * locally, so a hot key costs one Redis round trip per lease instead of one per request.
 * Semantics: across all processes a key is never admitted more than `points` times per
 * window (every admitted request's point was counted in Redis before it ran; a lease never
 * outlives the window it was taken in); once Redis has no point left, each process refuses
 * the key locally until the window ends (429 with Retry-After, no Redis call). The cost: a
 * process may hold up to `leaseSize - 1` points it has not spent, so a client spreading its
 * requests over P processes may be refused after as few as `points - (P-1)(leaseSize-1)`.
 * While Redis is down each process limits on its own (`points` per window in memory).
 */
export function createLeasedLimiter(redis: Redis, limit: Limit, leaseSize = Math.ceil(limit.points / 100)) {
  const prefix = `rl:${limit.name}:`;
  const windowMs = limit.durationSeconds * 1000;
  const insurance = new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds });
  const leases = new Map<string, Lease>();

  const takeLease = async (key: string, lease: Lease) => {
    const [granted, msLeft] = (await redis.eval(
      TAKE_LEASE,
      1,
      prefix + key,
      limit.points,
      Math.max(1, Math.min(leaseSize, limit.points)),
      windowMs,
    )) as [number, number];
    const until = Date.now() + msLeft;
    // Points left from an older window are not carried over.
    lease.left = lease.until > Date.now() ? lease.left + granted : granted;
    lease.until = until;
    lease.exhausted = granted === 0;
  };

  const sweep = (now: number) => {
    if (leases.size < LEASES_BEFORE_SWEEP) return;
    for (const [key, lease] of leases) if (lease.until <= now && !lease.taking) leases.delete(key);
  };

  return {
    /** Spends one point of `key`; rejects with a RateLimiterRes (msBeforeNext) once it is spent. */
    async consume(key: string): Promise<void> {
      for (;;) {
        const now = Date.now();
        let lease = leases.get(key);
        if (!lease) {
          sweep(now);
          lease = { left: 0, until: 0, exhausted: false };
          leases.set(key, lease);
        }
        if (now < lease.until) {
          if (lease.left > 0) {
            lease.left--;
            return;
          }
          if (lease.exhausted) throw new RateLimiterRes(0, lease.until - now, limit.points, false);
        }
        if (!lease.taking) {
          const taking = takeLease(key, lease).finally(() => {
            if (lease.taking === taking) lease.taking = undefined;
          });
          lease.taking = taking;
        }
        try {
          await lease.taking;
        } catch (err) {
          if (err instanceof RateLimiterRes) throw err;
          // Redis unavailable: this process limits on its own until it is back.
          await insurance.consume(key);
          return;
        }
      }
    },
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
