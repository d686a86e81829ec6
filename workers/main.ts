/** The worker process: `tsx workers/main.ts`. Polls the task queue with every workflow and activity. */
import { createChainDeps } from '../src/chain/deps';
import { ConfigError, describeConfig, loadConfig } from '../src/config';
import { openOrm } from '../src/db/orm';
import { ensureEmailSweeper } from '../src/email/delivery';
import { createLogger, temporalLogFunction } from '../src/logger';
import { connectClient, connectWorker } from '../src/temporal/connection';
import { ensureSearchAttributes } from '../src/temporal/operator';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { bundleWorkflows, createWorker } from './create-worker';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker', config.logFormat);
  // The SDK's logs (activity failures included) go through our logger, at our level.
  installTemporalRuntime(
    config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'INFO',
    temporalLogFunction(logger),
  );
  const orm = await openOrm(config.database);
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
  const worker = await createWorker({
    connection,
    config,
    deps: { config, logger, orm, chain: createChainDeps(config, logger) },
    workflowBundle: config.temporal.workflowBundlePath
      ? { codePath: config.temporal.workflowBundlePath }
      : await bundleWorkflows(),
  });
  logger.info({ config: describeConfig(config), taskQueue: config.temporal.taskQueue }, 'worker polling');
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await worker.run();
  await connection.close();
  await orm.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('worker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
