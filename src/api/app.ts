import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { Logger } from '../logger';
import { adminDashboard } from './admin-dashboard';
import { writePlainNumbers } from './json';
import { createMetrics } from './metrics';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { adminMiddleware, authMiddleware } from './middleware/auth';
import { refuseDeepNesting } from './middleware/json-depth';
import { byIp, createLeasedLimiter, rateLimit } from './middleware/rate-limit';
import { buildOpenApiDocument, createRegistry } from './openapi';
import { requestLog } from './request-log';
import type { Probe } from '../readiness';
import { healthRoutes } from './routes/health';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export interface AppDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
  redis: Redis;
  temporal: Client;
  /** Named readiness probes (PostgreSQL, Redis, Temporal, workers, Solana RPC...). */
  probes: Record<string, Probe>;
}

/** What every domain's routes get: the deps, the OpenAPI registry and the base path. */
export interface RouteContext {
  deps: AppDeps;
  registry: OpenAPIRegistry;
  router: Router;
  basePath: string;
}

export type RouteModule = (ctx: RouteContext) => void;

export const API_BASE = '/api/v1';
/** Admin uploads that may exceed BODY_LIMIT (pass hash lists, revenue sources/CSV); BULK_BODY_LIMIT applies. */
const BULK_UPLOAD_PATHS = ['/admin/revenue/passes', '/admin/revenue/distributions'];

export function createApp(deps: AppDeps, routeModules: RouteModule[] = []): Express {
  const { config, logger } = deps;
  const app = express();
  writePlainNumbers(app);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  const metrics = createMetrics(deps.orm, deps.probes);
  app.use(requestLog(logger));
  app.use(metrics.middleware);
  app.use(
    helmet({
      // Swagger UI and the dashboard load their own inline styles.
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Over plain http (local runs) these would send the browser to an https that is not there.
          'upgrade-insecure-requests': config.isProduction ? [] : null,
        },
      },
      strictTransportSecurity: config.isProduction,
    }),
  );
  app.use(healthRoutes(deps, metrics));

  const registry = createRegistry();
  const api = Router();
  const apiLimit = createLeasedLimiter(deps.redis, {
    name: 'api-ip',
    points: config.rateLimits.apiPerMinute,
    durationSeconds: 60,
  });
  api.use(rateLimit(apiLimit, byIp));
  // Admin bulk uploads get a larger limit, parsed only once the caller is known to be an admin
  // (a stranger's 2 MB body costs nothing but the token check); every other body the small one
  // (a parsed body is not parsed twice). Nesting is bounded before anything is parsed.
  api.post(
    BULK_UPLOAD_PATHS,
    authMiddleware(config, deps.redis),
    adminMiddleware(config),
    express.json({ limit: config.bulkBodyLimit, strict: true, verify: refuseDeepNesting }),
  );
  api.use(express.json({ limit: config.bodyLimit, strict: true, verify: refuseDeepNesting }));
  for (const mount of routeModules) mount({ deps, registry, router: api, basePath: API_BASE });
  app.use(API_BASE, api);

  const document = buildOpenApiDocument(registry, config.appUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Stoned Rabbits API' }));
  app.use('/admin', adminDashboard());

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
