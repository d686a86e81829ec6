/**
 * Two API instances sharing Redis, as `npm start` runs several: what one process knows
 * locally (rate-limit leases, revoked tokens) must still hold across both.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { revocationsOf } from '../../src/api/auth/revocations';
import { startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

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

  /** A token from A that B has accepted, once B answers from its local set (subscribed and loaded), not Redis. */
  async function signedInOnBoth() {
    const token = await signIn(a.app, newWallet());
    const me = (app: typeof a.app) =>
      request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    await me(b.app).expect(200);
    await revocationsOf(b.resources.redis).whenCurrent();
    return { token, me };
  }

  it('a token signed out on one instance is refused by the other (its local set, kept by pub/sub)', async () => {
    const { token, me } = await signedInOnBoth();
    await request(a.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await me(b.app).expect(401)).body.error.message).toMatch(/revoked/);
    expect((await me(a.app).expect(401)).body.error.message).toMatch(/revoked/);
  });

  it('a revocation published while the other instance is unsubscribed is still honoured there', async () => {
    const { token, me } = await signedInOnBoth();
    // Cut B's subscription (its connection, found by name) and revoke before it is back: B
    // misses the message, so it must not trust its set until it has reloaded.
    const clients = (await a.resources.redis.client('LIST')) as string;
    const name = `${b.config.redis.keyPrefix}revocations`;
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /^id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await a.resources.redis.client('KILL', 'ID', id);
    await request(a.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await me(b.app).expect(401)).body.error.message).toMatch(/revoked/);
    // Once resubscribed and reloaded, the set has it too.
    await revocationsOf(b.resources.redis).whenCurrent();
    expect((await me(b.app).expect(401)).body.error.message).toMatch(/revoked/);
  });
});
