import bs58 from 'bs58';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, requestChallenge, signIn, type TestWallet } from '../support/wallet';

const VERIFY = '/api/v1/auth/verify-signature';
const CHALLENGE = '/api/v1/auth/request-challenge';

describe('wallet sign-in', () => {
  let system: TestSystem;
  let admin: TestWallet;

  beforeAll(async () => {
    admin = newWallet();
    system = await startTestSystem({
      ADMIN_WALLETS: admin.address,
      AUTH_CHALLENGE_TTL: '2s',
      RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '1000',
      RATE_LIMIT_AUTH_IP_PER_MINUTE: '1000',
    });
  });
  afterAll(() => system.close());

  const app = () => system.app;
  const countUsers = async (wallet: string) =>
    (
      await system.sql<{ n: number }>('select count(*)::int as n from users where wallet_address = ?', [
        wallet,
      ])
    )[0]!.n;

  it('issues a Sign-In-With-Solana challenge bound to the wallet, nonce and expiry', async () => {
    const wallet = newWallet();
    const res = await request(app()).post(CHALLENGE).send({ walletAddress: wallet.address }).expect(200);
    const lines = (res.body.challenge as string).split('\n');
    expect(lines[0]).toBe('localhost:3000 wants you to sign in with your Solana account:');
    expect(lines[1]).toBe(wallet.address);
    expect(res.body.challenge).toMatch(
      /\nURI: http:\/\/localhost:3000\nVersion: 1\nChain ID: \w+\nNonce: \w{8,}\nIssued At: \S+\nExpiration Time: \S+$/,
    );
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('signs in, creates the user with last_login and a sign-in event, and answers /me', async () => {
    const wallet = newWallet();
    const token = await signIn(app(), wallet);
    const claims = jwt.decode(token, { complete: true })!;
    expect(claims.header.alg).toBe('HS256');
    expect(claims.payload).toMatchObject({
      sub: wallet.address,
      iss: 'stoned-rabbits-api',
      aud: 'stoned-rabbits',
    });
    const payload = claims.payload as jwt.JwtPayload;
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(7 * 86_400);

    const me = await request(app())
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body).toMatchObject({
      walletAddress: wallet.address,
      isAdmin: false,
      profile: { email: null },
    });
    expect(me.body.profile.lastLogin).toEqual(expect.any(String));
    const events = await system.sql<{ event_type: string; user_agent: string }>(
      'select event_type, user_agent from analytics_events where wallet_address = ?',
      [wallet.address],
    );
    expect(events).toEqual([expect.objectContaining({ event_type: 'auth.sign_in' })]);
  });

  it('gives exactly one token when the same challenge is verified twice concurrently', async () => {
    const wallet = newWallet();
    const challenge = await requestChallenge(app(), wallet);
    const body = { walletAddress: wallet.address, signature: wallet.sign(challenge), challenge };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(app()).post(VERIFY).send(body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    const again = await request(app()).post(VERIFY).send(body).expect(401);
    expect(again.body.error.code).toBe('ChallengeInvalid');
  });

  describe('refuses, naming the problem and storing nothing', () => {
    const refuse = async (body: object, status: number, message: RegExp, wallet?: string) => {
      const res = await request(app()).post(VERIFY).send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      if (wallet) expect(await countUsers(wallet)).toBe(0);
    };

    it('malformed or wrong-length wallets and signatures', async () => {
      for (const walletAddress of [
        '',
        'not base58 0OIl',
        bs58.encode(crypto.randomBytes(31)),
        bs58.encode(crypto.randomBytes(33)),
        42,
      ]) {
        const res = await request(app()).post(CHALLENGE).send({ walletAddress });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/body\.walletAddress/);
      }
      const wallet = newWallet();
      const challenge = await requestChallenge(app(), wallet);
      for (const signature of [
        '0OIl',
        bs58.encode(crypto.randomBytes(63)),
        bs58.encode(crypto.randomBytes(65)),
      ]) {
        await refuse(
          { walletAddress: wallet.address, signature, challenge },
          400,
          /body\.signature/,
          wallet.address,
        );
      }
      // The challenge was not used up by bad input: the real signature still works.
      await request(app())
        .post(VERIFY)
        .send({ walletAddress: wallet.address, signature: wallet.sign(challenge), challenge })
        .expect(200);
    });

    it('a challenge never issued', async () => {
      const wallet = newWallet();
      const forged = (await requestChallenge(app(), newWallet()))
        .replace(/Nonce: \w+/, 'Nonce: abcdefgh12345678')
        .replace(/\n[1-9A-HJ-NP-Za-km-z]{32,44}\n/, `\n${wallet.address}\n`);
      await refuse(
        { walletAddress: wallet.address, signature: wallet.sign(forged), challenge: forged },
        401,
        /challenge: not issued by us/,
        wallet.address,
      );
    });

    it('a challenge edited by one character', async () => {
      const wallet = newWallet();
      const challenge = await requestChallenge(app(), wallet);
      const edited = challenge.replace('Sign in to', 'Sign in To');
      await refuse(
        { walletAddress: wallet.address, signature: wallet.sign(edited), challenge: edited },
        401,
        /challenge/,
        wallet.address,
      );
    });

    it('a challenge issued to another wallet', async () => {
      const victim = newWallet();
      const attacker = newWallet();
      const challenge = await requestChallenge(app(), victim);
      await refuse(
        { walletAddress: attacker.address, signature: attacker.sign(challenge), challenge },
        401,
        /walletAddress: the challenge was issued to another wallet/,
        attacker.address,
      );
    });

    it('a signature by another key', async () => {
      const wallet = newWallet();
      const challenge = await requestChallenge(app(), wallet);
      await refuse(
        { walletAddress: wallet.address, signature: newWallet().sign(challenge), challenge },
        401,
        /signature: not a valid signature/,
        wallet.address,
      );
    });

    it('an expired challenge', async () => {
      const wallet = newWallet();
      const challenge = await requestChallenge(app(), wallet);
      // The challenge lives in Redis with a TTL (2 s here): wait for Redis to drop it.
      const key = `auth:challenge:${/Nonce: (\w+)/.exec(challenge)![1]}`;
      const deadline = Date.now() + 10_000;
      while ((await system.resources.redis.exists(key)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await refuse(
        { walletAddress: wallet.address, signature: wallet.sign(challenge), challenge },
        401,
        /expired/,
        wallet.address,
      );
    });

    it('extra unknown fields and oversized bodies', async () => {
      const wallet = newWallet();
      const res = await request(app())
        .post(CHALLENGE)
        .send({ walletAddress: wallet.address, isAdmin: true })
        .expect(400);
      expect(res.body.error.message).toMatch(/isAdmin/);
      const big = await request(app())
        .post(CHALLENGE)
        .send({ walletAddress: 'x'.repeat(200_000) })
        .expect(413);
      expect(big.body.error.code).toBe('BodyTooLarge');
    });
  });

  describe('tokens', () => {
    const me = (token: string) =>
      request(app()).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    const sign = (payload: object, secret: string, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, secret, {
        issuer: 'stoned-rabbits-api',
        audience: 'stoned-rabbits',
        jwtid: crypto.randomUUID(),
        ...options,
      });

    it('rejects a missing, malformed, alg:none, foreign-secret or expired token', async () => {
      const wallet = newWallet();
      expect((await request(app()).get('/api/v1/auth/me').expect(401)).body.error.message).toMatch(
        /Sign in required/,
      );
      await me('not a token').expect(401);
      const none = sign({ sub: wallet.address }, '', { algorithm: 'none' });
      expect((await me(none).expect(401)).body.error.code).toBe('InvalidToken');
      await me(sign({ sub: wallet.address }, 'another-secret-another-secret-12345')).expect(401);
      const expired = sign(
        { sub: wallet.address, exp: Math.floor(Date.now() / 1000) - 10 },
        system.config.auth.jwtSecret,
      );
      expect((await me(expired).expect(401)).body.error.message).toMatch(/expired/);
      const hs512 = sign({ sub: wallet.address }, system.config.auth.jwtSecret, {
        algorithm: 'HS512',
        expiresIn: 60,
      });
      await me(hs512).expect(401);
    });

    it('logout revokes the token until it expires', async () => {
      const token = await signIn(app(), newWallet());
      await me(token).expect(200);
      await request(app()).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
      expect((await me(token).expect(401)).body.error.message).toMatch(/revoked/);
      await request(app()).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(401);
    });
  });

  describe('admin', () => {
    it('refuses admin routes to anonymous (401) and non-admin wallets (403)', async () => {
      await request(app()).get('/api/v1/admin/users').expect(401);
      const token = await signIn(app(), newWallet());
      const res = await request(app())
        .get('/api/v1/admin/users')
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
      expect(res.body.error).toEqual({ code: 'Forbidden', message: 'Admin access required' });
    });

    it('checks the admin list on every request', async () => {
      const token = await signIn(app(), admin);
      const meRes = await request(app())
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(meRes.body.isAdmin).toBe(true);
      await request(app()).get('/api/v1/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
      const list = system.config.auth.adminWallets;
      list.splice(list.indexOf(admin.address), 1);
      try {
        await request(app()).get('/api/v1/admin/users').set('Authorization', `Bearer ${token}`).expect(403);
      } finally {
        list.push(admin.address);
      }
    });

    it('searches users by wallet with counts, and shows their activity', async () => {
      const wallet = newWallet();
      await signIn(app(), wallet);
      const token = await signIn(app(), admin);
      const auth = { Authorization: `Bearer ${token}` };
      const found = await request(app())
        .get('/api/v1/admin/users')
        .query({ q: wallet.address.slice(0, 12) })
        .set(auth)
        .expect(200);
      expect(found.body.users).toEqual([
        expect.objectContaining({ walletAddress: wallet.address, ticketCount: 0, claimCount: 0 }),
      ]);
      const activity = await request(app())
        .get(`/api/v1/admin/users/${wallet.address}/activity`)
        .set(auth)
        .expect(200);
      expect(activity.body.events[0]).toMatchObject({ type: 'auth.sign_in' });
      await request(app()).get('/api/v1/admin/users').query({ pageSize: 0 }).set(auth).expect(400);
      await request(app()).get('/api/v1/admin/users/nope/activity').set(auth).expect(400);
    });
  });

  describe('profile', () => {
    it('sets a validated e-mail and preferences', async () => {
      const wallet = newWallet();
      const token = await signIn(app(), wallet);
      const auth = { Authorization: `Bearer ${token}` };
      const res = await request(app())
        .put('/api/v1/users/me')
        .set(auth)
        .send({ email: 'Holder@Example.com', preferences: { emailDistributions: false } })
        .expect(200);
      expect(res.body).toMatchObject({
        email: 'holder@example.com',
        preferences: { emailDistributions: false },
      });
      for (const body of [
        { email: 'not-an-email' },
        { preferences: { emailSpam: true } },
        {},
        { email: 'a@b.co', extra: 1 },
      ]) {
        const bad = await request(app()).put('/api/v1/users/me').set(auth).send(body);
        expect(bad.status).toBe(400);
      }
      const after = await request(app()).get('/api/v1/auth/me').set(auth).expect(200);
      expect(after.body.profile.email).toBe('holder@example.com');
    });
  });
});

describe('rate limits', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      RATE_LIMIT_AUTH_IP_PER_MINUTE: '3',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}rl-${crypto.randomBytes(3).toString('hex')}:`,
    });
  });
  afterAll(() => system.close());

  it('answers 429 with Retry-After past the per-IP auth limit', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await request(system.app).post(CHALLENGE).send({ walletAddress: newWallet().address });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('sign-in limits protect the owner, not punish them', () => {
  let system: TestSystem;
  let admin: TestWallet;
  let nextIp = 1;
  /** A client address of its own (X-Forwarded-For, trusted from loopback in this system). */
  const newIp = () => `198.51.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

  beforeAll(async () => {
    admin = newWallet();
    // The shipped limits, not the harness's unlimited ones.
    system = await startTestSystem({
      ADMIN_WALLETS: admin.address,
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_AUTH_IP_PER_MINUTE: '30',
      RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '10',
      RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR: '15',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}rl-${crypto.randomBytes(3).toString('hex')}:`,
    });
  });
  afterAll(() => system.close());

  const challengeFrom = (ip: string, walletAddress: string) =>
    request(system.app).post(CHALLENGE).set('X-Forwarded-For', ip).send({ walletAddress });
  const verifyFrom = (ip: string, body: object) =>
    request(system.app).post(VERIFY).set('X-Forwarded-For', ip).send(body);

  it('lets the admin sign in at once after 50 strangers from 50 addresses named the admin', async () => {
    const stranger = newWallet();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const ip = newIp();
        const issued = await challengeFrom(ip, admin.address);
        // A signature by the wrong key over the admin's real challenge: a failed sign-in.
        const challenge = issued.body.challenge as string;
        const forged = await verifyFrom(ip, {
          walletAddress: admin.address,
          signature: stranger.sign(challenge),
          challenge,
        });
        return `${issued.status}/${forged.status}`;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set(['200/401']));

    const ip = newIp();
    const challenge = (await challengeFrom(ip, admin.address).expect(200)).body.challenge as string;
    const signedIn = await verifyFrom(ip, {
      walletAddress: admin.address,
      signature: admin.sign(challenge),
      challenge,
    }).expect(200);
    expect(signedIn.body.token).toEqual(expect.any(String));
  });

  it('limits challenges per address, whatever wallet they name', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await challengeFrom(ip, admin.address)).status);
    // Far past the old 10-per-wallet limit: only the address's own 30 per minute.
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    const refused = await challengeFrom(ip, admin.address).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, elsewhere, is not affected.
    await challengeFrom(newIp(), admin.address).expect(200);
  });

  it('counts only failed verifications, per wallet and address and per address', async () => {
    const owner = newWallet();
    const stranger = newWallet();
    const ip = newIp();
    // Successful sign-ins from one address spend no failure budget.
    for (let i = 0; i < 12; i++) {
      const challenge = (await challengeFrom(ip, owner.address).expect(200)).body.challenge as string;
      await verifyFrom(ip, {
        walletAddress: owner.address,
        signature: owner.sign(challenge),
        challenge,
      }).expect(200);
    }

    // A stranger's address: 10 failures naming the owner, then that pair is refused...
    const strangerIp = newIp();
    const challenge = (await challengeFrom(strangerIp, owner.address).expect(200)).body.challenge as string;
    const forged = { walletAddress: owner.address, signature: stranger.sign(challenge), challenge };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await verifyFrom(strangerIp, forged)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // ...and, with other wallets, the address's own failure budget (15) runs out.
    const others: number[] = [];
    for (let i = 0; i < 6; i++) {
      const other = newWallet();
      const c = (await challengeFrom(strangerIp, other.address).expect(200)).body.challenge as string;
      others.push(
        (
          await verifyFrom(strangerIp, {
            walletAddress: other.address,
            signature: stranger.sign(c),
            challenge: c,
          })
        ).status,
      );
    }
    expect(others).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await verifyFrom(strangerIp, forged).expect(429);
    expect(limited.body.error.code).toBe('RateLimited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // The owner, from its own address, signs in at once.
    const own = (await challengeFrom(ip, owner.address).expect(200)).body.challenge as string;
    await verifyFrom(ip, { walletAddress: owner.address, signature: owner.sign(own), challenge: own }).expect(
      200,
    );
  });
});
