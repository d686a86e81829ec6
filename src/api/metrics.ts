import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Orm } from '../db/orm';
import { metricFacts } from '../db/metrics';
import { businessRegistry, registerDatabaseGauges, registerReadinessGauge } from '../metrics';
import { runProbes, type Probe } from '../readiness';
import { routeLabel } from './route';

/**
 * The API's `/metrics`: HTTP timings and Node defaults, the database-fact and readiness
 * gauges (read on scrape) and the business counters of src/metrics.ts (those this process counted).
 */
export function createMetrics(orm: Orm, probes: Record<string, Probe>) {
  const own = new Registry();
  collectDefaultMetrics({ register: own });
  registerDatabaseGauges(own, () => metricFacts(orm.em.fork() as EntityManager));
  registerReadinessGauge(own, () => runProbes(probes));
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [own],
  });
  /** Labels by the matched route pattern (never the raw URL, which would explode cardinality). */
  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routeLabel(req, res) ?? 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
  return { registry: Registry.merge([own, businessRegistry]), middleware };
}
