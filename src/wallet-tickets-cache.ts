/**
 * The answers of GET /lottery/tickets/:walletAddress held in Redis (its bytes and ETag per
 * wallet and `roundId` filter), so a page load of a wallet with many tickets costs one Redis
 * round trip instead of PostgreSQL writing the whole answer (about 2 ms of its CPU for 100
 * tickets). Whatever issues a wallet's tickets forgets its answers AFTER its transaction has
 * committed, on every attempt (`forgetWalletTickets`, from the issue activities).
 *
 * Why a stale answer is never served after the forget: a wallet's answers live in one hash
 * with a random token, made by the first read that finds none. A read takes the token and
 * its answer in one round trip; on a miss it queries PostgreSQL (the query starts after the
 * token was read) and stores the answer only if the hash still holds that token. A commit
 * the query missed forgets (deletes) the hash after the token was read: before the store
 * (the token is gone, the store is refused) or after it (the answer goes with the hash). A
 * token is never made twice, so a hash that expired and was made again refuses the stores of
 * reads that began before. The hash expires `ttlMs` after its token was made: a safety net
 * for a write that did not forget (a ticket inserted by hand, a run reset by an operator).
 *
 * Each API process also keeps a copy of the answers it served, with the token they were
 * read or loaded under, and names that token in its read: when the hash still holds it, Redis
 * answers the token alone (tens of bytes instead of the whole answer, which cost Redis and the
 * API more CPU than the round trip). A copy loaded under a token that is gone is never served,
 * for the token never comes back; so a copy is exactly as fresh as the hash it names.
 *
 * Redis failing or not answering within WAIT_MS: the answer comes from PostgreSQL.
 */
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/** An answer's bytes and its ETag (src/api/json.ts `prepareJson`). */
export interface CachedAnswer {
  bytes: Buffer;
  etag: string;
}

/** Redis answers in well under a millisecond; past this it is taken as unavailable for this read. */
const WAIT_MS = 100;
/** The answers each process keeps a copy of, by their bytes (the least recently served go first). */
const COPIES_MAX_BYTES = 8 * 1024 * 1024;
/** At most one warning per this long while Redis keeps failing. */
const WARN_EVERY_MS = 60_000;

/** The hash of a wallet's answers (ioredis adds REDIS_KEY_PREFIX). */
const keyOf = (wallet: string) => `lottery:tickets:${wallet}`;
const fieldOf = (roundId: string | undefined) => (roundId === undefined ? 'all' : `round:${roundId}`);

/**
 * KEYS[1]'s token and its answer in field ARGV[2] (nil if none), or the token alone when it is
 * ARGV[4] (the caller's copy is current); makes the token ARGV[1], expiring in ARGV[3] ms,
 * when there is none.
 */
const READ = `
local token = redis.call('HGET', KEYS[1], 'token')
if not token then
  redis.call('HSET', KEYS[1], 'token', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {ARGV[1], false}
end
if token == ARGV[4] then return {token} end
return {token, redis.call('HGET', KEYS[1], ARGV[2])}
`;
/** Stores ARGV[3] in field ARGV[2] of KEYS[1] only if its token is still ARGV[1]. */
const STORE = `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
`;

interface CacheCommands {
  walletTicketsReadBuffer(
    key: string,
    token: string,
    field: string,
    ttlMs: number,
    copyToken: string,
  ): Promise<[Buffer] | [Buffer, Buffer | null]>;
  walletTicketsStore(key: string, token: string, field: string, value: Buffer): Promise<number>;
}

/** The client with the two scripts defined on it (EVALSHA, loaded on NOSCRIPT by ioredis). */
function commandsOf(redis: Redis): CacheCommands {
  const commands = redis as unknown as Partial<CacheCommands>;
  if (!commands.walletTicketsReadBuffer) {
    redis.defineCommand('walletTicketsRead', { lua: READ, numberOfKeys: 1 });
    redis.defineCommand('walletTicketsStore', { lua: STORE, numberOfKeys: 1 });
  }
  return commands as CacheCommands;
}

/** A stored answer is its ETag, a newline, then its bytes. */
const NEWLINE = 0x0a;
const stored = (answer: CachedAnswer) => Buffer.concat([Buffer.from(`${answer.etag}\n`), answer.bytes]);
function answerOf(value: Buffer): CachedAnswer {
  const end = value.indexOf(NEWLINE);
  return { etag: value.toString('latin1', 0, end), bytes: value.subarray(end + 1) };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * `answer(wallet, roundId, load)`: the cached answer, else `load()` (from PostgreSQL), stored
 * for the next read. `ttlMs` 0 turns the cache off.
 */
export function walletTicketsCache(redis: Redis, ttlMs: number, logger: Logger) {
  /** wallet and field → the answer served last and the token it was read or loaded under. */
  const copies = new Map<string, { token: string; answer: CachedAnswer }>();
  let copiedBytes = 0;
  const keep = (copyKey: string, token: string, answer: CachedAnswer) => {
    const old = copies.get(copyKey);
    if (old) copiedBytes -= old.answer.bytes.length;
    copies.delete(copyKey);
    copies.set(copyKey, { token, answer });
    copiedBytes += answer.bytes.length;
    for (const [k, v] of copies) {
      if (copiedBytes <= COPIES_MAX_BYTES) break;
      copies.delete(k);
      copiedBytes -= v.answer.bytes.length;
    }
  };
  let warnedAt = -Infinity;
  const failed = (err: unknown) => {
    if (Date.now() - warnedAt < WARN_EVERY_MS) return;
    warnedAt = Date.now();
    logger.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'wallet tickets cache unavailable; answering from PostgreSQL',
    );
  };
  return async (
    wallet: string,
    roundId: string | undefined,
    load: () => Promise<CachedAnswer>,
  ): Promise<CachedAnswer> => {
    if (ttlMs <= 0) return load();
    const commands = commandsOf(redis);
    const key = keyOf(wallet);
    const field = fieldOf(roundId);
    const copyKey = `${wallet} ${field}`;
    const copy = copies.get(copyKey);
    let token: string | undefined;
    try {
      const reply = await within(
        commands.walletTicketsReadBuffer(key, crypto.randomUUID(), field, ttlMs, copy?.token ?? ''),
        WAIT_MS,
      );
      token = reply[0].toString();
      if (reply.length === 1 && copy?.token === token) {
        keep(copyKey, token, copy.answer);
        return copy.answer;
      }
      if (reply[1]) {
        const answer = answerOf(reply[1]);
        keep(copyKey, token, answer);
        return answer;
      }
    } catch (err) {
      failed(err);
    }
    const answer = await load();
    if (token !== undefined) {
      keep(copyKey, token, answer);
      void commands.walletTicketsStore(key, token, field, stored(answer)).catch(failed);
    }
    return answer;
  };
}

/** Forgets every cached answer of `wallet`: call it after a transaction that wrote its tickets has committed. */
export async function forgetWalletTickets(redis: Redis, wallet: string): Promise<void> {
  await redis.del(keyOf(wallet));
}
