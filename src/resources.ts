/**
 * Opens the long-lived clients a process needs (PostgreSQL, Redis, Temporal) from config,
 * and the readiness probes over them. One way to build them for the API, the worker, the
 * CLIs and the tests.
 */
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { createChainConnection, rpcEndpoint } from './chain/rpc';
import type { Config } from './config';
import { openOrm, type Orm } from './db/orm';
import type { Logger } from './logger';
import { workerPollers, type Probe } from './readiness';
import { connectionOptions } from './temporal/connection';
import { describePollers } from './temporal/operator';

export interface Resources {
  orm: Orm;
  redis: Redis;
  temporal: Client;
  probes: Record<string, Probe>;
  close(): Promise<void>;
}

export function openRedis(config: Config, logger: Logger): Redis {
  const redis = new Redis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    // Fail fast while disconnected instead of queueing: callers answer 503, readiness says why.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message }, 'redis unavailable; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis reconnected');
    down = false;
  });
  return redis;
}

/** Waits for the first connection (bounded): a process that starts while Redis is down still starts. */
async function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
  });
}

export function createProbes(
  config: Config,
  orm: Orm,
  redis: Redis,
  temporal: Client,
): Record<string, Probe> {
  return {
    postgres: async () => {
      await orm.em.getConnection().execute('select 1');
      return { ok: true };
    },
    redis: async () => ({ ok: (await redis.ping()) === 'PONG' }),
    temporal: async () => {
      await temporal.workflowService.getSystemInfo({});
      return { ok: true, address: config.temporal.address, namespace: config.temporal.namespace };
    },
    workers: async () => {
      const { pollers, workers } = workerPollers(await describePollers(temporal, config.temporal.taskQueue));
      const ok = pollers.workflow > 0 && pollers.activity > 0;
      return {
        ok,
        taskQueue: config.temporal.taskQueue,
        pollers,
        workers,
        ...(ok ? {} : { detail: 'no worker is polling' }),
      };
    },
    solana: solanaProbe(config),
  };
}

/** Solana RPC reachable (local chain or remote), named by scheme and host only: never its key. */
function solanaProbe(config: Config): Probe {
  const endpoint = rpcEndpoint(config);
  // One quick attempt: readiness reports the state now; retrying is the callers' business.
  const connection = createChainConnection(config, { maxAttempts: 1, timeoutMs: 1_500 });
  return async () => {
    const slot = await connection.getSlot();
    return {
      ok: true,
      rpc: endpoint.label,
      local: endpoint.local,
      commitment: config.solana.commitment,
      slot,
    };
  };
}

export async function openResources(config: Config, logger: Logger): Promise<Resources> {
  const orm = await openOrm(config.database);
  const redis = openRedis(config, logger);
  await redisReady(redis, 5_000);
  // Lazy: the process starts even while Temporal is down; /readyz reports it until it returns.
  const connection = Connection.lazy(connectionOptions(config.temporal));
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  return {
    orm,
    redis,
    temporal,
    probes: createProbes(config, orm, redis, temporal),
    async close() {
      await Promise.allSettled([
        orm.close(),
        redis.quit().catch(() => redis.disconnect()),
        connection.close(),
      ]);
    },
  };
}
