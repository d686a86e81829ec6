/**
 * Two API instances sharing Redis, as `npm start` runs several: what one process knows
 * locally (rate-limit leases) must still hold across both.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/harness';

const POINTS = 200;
/** The leased limiter's default lease: 1% of the budget. */
const LEASE = Math.ceil(POINTS / 100);

describe('two API instances sharing Redis', () => {
  let a: TestSystem;
  let b: TestSystem;
  beforeAll(async () => {
    const shared = {
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}two-${crypto.randomBytes(3).toString('hex')}:`,
      RATE_LIMIT_API_PER_MINUTE: String(POINTS),
      TRUST_PROXY: 'loopback',
    };
    a = await startTestSystem(shared);
    b = await startTestSystem({ ...shared, RPC_URL: a.env.RPC_URL as string });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('admits a client at most the per-IP budget across both, then 429 on both until the window ends', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < POINTS + 20; i++) {
      const app = i % 2 === 0 ? a.app : b.app;
      statuses.push(
        (await request(app).get('/api/v1/lottery/rounds/current').set('X-Forwarded-For', ip)).status,
      );
    }
    const admitted = statuses.filter((s) => s !== 429).length;
    // Never more than the budget; at most one unspent lease short of it.
    expect(admitted).toBeLessThanOrEqual(POINTS);
    expect(admitted).toBeGreaterThanOrEqual(POINTS - (LEASE - 1));
    const firstRefused = statuses.indexOf(429);
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
    for (const app of [a.app, b.app]) {
      const refused = await request(app).get('/api/v1/lottery/rounds/current').set('X-Forwarded-For', ip);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RateLimited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another client is not affected.
    expect(
      (await request(b.app).get('/api/v1/lottery/rounds/current').set('X-Forwarded-For', '203.0.113.8'))
        .status,
    ).not.toBe(429);
  });
});
