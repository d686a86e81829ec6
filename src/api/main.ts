/** The API process: `npm run api` (tsx), or compiled `node dist/src/api/main.js` (`npm start`). */
import { ConfigError, describeConfig, loadConfig } from '../config';
import { createLogger } from '../logger';
import { openResources } from '../resources';
import { createApp } from './app';
import { answerClientErrorsAsJson } from './client-errors';
import { allRouteModules } from './routes';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api', config.logFormat);
  const resources = await openResources(config, logger);
  const app = createApp({ config, logger, ...resources }, allRouteModules);
  const server = app.listen(config.port, () => {
    logger.info({ config: describeConfig(config), port: config.port }, 'API listening');
  });
  answerClientErrorsAsJson(server);
  server.on('error', (err) => {
    logger.fatal({ err }, 'API could not listen');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping: draining connections');
    server.close(() => {
      void resources.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('API failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
