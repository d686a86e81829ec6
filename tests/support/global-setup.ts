/**
 * Once per `jest` run: a Temporal dev server on free ports, a fresh PostgreSQL database
 * (migrated), a Redis key prefix of its own, and the workflow bundle built once. Suites
 * read them from the environment Jest's workers inherit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflows } from '../../workers/create-worker';
import { ensureDatabase, migrateUp, openOrm } from '../../src/db/orm';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server';
import { startTemporalCluster } from '../../scripts/lib/temporal-cluster';
import { freePort } from '../../scripts/lib/ports';

export interface TestRun {
  stopTemporal(): Promise<void>;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  tmpDir: string;
}

declare global {
  var __SR_TEST_RUN__: TestRun | undefined;
}

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `sr-test-${runId}-`));

  const baseDb = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  baseDb.pathname = `/sr_test_${runId}`;
  const databaseUrl = baseDb.toString();
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `sr:test:${runId}:`;

  const [temporal, bundle] = await Promise.all([
    (async () => {
      const cli = ensureTemporalCli({ log: (m: string) => console.log(m) });
      const common = { cli, port: await freePort(), logFile: path.join(tmpDir, 'temporal.log') };
      // TEMPORAL_MODE=cluster: the real server on PostgreSQL, with databases of this run's own.
      if (process.env.TEMPORAL_MODE !== 'cluster') return startTemporalDevServer(common);
      return startTemporalCluster({
        ...common,
        configDir: path.join(tmpDir, 'temporal-cluster'),
        databases: { default: `temporal_${runId}`, visibility: `temporal_visibility_${runId}` },
        dropDatabasesOnStop: true,
      });
    })(),
    bundleWorkflows(),
    (async () => {
      await ensureDatabase(databaseUrl);
      const orm = await openOrm({ url: databaseUrl, poolMax: 2 });
      await migrateUp(orm);
      await orm.close();
    })(),
  ]);

  const bundlePath = path.join(tmpDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    DATA_DIR: tmpDir,
    SR_TEST_WORKFLOW_BUNDLE: bundlePath,
    SR_TEST_TMP: tmpDir,
  });
  globalThis.__SR_TEST_RUN__ = { stopTemporal: temporal.stop, databaseUrl, redisUrl, redisPrefix, tmpDir };
}
