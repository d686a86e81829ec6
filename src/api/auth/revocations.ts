/**
 * Revoked token ids (`jti`), known in each API process without a Redis round trip per request.
 *
 * A revocation is written to Redis (a key per jti with the token's remaining life, for the
 * direct check, and a sorted set of jti by expiry, for loading) and published on a channel.
 * Each process subscribes, loads the set once subscribed, and adds every published jti: from
 * then on its local set holds every revocation Redis has (a message published before the
 * subscription is in the load, one after it arrives on the channel).
 *
 * The local answer "not revoked" is trusted only while the subscription is known to be alive:
 * subscribed, loaded since it last (re)connected, and a PING on it sent within the last
 * `STALE_AFTER_MS` answered (the answer comes after every message published before the PING,
 * on the same connection). Otherwise, on start, after a disconnect, or when the connection goes
 * silent, each request asks Redis directly, as before. So a message lost with a dropped
 * connection never lets a revoked token through; an instance cut off from Redis without the
 * connection closing trusts its set for at most `STALE_AFTER_MS` after its last answered PING.
 * A revocation takes effect on other processes as its message reaches them: Redis writes it to
 * every subscriber before it answers the revoking process, so before the logout is answered.
 */
import type { Redis } from 'ioredis';

const revokedKey = (jti: string) => `auth:revoked:${jti}`;
const REVOKED_SET = 'auth:revoked-set';
/** Channel names are not key-prefixed by ioredis: the prefix is added here, as for keys. */
const channelOf = (redis: Redis) => `${redis.options.keyPrefix ?? ''}auth:revoked`;

const PING_EVERY_MS = 500;
const STALE_AFTER_MS = 1_500;

const nowSeconds = () => Math.floor(Date.now() / 1000);

class RevocationWatch {
  /** jti → expiry (seconds since the epoch): revocations known here. */
  private readonly revoked = new Map<string, number>();
  private readonly subscriber: Redis;
  /** Incremented on every (re)connect: a load of an older connection does not count. */
  private generation = 0;
  private loadedGeneration = -1;
  /** When the last PING that was answered was sent (ms since the epoch). */
  private answeredPingSentAt = 0;
  private readonly timer: NodeJS.Timeout;
  /** `whenCurrent` callers waiting for the set to be trusted. */
  private waiters: (() => void)[] = [];

  constructor(private readonly redis: Redis) {
    const channel = channelOf(redis);
    this.subscriber = redis.duplicate({
      enableOfflineQueue: true,
      connectionName: `${redis.options.keyPrefix ?? ''}revocations`,
    });
    this.subscriber.on('error', () => undefined); // the main client reports Redis being down
    this.subscriber.on('message', (ch: string, message: string) => {
      const [jti, exp] = message.split(' ');
      if (ch === channel && jti) this.revoked.set(jti, Number(exp) || Number.MAX_SAFE_INTEGER);
    });
    this.subscriber.on('close', () => {
      this.generation++;
    });
    this.subscriber.on('ready', () => {
      const generation = ++this.generation;
      void this.load(channel, generation).catch(() => undefined);
    });
    this.timer = setInterval(() => this.heartbeat(), PING_EVERY_MS).unref();
    // The watch lives as long as the client it watches.
    redis.once('end', () => this.close());
  }

  private settle(): void {
    if (!this.trusted()) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Subscribes, then loads every live revocation: nothing revoked before or after is missed. */
  private async load(channel: string, generation: number): Promise<void> {
    await this.subscriber.subscribe(channel);
    const pingSentAt = Date.now();
    const entries = await this.redis.zrangebyscore(REVOKED_SET, nowSeconds(), '+inf', 'WITHSCORES');
    for (let i = 0; i + 1 < entries.length; i += 2) {
      this.revoked.set(entries[i] as string, Number(entries[i + 1]));
    }
    if (generation !== this.generation) return;
    this.loadedGeneration = generation;
    this.answeredPingSentAt = pingSentAt;
    this.settle();
  }

  private heartbeat(): void {
    const sentAt = Date.now();
    if (this.subscriber.status === 'ready') {
      const generation = this.generation;
      void this.subscriber.ping().then(
        () => {
          if (generation !== this.generation) return;
          this.answeredPingSentAt = sentAt;
          this.settle();
        },
        () => undefined,
      );
    }
    const now = nowSeconds();
    for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
  }

  /** The local set holds every revocation Redis has, as of a moment at most STALE_AFTER_MS ago. */
  private trusted(): boolean {
    return (
      this.loadedGeneration === this.generation && Date.now() - this.answeredPingSentAt <= STALE_AFTER_MS
    );
  }

  /** Whether `jti` is revoked: from the local set when it is trusted, else from Redis. */
  async isRevoked(jti: string): Promise<boolean> {
    if (this.revoked.has(jti)) return true;
    if (this.trusted()) return false;
    return (await this.redis.exists(revokedKey(jti))) === 1;
  }

  /** Resolves once the local set is trusted (after start or a reconnect). */
  whenCurrent(): Promise<void> {
    if (this.trusted()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  record(jti: string, exp: number): void {
    this.revoked.set(jti, exp);
  }

  close(): void {
    clearInterval(this.timer);
    this.subscriber.disconnect();
  }
}

const watches = new WeakMap<Redis, RevocationWatch>();

/** The watch over `redis`'s revocations (one per client, started on first use). */
export function revocationsOf(redis: Redis): RevocationWatch {
  let watch = watches.get(redis);
  if (!watch) {
    watch = new RevocationWatch(redis);
    watches.set(redis, watch);
  }
  return watch;
}

/** Revokes `jti` until `exp` (seconds since the epoch) for every API process. */
export async function revoke(redis: Redis, jti: string, exp: number): Promise<void> {
  const ttlSeconds = Math.max(1, exp - nowSeconds());
  await redis
    .multi()
    .set(revokedKey(jti), '1', 'EX', ttlSeconds)
    .zadd(REVOKED_SET, exp, jti)
    .zremrangebyscore(REVOKED_SET, '-inf', nowSeconds() - 1)
    .publish(channelOf(redis), `${jti} ${exp}`)
    .exec();
  revocationsOf(redis).record(jti, exp);
}
