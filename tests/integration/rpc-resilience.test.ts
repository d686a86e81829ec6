/**
 * The RPC transport against a tiny local HTTP server that misbehaves on purpose: rate limits,
 * server errors, garbage, silence, refusals. The network edge is the only stand-in.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  backoffMs,
  connectRpc,
  connectRpcClient,
  createChainConnection,
  rpcCall,
  rpcEndpoint,
} from '../../src/chain/rpc';
import { inspect } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { createChainDeps } from '../../src/chain/deps';
import { chainError, toActivityFailure } from '../../src/chain/errors';
import { broadcastSigned, signatureStatus, signedExpired } from '../../src/chain/signed-transaction';
import { loadConfig } from '../../src/config';
import { chainFailure } from '../support/chain-fixtures';

type Reply = (req: IncomingMessage, res: ServerResponse, body: { id: unknown; method: string }) => void;

const ok =
  (result: unknown): Reply =>
  (_req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }));
  };
const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(code, headers);
    res.end(`status ${code}`);
  };
const garbage: Reply = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html>bad gateway</html>');
};
const truncated: Reply = (_req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(`{"jsonrpc":"2.0","id":${JSON.stringify(body.id)},"result":`);
};
const rpcError =
  (code: number, message: string): Reply =>
  (_req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code, message } }));
  };
/** Never answers (the socket stays open until the server closes). */
const silence: Reply = () => undefined;

/** Answers the n-th request with script[n] (the last entry repeats). */
async function scriptedRpc(
  script: Reply[],
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = script[Math.min(count, script.length - 1)] as Reply;
      count += 1;
      reply(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: unknown; method: string });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // a path and query like a provider's, holding "secrets" that must never surface
    url: `http://127.0.0.1:${port}/v2/PATH-SECRET?api-key=QUERY-SECRET`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const fast = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 };

describe('RPC transport resilience', () => {
  const servers: { close(): Promise<void> }[] = [];
  const serve = async (script: Reply[]) => {
    const server = await scriptedRpc(script);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  test('429, 500, garbage, a truncated body, then a good answer: retried to success', async () => {
    const server = await serve([
      status(429, { 'retry-after': '0' }),
      status(500),
      garbage,
      truncated,
      ok(4242),
    ]);
    const connection = connectRpc(server.url, { ...fast, maxAttempts: 5 });
    expect(await connection.getSlot()).toBe(4242);
    expect(server.requests()).toBe(5);
  });

  test('a node that is behind (JSON-RPC -32005) is retried too', async () => {
    const server = await serve([rpcError(-32005, 'Node is behind by 42 slots'), ok(7)]);
    expect(await connectRpc(server.url, fast).getBlockHeight()).toBe(7);
    expect(server.requests()).toBe(2);
  });

  test('never recovers: a transient RpcUnavailable after the bounded attempts, without the URL secrets', async () => {
    const server = await serve([status(503)]);
    const connection = connectRpc(server.url, { ...fast, maxAttempts: 3 });
    const error = await chainFailure(
      rpcCall('getSlot', () => connection.getSlot()),
      'RpcUnavailable',
    );
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/unavailable after 3 attempts: HTTP 503/);
    expect(error.message).not.toMatch(/SECRET/);
    expect(JSON.stringify(error.details)).not.toMatch(/SECRET/);
    expect(server.requests()).toBe(3);
  });

  test('garbage forever: RpcUnavailable naming the problem', async () => {
    const server = await serve([garbage]);
    const error = await chainFailure(
      connectRpc(server.url, { ...fast, maxAttempts: 2 }).getSlot(),
      'RpcUnavailable',
    );
    expect(error.message).toContain('unparseable response');
  });

  test('silence: each attempt is cut at the time limit, then RpcUnavailable', async () => {
    const server = await serve([silence]);
    const started = Date.now();
    const connection = connectRpc(server.url, { ...fast, timeoutMs: 150, maxAttempts: 2 });
    const error = await chainFailure(connection.getSlot(), 'RpcUnavailable');
    expect(error.message).toContain('no answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests()).toBe(2);
  });

  test('nothing listening: network error, retried, then RpcUnavailable', async () => {
    const server = await serve([ok(1)]);
    const url = server.url;
    await server.close();
    const error = await chainFailure(
      connectRpc(url, { ...fast, maxAttempts: 2 }).getSlot(),
      'RpcUnavailable',
    );
    expect(error.message).toContain('network error (ECONNREFUSED)');
    expect(error.message).not.toMatch(/SECRET/);
  });

  test('a refusal (401) is permanent and not retried', async () => {
    const server = await serve([status(401)]);
    const error = await chainFailure(connectRpc(server.url, fast).getSlot(), 'RpcRejected');
    expect(error.transient).toBe(false);
    expect(error.message).toContain('HTTP 401');
    expect(server.requests()).toBe(1);
  });

  test('JSON-RPC errors are classified: invalid params permanent, block not available transient', async () => {
    const server = await serve([
      rpcError(-32602, 'Invalid params'),
      rpcError(-32004, 'Block not available for slot 9'),
    ]);
    const connection = connectRpc(server.url, fast);
    const signature = '1'.repeat(64);
    await chainFailure(
      rpcCall('getTransaction', () =>
        connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 }),
      ),
      'RpcRejected',
    );
    const notYet = await chainFailure(
      rpcCall('getBlockTime', () => connection.getBlockTime(9)),
      'RpcUnavailable',
    );
    expect(notYet.message).toContain('-32004');
  });

  test('bare JSON-RPC: the same retries, JSON-RPC errors classified alike, no URL secrets', async () => {
    const server = await serve([status(502), garbage, ok({ value: 9 }), rpcError(-32602, 'Invalid params')]);
    const client = connectRpcClient(server.url, { ...fast, maxAttempts: 3 });
    expect(await client.call('getBalance', ['x'])).toEqual({ value: 9 });
    expect(server.requests()).toBe(3);
    const refused = await chainFailure(
      rpcCall('getBalance', () => client.call('getBalance', ['x'])),
      'RpcRejected',
    );
    expect(refused.message).toContain('-32602');
    const down = await serve([status(503)]);
    const error = await chainFailure(
      connectRpcClient(down.url, { ...fast, maxAttempts: 2 }).call('getSlot', []),
      'RpcUnavailable',
    );
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toMatch(/SECRET/);
  });

  test('payout-path calls read only their fields: an answer of another shape is a transient RpcUnavailable', async () => {
    const depsOf = (url: string) =>
      createChainDeps(loadConfig({ JWT_SECRET: 'x'.repeat(32), RPC_URL: url }), undefined, fast);
    const signature = '1'.repeat(64);
    const known = await serve([
      ok({
        context: { slot: 5 },
        value: [{ slot: 4, confirmations: null, err: null, confirmationStatus: 'finalized' }],
      }),
      ok({ context: { slot: 5 }, value: [null] }),
      ok({ context: { slot: 5 }, value: 'nope' }),
    ]);
    const deps = depsOf(known.url);
    expect(await signatureStatus(deps, signature)).toEqual({
      slot: 4,
      confirmations: null,
      err: null,
      confirmationStatus: 'finalized',
    });
    expect(await signatureStatus(deps, signature)).toBeNull();
    const odd = await chainFailure(signatureStatus(deps, signature), 'RpcUnavailable');
    expect(odd.transient).toBe(true);
    expect(odd.message).toContain('getSignatureStatuses: unexpected RPC answer');

    const heights = await serve([ok('tall')]);
    await chainFailure(
      signedExpired(depsOf(heights.url), { wire: '', signature, lastValidBlockHeight: 1n }),
      'RpcUnavailable',
    );
  });

  test('sendTransaction: landed or blockhash unknown is no refusal; a preflight failure says why, with its logs', async () => {
    const server = await serve([
      rpcError(-32002, 'Transaction simulation failed: This transaction has already been processed'),
      rpcError(-32002, 'Transaction simulation failed: Blockhash not found'),
      (_req, res, body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: body.id,
            error: {
              code: -32002,
              message:
                'Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1',
              data: {
                logs: [
                  'Program 11111111111111111111111111111111 invoke [1]',
                  'Transfer: insufficient lamports 0, need 5',
                ],
              },
            },
          }),
        );
      },
    ]);
    const deps = createChainDeps(
      loadConfig({ JWT_SECRET: 'x'.repeat(32), RPC_URL: server.url }),
      undefined,
      fast,
    );
    expect(await broadcastSigned(deps, 'AA==')).toBeNull();
    expect(await broadcastSigned(deps, 'AA==')).toBeNull();
    const rejected = await broadcastSigned(deps, 'AA==');
    expect(rejected).toMatch(/^send rejected: .*0x1 \(.*Transfer: insufficient lamports 0, need 5\)$/);
  });

  test('backoff grows exponentially with jitter and stays under the cap', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffMs(attempt, 100, 1_000);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test('endpoint from config: local chain by default, Helius key added, labels without path or query', () => {
    const base = { JWT_SECRET: 'x'.repeat(32) };
    const local = rpcEndpoint(loadConfig({ ...base, LOCAL_CHAIN_PORT: '9123' }));
    expect(local).toEqual({ url: 'http://127.0.0.1:9123', label: 'http://127.0.0.1:9123', local: true });
    const helius = rpcEndpoint(
      loadConfig({ ...base, RPC_URL: 'https://mainnet.helius-rpc.com/', HELIUS_API_KEY: 'K-SECRET' }),
    );
    expect(helius.url).toBe('https://mainnet.helius-rpc.com/?api-key=K-SECRET');
    expect(helius.label).toBe('https://mainnet.helius-rpc.com');
    expect(helius.local).toBe(false);
    const connection = createChainConnection(loadConfig({ ...base, SOLANA_COMMITMENT: 'finalized' }));
    expect(connection.commitment).toBe('finalized');
  });

  test('chain deps show where the RPC is, never its key; failures map to typed ApplicationFailures', () => {
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      RPC_URL: 'https://rpc.example.com/v2/PATH-SECRET?api-key=QUERY-SECRET',
    });
    const deps = createChainDeps(config);
    const shown = `${JSON.stringify({ deps })} ${inspect(deps)}`;
    expect(shown).toContain('https://rpc.example.com');
    expect(shown).not.toMatch(/SECRET/);

    const transient = toActivityFailure(chainError('RpcUnavailable', 'down')) as ApplicationFailure;
    expect(transient).toBeInstanceOf(ApplicationFailure);
    expect(transient).toMatchObject({ type: 'RpcUnavailable', nonRetryable: false });
    const permanent = toActivityFailure(
      chainError('PaymentTooSmall', 'short', { receivedBaseUnits: '1' }),
    ) as ApplicationFailure;
    expect(permanent).toMatchObject({
      type: 'PaymentTooSmall',
      nonRetryable: true,
      details: [{ receivedBaseUnits: '1' }],
    });
    const other = new Error('boom');
    expect(toActivityFailure(other)).toBe(other);
  });
});
