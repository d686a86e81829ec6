/**
 * Local Solana chain: a JSON-RPC (HTTP) + pub/sub (WebSocket) server on 127.0.0.1 that runs
 * real signed transactions in LiteSVM and answers in the shapes @solana/web3.js 1.x expects.
 *
 * WebSockets are served on the RPC port itself and on port + 1, the port web3.js's
 * Connection derives by default (as solana-test-validator does: 8899 → 8900).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalChainCore } from './chain';
import { buildMethodTable } from './methods';
import { ChainStore } from './persistence';
import { PubSub } from './pubsub';
import { createRpcHttpServer } from './rpc-server';
import { acceptWebSockets } from './ws-server';
import { toPubkey } from './params';

export interface LocalChainOptions {
  /** 0 (default) = a free port; the WebSocket also needs port + 1. */
  port?: number;
  host?: string;
  /** Persist state here (loaded on start, saved periodically and on close); undefined = in-memory. */
  dataDir?: string;
  /**
   * Slot duration, default 400 ms. Blockhashes expire after 150 slots; below 200 ms that is
   * shorter than web3.js's 30 s blockhash cache, so Connection.sendTransaction may use an
   * expired one (fine for expiry tests that set recentBlockhash themselves).
   */
  slotMs?: number;
  /** How often dirty state is saved to dataDir, default 2000 ms. */
  saveIntervalMs?: number;
}

export interface LocalAccountInput {
  lamports: number | bigint;
  data?: Uint8Array;
  /** base58 owner program, default the system program */
  owner?: string;
  executable?: boolean;
}

export interface LocalChain {
  /** http://host:port, for `new Connection(url)` */
  url: string;
  /** ws://host:(port + 1), what web3.js derives from `url` by itself */
  wsUrl: string;
  port: number;
  wsPort: number;
  genesisHash: string;
  /** The faucet paying requestAirdrop (also reported as the node identity). */
  faucet: string;
  /** Current slot (= block height). */
  slot(): number;
  /** Funds `address` from the faucet with a real transfer; returns its (already landed) signature. */
  airdrop(address: string, lamports: number | bigint): string;
  /** Jumps the clock `slots` ahead (expire blockhashes, finalize transactions) and returns the new slot. */
  warpSlots(slots: number): number;
  /** Writes an account directly (e.g. a mint at a fixed address); bypasses the runtime. */
  setAccount(address: string, account: LocalAccountInput): void;
  /** Saves state to dataDir now (no-op when in-memory). */
  save(): void;
  /** Stops serving, closes every connection and saves state. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_SLOT_MS = 400;
const PORT_ATTEMPTS = 20;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Binds the RPC port and port + 1 for WebSockets; with port 0, retries until a free pair is found. */
async function bindPorts(
  rpc: Server,
  ws: Server,
  port: number,
  host: string,
): Promise<{ port: number; wsPort: number }> {
  for (let attempt = 0; ; attempt += 1) {
    const rpcPort = await listen(rpc, port, host);
    try {
      const wsPort = await listen(ws, rpcPort + 1, host);
      return { port: rpcPort, wsPort };
    } catch (error) {
      await closeServer(rpc);
      if (port !== 0 || attempt >= PORT_ATTEMPTS) {
        throw new Error(
          `local chain: WebSocket port ${rpcPort + 1} (RPC port + 1) is not free: ${(error as Error).message}`,
        );
      }
    }
  }
}

export async function startLocalChain(opts: LocalChainOptions = {}): Promise<LocalChain> {
  const host = opts.host ?? '127.0.0.1';
  const slotMs = opts.slotMs ?? DEFAULT_SLOT_MS;
  if (!(slotMs > 0)) throw new Error('local chain: slotMs must be positive');
  const store = opts.dataDir ? new ChainStore(opts.dataDir) : null;
  const core = new LocalChainCore(slotMs, store?.load() ?? null);
  const methods = buildMethodTable(core);
  const pubsub = new PubSub(core);

  const rpcServer = createRpcHttpServer(methods, () => core.sync());
  const wsServer = createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('WebSocket only');
  });
  const closeRpcSockets = acceptWebSockets(rpcServer, pubsub);
  const closeWsSockets = acceptWebSockets(wsServer, pubsub);
  const { port, wsPort } = await bindPorts(rpcServer, wsServer, opts.port ?? 0, host);

  const save = (): void => {
    if (store) store.save(core);
  };
  // Slots advance on their own so that pub/sub (finalization, slot notifications) keeps moving
  // with no requests; requests also catch the clock up themselves.
  const slotTimer = setInterval(() => core.sync(), Math.max(slotMs, 10));
  const saveTimer = store
    ? setInterval(() => {
        if (core.ledger.dirty || core.bankDirty) {
          try {
            save();
          } catch (error) {
            process.emitWarning(`local chain: saving state failed: ${(error as Error).message}`);
          }
        }
      }, opts.saveIntervalMs ?? 2000)
    : null;
  if (store) save(); // a fresh dataDir gets its genesis secret and faucet seed right away

  let closing: Promise<void> | null = null;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${wsPort}`,
    port,
    wsPort,
    genesisHash: core.blockhashes.genesisHash,
    faucet: core.faucet.address,
    slot: () => core.sync(),
    airdrop: (address, lamports) => core.airdrop(toPubkey(address).bytes, BigInt(lamports)),
    warpSlots: (slots) => core.warp(slots),
    setAccount: (address, account) => {
      core.bank.setAccount(toPubkey(address).bytes, {
        lamports: BigInt(account.lamports),
        data: account.data ?? new Uint8Array(0),
        owner: toPubkey(account.owner ?? '11111111111111111111111111111111').bytes,
        executable: account.executable ?? false,
      });
      core.bankDirty = true;
    },
    save,
    close: () => {
      closing ??= (async () => {
        clearInterval(slotTimer);
        if (saveTimer) clearInterval(saveTimer);
        closeRpcSockets();
        closeWsSockets();
        await Promise.all([closeServer(rpcServer), closeServer(wsServer)]);
        save();
      })();
      return closing;
    },
  };
}
