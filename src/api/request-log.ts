/**
 * One log line per request, written when the answer is sent: method, route pattern, status,
 * time, request id, signed-in wallet and, for an error answer, its code (`PaymentTooSmall`,
 * `ValidationFailed`...); never headers, bodies or query strings (they may
 * carry tokens and e-mail addresses). A 5xx is logged at error (the error middleware adds
 * the stack once), a 503 (a dependency down, /readyz while starting) at warn without a
 * stack, everything else (expected 4xx included) at info.
 * Health and metrics scrapes are not logged.
 */
import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../logger';
import { routeLabel } from './route';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id (X-Request-Id): the caller's if it sent a plausible one. */
    id?: string;
  }
}

const QUIET_PATHS = new Set(['/healthz', '/metrics']);
const CLIENT_REQUEST_ID = /^[\w-]{1,64}$/;

function requestIdOf(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    req.id = requestIdOf(req);
    res.setHeader('X-Request-Id', req.id);
    if (QUIET_PATHS.has(req.path)) return next();
    res.once('finish', () => {
      const line = {
        reqId: req.id,
        method: req.method,
        // The pattern (addRoute sets it), not the URL: no ids, signatures or query strings.
        route: routeLabel(req, res) ?? req.path,
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        wallet: req.auth?.wallet,
        code: res.locals.errorCode as string | undefined,
      };
      if (res.statusCode === 503) logger.warn(line, 'request: dependency unavailable');
      else if (res.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request');
    });
    next();
  };
}
