/**
 * The typed API client: paths, bodies and responses come from the generated schema.d.ts
 * (`npm run admin:api-schema` at the repository root), so a changed route breaks the build
 * here instead of the page. Every request carries the session's bearer token.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '@/lib/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The JSON body of a path's 200 response, for shapes without a named schema. */
export type Ok<P extends keyof paths, M extends 'get' | 'post' = 'get'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** The API's error body `{error: {code, message, details?}}` as a thrown error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const withToken: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A token the API no longer accepts ends the session (sign-in itself answers 401 on a bad signature).
    if (response.status === 401 && request.headers.has('Authorization')) session.end();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(withToken);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The response's data, or an ApiError carrying the API's own message. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (err) {
    throw new ApiError(0, 'network', `The API could not be reached: ${(err as Error).message}`);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
    ?.error;
  throw new ApiError(
    response.status,
    body?.code ?? `http_${response.status}`,
    body?.message ?? `The API answered ${response.status} ${response.statusText}`,
    body?.details,
  );
}

/** Downloads a CSV export (authenticated, so not a plain link) under the server's file name. */
export async function downloadCsv(path: string, fallbackName: string): Promise<string> {
  const token = session.token();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new ApiError(
      response.status,
      'export_failed',
      body?.error?.message ?? `Export failed (${response.status})`,
    );
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
