import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Redis } from 'ioredis';
import { verifyToken, type AuthContext } from '../auth/tokens';
import { ApiError, forbidden, unauthorized } from '../errors';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

/** Admin = wallet in ADMIN_WALLETS, checked on every request (never baked into the token). */
export const isAdmin = (config: Config, wallet: string | undefined) =>
  wallet !== undefined && config.auth.adminWallets.includes(wallet);

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
  if (!m) throw new ApiError(401, 'InvalidToken', 'Authorization: expected "Bearer <token>"');
  return m[1];
}

/** Answers about a signed-in wallet are its own: no cache (browser or proxy) may keep them. */
function signedIn(req: Request, res: Response, auth: AuthContext): void {
  req.auth = auth;
  res.setHeader('Cache-Control', 'no-store');
}

/** Requires a valid, unrevoked token; sets `req.auth` (once: bulk routes check it before parsing). */
export function authMiddleware(config: Config, redis: Redis): RequestHandler {
  return async (req, res, next) => {
    if (req.auth) return next();
    try {
      const token = bearer(req);
      if (!token) throw unauthorized();
      signedIn(req, res, await verifyToken(config, redis, token));
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Sets `req.auth` when a valid token is sent; anonymous otherwise (an invalid token is still a 401). */
export function optionalAuthMiddleware(config: Config, redis: Redis): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = bearer(req);
      if (token) signedIn(req, res, await verifyToken(config, redis, token));
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Run after authMiddleware; safe without a user (401, never a crash). */
export function adminMiddleware(config: Config): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth) return next(unauthorized());
    if (!isAdmin(config, req.auth.wallet)) return next(forbidden('Admin access required'));
    next();
  };
}

/** The ownership rule: a wallet reads only its own records unless it is an admin. */
export function assertSelfOrAdmin(config: Config, req: Request, wallet: string): void {
  if (!req.auth) throw unauthorized();
  if (req.auth.wallet !== wallet && !isAdmin(config, req.auth.wallet)) {
    throw forbidden('walletAddress: you can only read your own wallet');
  }
}

/** The signed-in wallet (after authMiddleware). */
export function signedInWallet(req: Request): string {
  if (!req.auth) throw unauthorized();
  return req.auth.wallet;
}
