/**
 * JSON-RPC 2.0 over HTTP with node:http: framing, batches, error codes. Handlers are
 * synchronous; a handler may return RawJson (pre-serialized) to skip JSON.stringify on hot paths.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  RPC_INTERNAL_ERROR,
  RPC_INVALID_PARAMS,
  RPC_INVALID_REQUEST,
  RPC_METHOD_NOT_FOUND,
  RPC_PARSE_ERROR,
  RpcError,
} from './errors';
import type { RpcParams } from './params';

export class RawJson {
  constructor(readonly text: string) {}
}

export type RpcMethod = (params: RpcParams) => unknown;
export type MethodTable = ReadonlyMap<string, RpcMethod>;

const MAX_BODY_BYTES = 50 * 1024 * 1024;

type RequestId = string | number | null;

function errorText(id: RequestId, code: number, message: string, data?: unknown): string {
  const error = data === undefined ? { code, message } : { code, message, data };
  return `{"jsonrpc":"2.0","error":${JSON.stringify(error)},"id":${JSON.stringify(id)}}`;
}

function resultText(id: RequestId, result: unknown): string {
  const body = result instanceof RawJson ? result.text : JSON.stringify(result === undefined ? null : result);
  return `{"jsonrpc":"2.0","result":${body},"id":${JSON.stringify(id)}}`;
}

/** One request object; null when it is a notification (no id), which gets no response. */
export function dispatchRequest(request: unknown, methods: MethodTable): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return errorText(null, RPC_INVALID_REQUEST, 'Invalid request');
  }
  const { jsonrpc, method, params, id } = request as Record<string, unknown>;
  const hasId = 'id' in request;
  const validId = id === null || typeof id === 'string' || typeof id === 'number';
  if (jsonrpc !== '2.0' || typeof method !== 'string' || (hasId && !validId)) {
    return errorText(validId ? (id as RequestId) : null, RPC_INVALID_REQUEST, 'Invalid request');
  }
  const requestId = (id ?? null) as RequestId;
  const handler = methods.get(method);
  let response: string;
  if (!handler) {
    response = errorText(requestId, RPC_METHOD_NOT_FOUND, 'Method not found');
  } else if (params !== undefined && params !== null && !Array.isArray(params)) {
    response = errorText(
      requestId,
      RPC_INVALID_PARAMS,
      'Invalid params: expected an array of positional parameters',
    );
  } else {
    try {
      response = resultText(requestId, handler((params as RpcParams | undefined) ?? []));
    } catch (error) {
      response =
        error instanceof RpcError
          ? errorText(requestId, error.code, error.message, error.data)
          : errorText(requestId, RPC_INTERNAL_ERROR, 'Internal error');
    }
  }
  return hasId ? response : null;
}

/** A whole HTTP body: a request or a batch. Returns '' when nothing needs answering. */
export function dispatchPayload(body: string, methods: MethodTable): string {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return errorText(null, RPC_PARSE_ERROR, 'Parse error');
  }
  if (!Array.isArray(payload)) return dispatchRequest(payload, methods) ?? '';
  if (payload.length === 0) return errorText(null, RPC_INVALID_REQUEST, 'Invalid request');
  const responses: string[] = [];
  for (const request of payload) {
    const response = dispatchRequest(request, methods);
    if (response !== null) responses.push(response);
  }
  return responses.length > 0 ? `[${responses.join(',')}]` : '';
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type, solana-client',
};

function reply(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** `beforeDispatch` runs once per HTTP request (the chain catches its slot up there). */
export function createRpcHttpServer(methods: MethodTable, beforeDispatch: () => void): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.on('error', () => res.destroy());
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, 'ok', 'text/plain');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      return res.end();
    }
    if (req.method !== 'POST')
      return reply(res, 405, 'Used HTTP Method is not allowed. POST or OPTIONS is required', 'text/plain');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(res, 413, 'Payload too large', 'text/plain');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let body: string;
      try {
        beforeDispatch();
        body = dispatchPayload(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
          methods,
        );
      } catch {
        body = errorText(null, RPC_INTERNAL_ERROR, 'Internal error');
      }
      reply(res, 200, body);
    });
  });
  // Longer than web3.js's keep-alive agent idles sockets (4 s), so it never reuses a socket we just closed.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return server;
}
