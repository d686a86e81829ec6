/**
 * The one error shape of the API: `{error: {code, message, details?}}` with the right status.
 * Routes throw `ApiError`; the error middleware (middleware/errors.ts) renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'BadRequest', message, details);
export const unauthorized = (message = 'Sign in required: send Authorization: Bearer <token>') =>
  new ApiError(401, 'Unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'NotFound', message);
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, 'Conflict', message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new ApiError(422, code, message, details);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, 'RateLimited', `Too many requests: retry after ${retryAfterSeconds} s`, undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
export const unavailable = (message: string) => new ApiError(503, 'Unavailable', message);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
