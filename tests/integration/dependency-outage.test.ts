import request from 'supertest';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestSystem, type TestSystem } from '../support/harness';

/** PostgreSQL and Redis reached through proxies this suite can cut and restore. */
describe('dependency outage', () => {
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let system: TestSystem;

  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    const redis = new URL(process.env.REDIS_URL!);
    pgProxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
    redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    db.host = `127.0.0.1:${pgProxy.port}`;
    redis.host = `127.0.0.1:${redisProxy.port}`;
    system = await startTestSystem({ DATABASE_URL: db.toString(), REDIS_URL: redis.toString() });
  });
  afterAll(async () => {
    await system.close();
    await Promise.all([pgProxy.close(), redisProxy.close()]);
  });

  async function readyUntil(predicate: (body: { checks: Record<string, { ok: boolean }> }) => boolean) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await request(system.app).get('/readyz');
      if (predicate(res.body) || Date.now() > deadline) return res;
    }
  }

  it('reports each dependency down with 503, keeps /healthz up, and recovers', async () => {
    const up = await readyUntil((b) => Boolean(b.checks.postgres?.ok && b.checks.redis?.ok));
    expect(up.body.checks.postgres.ok).toBe(true);

    pgProxy.pause();
    redisProxy.pause();
    const down = await readyUntil((b) => !b.checks.postgres?.ok && !b.checks.redis?.ok);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not_ready');
    expect(down.body.checks.postgres).toMatchObject({ ok: false });
    expect(down.body.checks.redis).toMatchObject({ ok: false });
    expect(JSON.stringify(down.body)).not.toMatch(/password|secret/i);
    await request(system.app).get('/healthz').expect(200);

    pgProxy.resume();
    redisProxy.resume();
    const back = await readyUntil((b) => Boolean(b.checks.postgres?.ok && b.checks.redis?.ok));
    expect(back.body.checks.postgres.ok).toBe(true);
    expect(back.body.checks.redis.ok).toBe(true);
  });
});
