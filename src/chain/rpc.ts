/**
 * The one way to talk to Solana RPC: one HTTP transport with a time limit per attempt and
 * retries, bounded, with exponential backoff and jitter on 429, 5xx, "node is behind", network
 * errors, timeouts and unparseable answers. When the RPC never recovers, calls fail with a
 * transient `RpcUnavailable`; a request the RPC refuses (4xx) fails with a permanent
 * `RpcRejected`. Two faces over it: a web3.js Connection (every call web3.js has), and
 * `RpcClient`, bare JSON-RPC for the hot calls of the payout path (the caller reads the few
 * fields it uses, without web3.js's schema validation of every answer, the worker's costliest
 * part of an RPC call).
 *
 * The endpoint is only ever named by scheme and host (`rpcLabel`): API keys live in paths
 * (`/v2/<key>`) or queries (`?api-key=`) with many providers, and never reach logs or errors.
 */
import { Connection, SolanaJSONRPCError, type Commitment, type FetchFn } from '@solana/web3.js';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { ChainError, isChainError } from './errors';

export type ChainCommitment = 'confirmed' | 'finalized';

export interface RpcOptions {
  /** Default commitment of the connection's calls; default config.solana.commitment. */
  commitment?: Commitment;
  /** Time limit of one HTTP attempt, default 10 s. */
  timeoutMs?: number;
  /** Attempts per request including the first, default 4. */
  maxAttempts?: number;
  /** First backoff delay, doubled per retry (with jitter), default 200 ms. */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay (also caps Retry-After), default 5 s. */
  maxDelayMs?: number;
  /** Retries are logged at debug level, exhaustion at warn. */
  logger?: Pick<Logger, 'debug' | 'warn'>;
}

export interface RpcEndpoint {
  url: string;
  /** scheme://host[:port] only: safe to log. */
  label: string;
  /** True for the project's local chain (RPC_URL unset, or a loopback address). */
  local: boolean;
}

const DEFAULTS = { timeoutMs: 10_000, maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };
/** JSON-RPC "node is unhealthy / behind": another attempt (often another node) may answer. */
const RETRYABLE_JSON_RPC_CODES = new Set([-32005]);
/** Bodies up to this size are fully parsed to detect garbage; larger ones only checked for shape. */
const FULL_PARSE_LIMIT = 4 * 1024 * 1024;

/** The RPC URL from config: RPC_URL, else the local chain on LOCAL_CHAIN_PORT. */
export function rpcEndpoint(config: Pick<Config, 'solana'>): RpcEndpoint {
  const { rpcUrl, heliusApiKey, localChainPort } = config.solana;
  if (!rpcUrl) {
    const url = `http://127.0.0.1:${localChainPort}`;
    return { url, label: url, local: true };
  }
  const parsed = new URL(rpcUrl);
  // HELIUS_API_KEY completes a Helius URL given without its key.
  if (heliusApiKey && /(^|\.)helius-rpc\.com$/.test(parsed.hostname) && !parsed.searchParams.has('api-key')) {
    parsed.searchParams.set('api-key', heliusApiKey);
  }
  const local = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(parsed.hostname);
  return { url: parsed.toString(), label: rpcLabel(parsed.toString()), local };
}

/** scheme://host[:port] of a URL: no path, query or credentials. */
export function rpcLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '<rpc>';
  }
}

/** A web3.js Connection to the configured RPC with the resilient transport. */
export function createChainConnection(config: Pick<Config, 'solana'>, options: RpcOptions = {}): Connection {
  const endpoint = rpcEndpoint(config);
  return connectRpc(endpoint.url, { commitment: config.solana.commitment, ...options });
}

/** A Connection to an explicit URL (tests, CLI tools) with the same transport. */
export function connectRpc(url: string, options: RpcOptions = {}): Connection {
  return new Connection(url, {
    commitment: options.commitment ?? 'confirmed',
    fetch: createRpcFetch(url, options),
    // Our transport retries 429 itself (bounded, jittered, quiet); web3.js's own loop logs to console.
    disableRetryOnRateLimit: true,
    // Node's fetch (undici) pools connections itself; web3.js's agent would be ignored.
    httpAgent: false,
  });
}

type Attempt =
  | { kind: 'ok'; answer: RpcAnswer }
  | { kind: 'retry'; problem: string; retryAfterMs?: number }
  | { kind: 'reject'; error: ChainError };

/** A JSON-RPC answer over HTTP 2xx: its text, and its body when it was parsed to check it. */
interface RpcAnswer {
  status: number;
  statusText: string;
  contentType: string | null;
  text: string;
  body?: unknown;
}

type Post = (init: RequestInit) => Promise<RpcAnswer>;

/** The transport: POSTs to `url` with a per-attempt timeout, bounded retries, typed final errors. */
function createRpcTransport(url: string, options: RpcOptions = {}): Post {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts);
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const label = rpcLabel(url);
  const logger = options.logger;

  const attempt = async (init: RequestInit): Promise<Attempt> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal });
      text = await response.text();
    } catch (error) {
      if (init.signal?.aborted) throw error; // the caller gave up: not ours to retry
      return { kind: 'retry', problem: networkProblem(error, timeout.aborted, timeoutMs) };
    }
    if (response.status === 429 || response.status >= 500) {
      return {
        kind: 'retry',
        problem: `HTTP ${response.status}`,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    }
    if (!response.ok) {
      return {
        kind: 'reject',
        error: new ChainError(
          'RpcRejected',
          `Solana RPC ${label} refused the request: HTTP ${response.status}`,
          {
            status: response.status,
          },
        ),
      };
    }
    const shape = jsonRpcShape(text);
    if (shape === 'garbage') return { kind: 'retry', problem: 'unparseable response (not JSON-RPC)' };
    if (typeof shape === 'number')
      return { kind: 'retry', problem: `JSON-RPC error ${shape} (node unhealthy)` };
    return {
      kind: 'ok',
      answer: {
        status: response.status,
        statusText: response.statusText,
        contentType: response.headers.get('content-type'),
        text,
        ...(shape === 'ok' ? {} : { body: shape.body }),
      },
    };
  };

  return async (init) => {
    let problem = '';
    for (let n = 1; ; n += 1) {
      const outcome = await attempt(init);
      if (outcome.kind === 'ok') return outcome.answer;
      if (outcome.kind === 'reject') throw outcome.error;
      problem = outcome.problem;
      if (n >= maxAttempts) break;
      const delay = Math.min(maxDelayMs, outcome.retryAfterMs ?? backoffMs(n, baseDelayMs, maxDelayMs));
      logger?.debug({ rpc: label, attempt: n, problem, delayMs: delay }, 'solana rpc: retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    logger?.warn({ rpc: label, attempts: maxAttempts, problem }, 'solana rpc: unavailable');
    throw new ChainError(
      'RpcUnavailable',
      `Solana RPC ${label} unavailable after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}: ${problem}`,
      { attempts: maxAttempts, problem },
    );
  };
}

/** The fetch web3.js uses: the transport, its answer handed back as a Response. */
export function createRpcFetch(url: string, options: RpcOptions = {}): FetchFn {
  const post = createRpcTransport(url, options);
  const rpcFetch = async (
    _input: Parameters<FetchFn>[0],
    init: Parameters<FetchFn>[1],
  ): Promise<Response> => {
    const answer = await post(init ?? {});
    // The body is already decoded: hand web3.js the text without the wire's encoding headers.
    return new Response(answer.text, {
      status: answer.status,
      statusText: answer.statusText,
      headers: { 'content-type': answer.contentType ?? 'application/json' },
    });
  };
  return rpcFetch as FetchFn;
}

/** Bare JSON-RPC over the transport: for hot calls whose answer the caller checks itself. */
export interface RpcClient {
  /**
   * One call: its `result` as sent (the caller reads and checks the fields it uses). A JSON-RPC
   * error throws web3.js's SolanaJSONRPCError (code, message, data) as a Connection would, so
   * `rpcCall`/`classifyRpcError` map both alike; the transport's failures are ChainErrors.
   */
  call(method: string, params: unknown[]): Promise<unknown>;
}

/** An RpcClient to the configured RPC with the resilient transport. */
export function createChainRpc(config: Pick<Config, 'solana'>, options: RpcOptions = {}): RpcClient {
  return connectRpcClient(rpcEndpoint(config).url, options);
}

/** An RpcClient to an explicit URL (tests, CLI tools) with the same transport. */
export function connectRpcClient(url: string, options: RpcOptions = {}): RpcClient {
  const post = createRpcTransport(url, options);
  let id = 0;
  return {
    async call(method, params) {
      id = (id + 1) % Number.MAX_SAFE_INTEGER;
      const answer = await post({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      });
      const body = (answer.body ?? JSON.parse(answer.text)) as {
        result?: unknown;
        error?: { code: number; message: string; data?: unknown };
      };
      if (body.error) throw new SolanaJSONRPCError(body.error, method);
      if (!('result' in body)) throw new Error(`${method}: answer without a result`);
      return body.result;
    },
  };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkProblem(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  // Only the error code: undici's messages may quote the URL.
  return `network error${code ? ` (${code})` : ''}`;
}

/**
 * 'garbage', the JSON-RPC error code to retry on, or the parsed body (just 'ok' when it was
 * too large to parse here or is a batch).
 */
function jsonRpcShape(text: string): 'ok' | 'garbage' | number | { body: object } {
  const trimmed = text.trim();
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  const shaped = (first === '{' && last === '}') || (first === '[' && last === ']');
  if (!shaped) return 'garbage';
  if (trimmed.length > FULL_PARSE_LIMIT) return 'ok';
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    return 'garbage';
  }
  if (typeof body !== 'object' || body === null) return 'garbage';
  if (Array.isArray(body)) return 'ok';
  const record = body as { result?: unknown; error?: { code?: unknown } };
  if (!('result' in record) && !('error' in record)) return 'garbage';
  const code = record.error?.code;
  return typeof code === 'number' && RETRYABLE_JSON_RPC_CODES.has(code) ? code : { body };
}

/** JSON-RPC error codes that mean "not now" rather than "never". */
const TRANSIENT_JSON_RPC_CODES = new Set([
  -32004, // block not available for slot
  -32005, // node unhealthy / behind
  -32014, // block status not yet available
  -32016, // minimum context slot not reached
]);

/**
 * Maps whatever a web3.js call threw to a ChainError: our transport's errors pass through,
 * JSON-RPC errors are transient or permanent by code, and anything else an RPC can cause
 * (an answer of the wrong shape) is transient. `what` names the call in the message.
 */
export function classifyRpcError(error: unknown, what: string): ChainError {
  if (isChainError(error)) return error;
  if (error instanceof SolanaJSONRPCError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    if (TRANSIENT_JSON_RPC_CODES.has(code)) {
      return new ChainError('RpcUnavailable', `${what}: RPC not ready (${code}): ${error.message}`, {
        rpcCode: code,
      });
    }
    if (code === -32602 || code === -32600 || code === -32601) {
      return new ChainError('RpcRejected', `${what}: RPC rejected the request (${code}): ${error.message}`, {
        rpcCode: code,
      });
    }
    return new ChainError('RpcUnavailable', `${what}: RPC error (${code}): ${error.message}`, {
      rpcCode: code,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ChainError('RpcUnavailable', `${what}: unexpected RPC answer: ${message.slice(0, 300)}`);
}

/** Runs one RPC call, mapping its failure with `classifyRpcError`. */
export async function rpcCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyRpcError(error, what);
  }
}
