/**
 * One way to declare an endpoint: its zod schemas validate the request and document it in
 * OpenAPI at the same time. Handlers get parsed input and return the JSON body (status 200)
 * or call `res` themselves for other statuses.
 */
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { ErrorSchema } from './openapi';
import { ApiError } from './errors';
import { zodToApiError } from './middleware/errors';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnySchema = z.ZodType;
type Out<S> = S extends AnySchema ? z.output<S> : undefined;

export interface RouteSpec<B, Q, P> {
  method: Method;
  /** Express path relative to the router, e.g. `/tickets/:walletAddress`. */
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Middleware run before validation (auth, rate limits). */
  before?: RequestHandler[];
  secured?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  /** Documented success responses: status → schema (or description only). */
  responses: Record<number, { description: string; schema?: AnySchema; contentType?: string }>;
  /** Documented error statuses beyond 400. */
  errors?: number[];
  /** The `error.code`s a documented status can carry, named in its description. */
  errorCodes?: Partial<Record<number, string[]>>;
}

export interface RouteInput<B, Q, P> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
}

/** Control characters a field may hold: none in a query or path; tab and line breaks in a body. */
const FORBIDDEN_CONTROL = {
  body: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/,
  query: /[\u0000-\u001f\u007f]/,
  params: /[\u0000-\u001f\u007f]/,
} as const;

/** The path of the first string (key or value) in `value` with a forbidden control character. */
function controlCharacterAt(value: unknown, forbidden: RegExp, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return forbidden.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (forbidden.test(key)) return [...path, key];
    const found = controlCharacterAt(inner, forbidden, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function parse(schema: AnySchema | undefined, value: unknown, where: keyof typeof FORBIDDEN_CONTROL) {
  if (!schema) return undefined;
  // PostgreSQL text cannot hold NUL, and no field of ours means a control character: refused
  // here, named, before any schema (or query) sees it.
  const at = controlCharacterAt(value, FORBIDDEN_CONTROL[where]);
  if (at) {
    const field = [where, ...at].join('.');
    throw new ApiError(
      400,
      'ValidationFailed',
      `Invalid request: ${field}: must not contain control characters`,
      [{ field, message: 'must not contain control characters' }],
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) throw zodToApiError(result.error, where);
  return result.data;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (the message names the field)',
  401: 'Missing, invalid, expired or revoked token',
  403: 'Not allowed for this wallet',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  422: 'Well-formed but invalid (e.g. the chain shows a smaller payment)',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable',
};

/**
 * The route pattern a request matched (addRoute records it; also when the request ends in an
 * error, after Express has unwound req.route), or undefined for an unmatched request. Metrics
 * and the request log label by it: never the raw URL, with its ids and query string.
 */
export function routeLabel(req: Request, res: Response): string | undefined {
  return (
    (res.locals.route as string | undefined) ?? (req.route ? req.baseUrl + String(req.route.path) : undefined)
  );
}

export function addRoute<
  B extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  P extends AnySchema | undefined,
>(
  router: Router,
  registry: OpenAPIRegistry,
  basePath: string,
  spec: RouteSpec<B, Q, P>,
  handler: (input: RouteInput<B, Q, P>, req: Request, res: Response) => Promise<unknown> | unknown,
): void {
  const openApiPath = (basePath + spec.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = r.schema
      ? {
          description: r.description,
          content: { [r.contentType ?? 'application/json']: { schema: r.schema } },
        }
      : { description: r.description };
  }
  for (const status of [400, ...(spec.secured ? [401] : []), ...(spec.errors ?? [])]) {
    const codes = spec.errorCodes?.[status];
    responses[status] ??= {
      description: `${ERROR_TEXT[status] ?? 'Error'}${codes ? `; error.code: ${codes.join(', ')}` : ''}`,
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  registry.registerPath({
    method: spec.method,
    path: openApiPath,
    tags: spec.tags,
    summary: spec.summary,
    description: spec.description,
    security: spec.secured ? [{ bearerAuth: [] }] : undefined,
    request: {
      body: spec.body
        ? { content: { 'application/json': { schema: spec.body } }, required: true }
        : undefined,
      query: spec.query as never,
      params: spec.params as never,
    },
    responses,
  });

  // Metrics label a request by this pattern, also when it ends in an error (req.route is gone by then).
  const label: RequestHandler = (_req, res, next) => {
    res.locals.route = basePath + spec.path;
    next();
  };
  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const input = {
        body: parse(spec.body, req.body ?? {}, 'body'),
        query: parse(spec.query, req.query, 'query'),
        params: parse(spec.params, req.params, 'params'),
      } as RouteInput<B, Q, P>;
      const result = await handler(input, req, res);
      if (!res.headersSent && result !== undefined) res.json(result);
    } catch (err) {
      next(err);
    }
  };
  router[spec.method](spec.path, label, ...(spec.before ?? []), run);
}
