import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import { z } from 'zod';
import { findUserByWallet, recordSignIn } from '../../db/users';
import type { User } from '../../db/entities';
import type { RouteModule } from '../app';
import { consumeChallenge, issueChallenge } from '../auth/challenges';
import { issueToken, revokeToken } from '../auth/tokens';
import { authMiddleware, isAdmin, signedInWallet } from '../middleware/auth';
import {
  byBodyWalletAndIp,
  byIp,
  createLimiter,
  rateLimit,
  rateLimitOutcomes,
} from '../middleware/rate-limit';
import { addRoute } from '../route';
import { txSignature, walletAddress } from '../schemas';

export const ProfileSchema = z
  .object({
    email: z.string().nullable(),
    preferences: z.record(z.string(), z.boolean()),
    createdAt: z.string(),
    lastLogin: z.string().nullable(),
  })
  .meta({ id: 'Profile' });

export function profileOf(user: User | null) {
  return {
    email: user?.email ?? null,
    preferences: user?.preferences ?? {},
    createdAt: user?.createdAt?.toISOString() ?? new Date(0).toISOString(),
    lastLogin: user?.lastLogin?.toISOString() ?? null,
  };
}

export const requestMeta = (req: Request) => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});

export const authRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const { config, redis } = deps;
  const perMinute = (name: string, points: number) =>
    createLimiter(redis, { name, points, durationSeconds: 60 });
  // Every budget is the caller's own (keyed on its address): naming someone else's wallet
  // never spends the owner's, so no stranger can lock a wallet, the admin's included, out.
  const ipLimit = rateLimit(perMinute('auth-ip', config.rateLimits.authIpPerMinute), byIp);
  // Only failed verifications (401) count: wrong signatures, stale or foreign challenges.
  const failed = (status: number) => status === 401;
  const verifyLimits = [
    ipLimit,
    rateLimitOutcomes(
      perMinute('auth-fail-wallet-ip', config.rateLimits.authWalletPerMinute),
      byBodyWalletAndIp,
      failed,
    ),
    rateLimitOutcomes(
      createLimiter(redis, {
        name: 'auth-fail-ip',
        points: config.rateLimits.authFailuresPerIpPerHour,
        durationSeconds: 3600,
      }),
      byIp,
      failed,
    ),
  ];
  const requireAuth = authMiddleware(config, redis);
  const tags = ['auth'];

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/auth/request-challenge',
      tags,
      summary: 'Get a one-time Sign-In-With-Solana message to sign',
      description: 'Rate-limited per client address (RATE_LIMIT_AUTH_IP_PER_MINUTE).',
      before: [ipLimit],
      body: z.strictObject({ walletAddress }),
      responses: {
        200: {
          description: 'The message to sign with the wallet (signMessage), valid until expiresAt',
          schema: z.object({ challenge: z.string(), expiresAt: z.string() }),
        },
      },
      errors: [429],
    },
    ({ body }) => issueChallenge(redis, config, body.walletAddress),
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/auth/verify-signature',
      tags,
      summary: 'Exchange a signed challenge for a JWT (7 days)',
      description:
        'Rate-limited per client address (RATE_LIMIT_AUTH_IP_PER_MINUTE); failed attempts also per ' +
        'wallet from that address (RATE_LIMIT_AUTH_WALLET_PER_MINUTE) and per address ' +
        '(RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR). Failures from other addresses never block a wallet.',
      before: verifyLimits,
      body: z.strictObject({
        walletAddress,
        signature: txSignature.meta({ description: 'Base58 ed25519 signature of the challenge bytes' }),
        challenge: z.string().min(1).max(2_000),
      }),
      responses: {
        200: {
          description: 'Signed in',
          schema: z.object({ success: z.literal(true), token: z.string(), expiresAt: z.string() }),
        },
      },
      errors: [401, 429],
    },
    async ({ body }, req) => {
      await consumeChallenge(redis, body.walletAddress, body.challenge, body.signature);
      await recordSignIn(deps.orm.em.fork() as EntityManager, body.walletAddress, requestMeta(req));
      const { token, expiresAt } = issueToken(config, body.walletAddress);
      return { success: true as const, token, expiresAt };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/auth/logout',
      tags,
      summary: 'Revoke the current token',
      secured: true,
      before: [requireAuth],
      responses: { 200: { description: 'Revoked', schema: z.object({ success: z.literal(true) }) } },
    },
    async (_input, req) => {
      await revokeToken(redis, req.auth!);
      return { success: true as const };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/auth/me',
      tags,
      summary: 'The signed-in wallet, whether it is an admin, and its profile',
      secured: true,
      before: [requireAuth],
      responses: {
        200: {
          description: 'Who you are',
          schema: z.object({ walletAddress: z.string(), isAdmin: z.boolean(), profile: ProfileSchema }),
        },
      },
    },
    async (_input, req) => {
      const wallet = signedInWallet(req);
      const user = await findUserByWallet(deps.orm.em.fork() as EntityManager, wallet);
      return { walletAddress: wallet, isAdmin: isAdmin(config, wallet), profile: profileOf(user) };
    },
  );
};
