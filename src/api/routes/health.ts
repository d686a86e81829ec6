import { Router } from 'express';
import type { AppDeps } from '../app';
import { runProbes } from '../../readiness';

/** Liveness, readiness and metrics: outside /api/v1 and never rate limited. */
export function healthRoutes(
  deps: AppDeps,
  metrics: { registry: { contentType: string; metrics(): Promise<string> } },
) {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const { ok, checks } = await runProbes(deps.probes);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
