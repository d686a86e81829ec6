/**
 * The worker process: `npm run worker` (tsx), or compiled `node dist/workers/main.js` (`npm
 * start`, the image). Polls the task queue with every workflow and activity. Metrics on two
 * ports (config.workerMetrics): the Temporal SDK's own exporter (it owns its HTTP server) and,
 * beside it, our business metrics and Node defaults (prom-client).
 */
import http from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import os from 'node:os';
import { createChainDeps } from '../src/chain/deps';
import { ConfigError, describeConfig, loadConfig } from '../src/config';
import { openOrm } from '../src/db/orm';
import { ensureEmailSweeper } from '../src/email/delivery';
import { createLogger, temporalLogFunction } from '../src/logger';
import { connectClient, connectWorker } from '../src/temporal/connection';
import { ensureSearchAttributes } from '../src/temporal/operator';
import { businessRegistry } from '../src/metrics';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { openRedis } from '../src/resources';
import { createWorker, workerWorkflowBundle } from './create-worker';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker', config.logFormat);
  // The SDK's logs (activity failures included) go through our logger, at our level.
  installTemporalRuntime(
    config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'INFO',
    temporalLogFunction(logger),
    `0.0.0.0:${config.workerMetrics.sdk}`,
  );
  const metricsServer = await serveBusinessMetrics(config.workerMetrics.business);
  const orm = await openOrm(config.database);
  const redis = openRedis(config, logger);
  const client = await connectClient(config.temporal);
  if (!config.temporal.local) {
    const added = await ensureSearchAttributes(client).catch((err: Error) => {
      logger.warn(
        { err: err.message },
        'could not register search attributes; register them with the temporal CLI',
      );
      return [];
    });
    if (added.length) logger.info({ added }, 'registered search attributes');
  }
  // The outbox sweeper delivers e-mails nobody started (idempotent: one per task queue).
  await ensureEmailSweeper(client, config);
  await client.connection.close();
  const connection = await connectWorker(config.temporal);
  // Distinct per process, so /readyz tells the workers `npm start` runs (WORKERS=N) apart.
  const identity = `worker-${config.workerIndex}@${os.hostname()}:${process.pid}`;
  const worker = await createWorker({
    connection,
    identity,
    config,
    deps: { config, logger, orm, redis, chain: createChainDeps(config, logger) },
    workflowBundle: await workerWorkflowBundle(config.temporal.workflowBundlePath),
  });
  logger.info(
    {
      config: describeConfig(config),
      taskQueue: config.temporal.taskQueue,
      identity,
      metricsPorts: { sdk: config.workerMetrics.sdk, business: config.workerMetrics.business },
    },
    'worker polling',
  );
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await worker.run();
  await connection.close();
  await orm.close();
  await redis.quit().catch(() => redis.disconnect());
  metricsServer.closeAllConnections();
  await new Promise((resolve) => metricsServer.close(resolve));
  logger.info('worker stopped');
}

/** Serves `GET /metrics`: the business metrics of src/metrics.ts and this process's Node defaults. */
async function serveBusinessMetrics(port: number): Promise<http.Server> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const merged = Registry.merge([registry, businessRegistry]);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    merged.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': merged.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  return server;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('worker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
