/**
 * Builds the real system for a suite: config from the run's environment (global-setup),
 * real PostgreSQL/Redis/Temporal clients, the Express app, and a worker on a task queue of
 * the suite's own with the run's workflow bundle. Only the network edges (local chain,
 * mail sink) are stand-ins, and they speak the real protocols.
 */
import crypto from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { createChainDeps } from '../../src/chain/deps';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { loadConfig, type Config } from '../../src/config';
import { dropDatabase, ensureDatabase, migrateUp, openOrm } from '../../src/db/orm';
import { createApp, type AppDeps } from '../../src/api/app';
import { allRouteModules } from '../../src/api/routes';
import { createLogger } from '../../src/logger';
import { openResources, type Resources } from '../../src/resources';
import { connectWorker } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { createWorker } from '../../workers/create-worker';

/** Config for a suite: the run's environment plus the suite's overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, ...overrides });
}

export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${crypto.randomBytes(4).toString('hex')}`;
}

export interface TestSystem {
  config: Config;
  /** The variables this system's config was loaded from on top of process.env (for child processes). */
  env: Record<string, string>;
  deps: AppDeps;
  resources: Resources;
  app: ReturnType<typeof createApp>;
  /** A local chain started for this system when no RPC_URL was given (else null); RPC_URL points at it. */
  chain: LocalChain | null;
  /** A raw query against the system's database (rows as the driver returns them). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A migrated database of a suite's own beside the run's shared one (`<run db>_<suffix>`), for
 * a suite that counts rows or must not see the others' rounds. `drop()` it in afterAll.
 */
export async function ownDatabase(suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `${url.pathname}_${suffix}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const orm = await openOrm({ url: databaseUrl, poolMax: 2 });
  await migrateUp(orm);
  await orm.close();
  return { url: databaseUrl, drop: () => dropDatabase(databaseUrl) };
}

/** The API's dependencies and app, against the run's real services. */
export async function startTestSystem(overrides: Record<string, string> = {}): Promise<TestSystem> {
  const chain = overrides.RPC_URL || process.env.RPC_URL ? null : await startLocalChain({ port: 0 });
  const env = {
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('q'),
    // Suites share one client IP and Redis; a suite that tests limits sets its own.
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR: '1000000',
    RATE_LIMIT_SUBMIT_PER_HOUR: '1000000',
    // Bursts of many purchases per wallet at once; the cap has a test of its own.
    LOTTERY_MAX_PENDING_PER_WALLET: '1000000',
    RATE_LIMIT_INVALID_SUBMIT_PER_HOUR: '1000000',
    ...(chain ? { RPC_URL: chain.url } : {}),
    ...overrides,
  };
  const config = testConfig(env);
  const logger = createLogger(config.logLevel);
  const resources = await openResources(config, logger);
  const deps: AppDeps = { config, logger, ...resources };
  const app = createApp(deps, allRouteModules);
  const close = async () => {
    await resources.close();
    await chain?.close();
  };
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    resources.orm.em.fork().getConnection().execute<T[]>(query, params, 'all');
  return { config, env, deps, resources, app, chain, sql, close };
}

/** A worker on the system's task queue running until `close()`; uses the run's bundle. */
export async function startTestWorker(
  system: TestSystem,
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const bundlePath = process.env.SR_TEST_WORKFLOW_BUNDLE;
  if (!bundlePath)
    throw new Error('SR_TEST_WORKFLOW_BUNDLE is not set: run tests through jest (global-setup)');
  installTemporalRuntime();
  const connection = await connectWorker(system.config.temporal);
  const worker = await createWorker({
    connection,
    config: system.config,
    deps: {
      config: system.config,
      logger: system.deps.logger,
      orm: system.resources.orm,
      redis: system.resources.redis,
      chain: createChainDeps(system.config, system.deps.logger),
    },
    workflowBundle: { codePath: bundlePath },
  });
  const running = worker.run();
  return {
    worker,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
