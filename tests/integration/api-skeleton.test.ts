import request from 'supertest';
import { z } from 'zod';
import { createApp, type RouteModule } from '../../src/api/app';
import { addRoute } from '../../src/api/route';
import { startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

/** A route of the test's own, to exercise validation and the error shape. */
const echoRoutes: RouteModule = ({ router, registry, basePath }) => {
  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/test/echo',
      tags: ['test'],
      summary: 'echo',
      body: z.strictObject({ name: z.string().min(1), count: z.number().int().positive() }),
      responses: { 200: { description: 'echoed' } },
    },
    ({ body }) => body,
  );
};

describe('API skeleton', () => {
  let system: TestSystem;
  let app: ReturnType<typeof createApp>;
  const admin = newWallet();
  let adminToken: string;

  beforeAll(async () => {
    system = await startTestSystem({ BODY_LIMIT: '1kb', ADMIN_WALLETS: admin.address });
    app = createApp(system.deps, [echoRoutes]);
    adminToken = await signIn(system.app, admin);
  });
  afterAll(() => system.close());

  it('answers /healthz', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
  });

  it('reports PostgreSQL, Redis and Temporal ready, and no worker until one polls', async () => {
    const before = await request(app).get('/readyz').expect(503);
    expect(before.body.checks).toMatchObject({
      postgres: { ok: true },
      redis: { ok: true },
      temporal: { ok: true },
      workers: { ok: false, detail: 'no worker is polling' },
    });
    const worker = await startTestWorker(system);
    try {
      // The server learns of pollers when they poll; ask until it reports them.
      const deadline = Date.now() + 20_000;
      let res = await request(app).get('/readyz');
      while (res.status !== 200 && Date.now() < deadline) res = await request(app).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body.checks.workers.pollers.workflow).toBeGreaterThan(0);
      expect(res.body.checks.workers.pollers.activity).toBeGreaterThan(0);
    } finally {
      await worker.close();
    }
  });

  it('validates bodies and names the field', async () => {
    await request(app)
      .post('/api/v1/test/echo')
      .send({ name: 'a', count: 2 })
      .expect(200, { name: 'a', count: 2 });
    const res = await request(app).post('/api/v1/test/echo').send({ name: '', count: -1 }).expect(400);
    expect(res.body.error.code).toBe('ValidationFailed');
    expect(res.body.error.message).toMatch(/body\.name/);
    expect(res.body.error.message).toMatch(/body\.count/);
  });

  it('rejects unknown fields', async () => {
    const res = await request(app)
      .post('/api/v1/test/echo')
      .send({ name: 'a', count: 1, admin: true })
      .expect(400);
    expect(res.body.error.message).toMatch(/admin/);
  });

  it('answers malformed JSON, oversized bodies and unknown routes in the JSON error shape', async () => {
    const malformed = await request(app)
      .post('/api/v1/test/echo')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.error.code).toBe('MalformedJson');

    const big = await request(app)
      .post('/api/v1/test/echo')
      .send({ name: 'x'.repeat(5_000), count: 1 })
      .expect(413);
    expect(big.body.error.code).toBe('BodyTooLarge');

    // Bulk upload paths are parsed under BULK_BODY_LIMIT (2mb default) instead, for an admin
    // only: this 7 kB body gets past the parser (to this app's 404: it mounts no revenue
    // routes); 2.3 MB does not.
    const bulk = (body: unknown) =>
      request(app)
        .post('/api/v1/admin/revenue/passes')
        .set('Authorization', `Bearer ${adminToken}`)
        .send(body as object);
    const hashList = { mints: Array.from({ length: 200 }, () => '11111111111111111111111111111111') };
    await bulk(hashList).expect(404);
    const huge = { mints: Array.from({ length: 70_000 }, () => '11111111111111111111111111111111') };
    const refused = await bulk(huge).expect(413);
    expect(refused.body.error.code).toBe('BodyTooLarge');

    const missing = await request(app).get('/api/v1/nope').expect(404);
    expect(missing.headers['content-type']).toMatch(/json/);
    expect(missing.body.error).toEqual({ code: 'NotFound', message: 'No route for GET /api/v1/nope' });
  });

  it('serves metrics, the OpenAPI document and Swagger UI', async () => {
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    const doc = await request(app).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.0.3');
    expect(doc.body.paths['/api/v1/test/echo'].post.requestBody).toBeDefined();
    const ui = await request(app).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
