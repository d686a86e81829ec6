import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { ApiError, type ErrorBody } from '../errors';
import { apiErrorOf } from '../failures';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NotFound', `No route for ${req.method} ${req.path}`));
};

/** Errors raised by express.json() (body-parser) carry a `type` and an HTTP status. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

function fromBodyParser(err: BodyParserError): ApiError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'MalformedJson', 'Request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(413, 'BodyTooLarge', `Request body is larger than the limit of ${err.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'UnsupportedEncoding', err.message);
    case 'request.aborted':
      return new ApiError(400, 'RequestAborted', 'Request was aborted by the client');
    default:
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500
        ? new ApiError(err.status, 'BadRequest', err.message)
        : undefined;
  }
}

export function zodToApiError(error: z.ZodError, where: string): ApiError {
  const details = error.issues.map((i) => ({ field: [where, ...i.path].join('.'), message: i.message }));
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new ApiError(400, 'ValidationFailed', `Invalid request: ${summary}`, details);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = apiErrorOf(err);
    let apiError: ApiError;
    if (known instanceof ApiError) apiError = known;
    else if (err instanceof z.ZodError) apiError = zodToApiError(err, 'body');
    else apiError = fromBodyParser(err as BodyParserError) ?? new ApiError(500, 'Internal', 'Internal error');

    // Only the unexpected needs its stack; a known 503 (a dependency down) is the request
    // log's warn line.
    if (apiError.status >= 500 && apiError.status !== 503) {
      logger.error({ err, reqId: req.id }, 'request failed: unexpected error');
    }
    // A streamed body already begun: cut the connection so the client sees a failed download,
    // never a complete-looking truncated file.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.locals.errorCode = apiError.code; // the request log's line names it
    for (const [k, v] of Object.entries(apiError.headers ?? {})) res.setHeader(k, v);
    const body: ErrorBody = { error: { code: apiError.code, message: apiError.message } };
    if (apiError.details !== undefined) body.error.details = apiError.details;
    res.status(apiError.status).json(body);
  };
}
