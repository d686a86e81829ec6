/**
 * The whole system for an end-to-end benchmark, all of its own: a Temporal dev server (or the
 * real server on PostgreSQL, scripts/lib/temporal-cluster.js) on a free port, a fresh database (dropped on close), the local chain in a process of its own (as
 * a real RPC node would be) with a funded treasury and payer, the API listening on a free
 * port, the real worker, and a second worker running a trivial workflow so a bench can
 * measure this server's ceiling in the same run.
 * Needs PostgreSQL and Redis at their configured URLs. Everything shares this machine's cores.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bs58 from 'bs58';
import nacl from 'tweetnacl';
import { Keypair, LAMPORTS_PER_SOL, PublicKey, type Connection } from '@solana/web3.js';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../src/api/app';
import { allRouteModules } from '../../src/api/routes';
import { createChainDeps } from '../../src/chain/deps';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { loadConfig, type Config } from '../../src/config';
import { dropDatabase, ensureDatabase, migrateUp, openOrm } from '../../src/db/orm';
import { createLogger } from '../../src/logger';
import { openResources, type Resources } from '../../src/resources';
import { connectWorker } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { bundleWorkflows, createWorker } from '../../workers/create-worker';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporalCli } = require('../../scripts/lib/temporal-cli') as {
  ensureTemporalCli: (o: object) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTemporalDevServer } = require('../../scripts/lib/temporal-server') as {
  startTemporalDevServer: (o: object) => Promise<{ address: string; stop(): Promise<void> }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTemporalCluster } = require('../../scripts/lib/temporal-cluster') as {
  startTemporalCluster: (o: object) => Promise<{ address: string; stop(): Promise<void> }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../scripts/lib/ports') as { freePort: () => Promise<number> };

const CEILING_QUEUE = 'bench-ceiling';
const ROOT = path.resolve(__dirname, '..', '..');

/** `src/chain/local/main.ts` as a child process on a free port; resolves once it listens. */
async function startChainProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src', 'chain', 'local', 'main.ts'), '--port', String(port)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`local chain exited (${code}): ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Signer {
  address: string;
  secretKey: Uint8Array;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface BenchSystem {
  config: Config;
  resources: Resources;
  connection: Connection;
  /** Funds `address` from the local chain's faucet (requestAirdrop) and waits for it to land. */
  airdrop(address: string, lamports: bigint): Promise<void>;
  treasury: Keypair;
  admin: Signer;
  /** http://127.0.0.1:<port>/api/v1 */
  apiUrl: string;
  post(url: string, body: unknown, token?: string): Promise<ApiAnswer>;
  get(url: string, token?: string): Promise<ApiAnswer>;
  signIn(signer: Signer): Promise<string>;
  /** Trivial workflows (one activity each) started and completed per second, `concurrency` at a time. */
  ceiling(count: number, concurrency: number): Promise<number>;
  close(): Promise<void>;
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
}

/** The p-th percentile of an ascending list. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

export const signerOf = (keypair: Keypair): Signer => ({
  address: keypair.publicKey.toBase58(),
  secretKey: keypair.secretKey,
});

const silentLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
};

/** `dev`: `temporal server start-dev` (SQLite, one shard); `cluster`: the real server on PostgreSQL. */
export type TemporalKind = 'dev' | 'cluster';

export async function startBenchSystem(
  name: string,
  overrides: Record<string, string> = {},
  temporalKind: TemporalKind = 'dev',
): Promise<BenchSystem> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/sr_bench_${crypto.randomBytes(4).toString('hex')}`;
  const databaseUrl = base.toString();
  const cli = ensureTemporalCli({ log: () => undefined });
  const common = { cli, port: await freePort(), logFile: path.join(tmp, 'temporal.log') };
  const temporal =
    temporalKind === 'cluster'
      ? await startTemporalCluster({
          ...common,
          configDir: path.join(tmp, 'temporal-cluster'),
          databases: { default: `${base.pathname.slice(1)}_t`, visibility: `${base.pathname.slice(1)}_tv` },
          dropDatabasesOnStop: true,
        })
      : await startTemporalDevServer(common);
  const chain = await startChainProcess();
  await ensureDatabase(databaseUrl);
  const migrator = await openOrm({ url: databaseUrl, poolMax: 2 });
  await migrateUp(migrator);
  await migrator.close();

  const treasury = Keypair.generate();
  const payer = Keypair.generate();
  const payerKeyFile = path.join(tmp, 'payer.json');
  writeKeypairFile(payerKeyFile, payer);
  const adminKeys = nacl.sign.keyPair();
  const admin: Signer = { address: bs58.encode(adminKeys.publicKey), secretKey: adminKeys.secretKey };
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '20',
    REDIS_KEY_PREFIX: `sr:bench:${crypto.randomBytes(3).toString('hex')}:`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `bench-${name}`,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    RPC_URL: chain.url,
    TREASURY_WALLET: treasury.publicKey.toBase58(),
    PAYER_KEY_FILE: payerKeyFile,
    ADMIN_WALLETS: admin.address,
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '1000000',
    // A bench drives many purchases per wallet at once.
    LOTTERY_MAX_PENDING_PER_WALLET: '1000000',
    DATA_DIR: tmp,
    ...overrides,
  });
  const logger = createLogger('silent');
  const resources = await openResources(config, logger);
  const app = createApp({ config, logger, ...resources }, allRouteModules);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

  installTemporalRuntime();
  const connection = await connectWorker(config.temporal);
  const chainDeps = createChainDeps(config);
  const airdrop = async (address: string, lamports: bigint) => {
    const signature = await chainDeps.connection.requestAirdrop(new PublicKey(address), Number(lamports));
    const latest = await chainDeps.connection.getLatestBlockhash();
    await chainDeps.connection.confirmTransaction({ signature, ...latest }, 'confirmed');
  };
  await airdrop(treasury.publicKey.toBase58(), 1_000n * BigInt(LAMPORTS_PER_SOL));
  await airdrop(payer.publicKey.toBase58(), 1_000_000n * BigInt(LAMPORTS_PER_SOL));
  const worker = await createWorker({
    connection,
    config,
    deps: { config, logger, orm: resources.orm, chain: chainDeps },
    workflowBundle: await bundleWorkflows(),
  });
  const ceilingWorker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: CEILING_QUEUE,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '..', '..', 'tests', 'support', 'workflows', 'greeting.ts'),
      logger: silentLogger,
    }),
    activities: { greet: async (who: string) => `hello ${who}` },
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentWorkflowTaskExecutions: 40,
  });
  const running = Promise.all([worker.run(), ceilingWorker.run()]);

  const call = async (method: string, url: string, body?: unknown, token?: string): Promise<ApiAnswer> => {
    const res = await fetch(api + url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = (url: string, body: unknown, token?: string) => call('POST', url, body, token);
  const get = (url: string, token?: string) => call('GET', url, undefined, token);
  const signIn = async (signer: Signer) => {
    const challenge = (await post('/auth/request-challenge', { walletAddress: signer.address })).body
      .challenge as string;
    const signature = bs58.encode(nacl.sign.detached(new TextEncoder().encode(challenge), signer.secretKey));
    const answer = await post('/auth/verify-signature', {
      walletAddress: signer.address,
      signature,
      challenge,
    });
    if (answer.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
    return answer.body.token as string;
  };
  const ceiling = async (count: number, concurrency: number) => {
    const started = performance.now();
    await pool(
      Array.from({ length: count }, (_, i) => i),
      concurrency,
      async (i) => {
        await resources.temporal.workflow.execute('greetingWorkflow', {
          taskQueue: CEILING_QUEUE,
          workflowId: `ceiling-${i}-${crypto.randomBytes(3).toString('hex')}`,
          args: [`n${i}`],
        });
      },
    );
    return count / ((performance.now() - started) / 1000);
  };

  const close = async () => {
    worker.shutdown();
    ceilingWorker.shutdown();
    await running;
    await connection.close();
    await new Promise((r) => server.close(r));
    await resources.close();
    await dropDatabase(databaseUrl);
    await chain.stop();
    await temporal.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return {
    config,
    resources,
    connection: chainDeps.connection,
    airdrop,
    treasury,
    admin,
    apiUrl: api,
    post,
    get,
    signIn,
    ceiling,
    close,
  };
}
