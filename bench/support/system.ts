/**
 * The whole system for an end-to-end benchmark, all of its own: a Temporal dev server (or the
 * real server on PostgreSQL, scripts/lib/temporal-cluster.js) on a free port, a fresh database (dropped on close), the local chain in a process of its own (as
 * a real RPC node would be) with a funded treasury and payer, the API listening on a free
 * port, the real worker, and a second worker running a trivial workflow so a bench can
 * measure this server's ceiling in the same run. With `processes`, the API and the worker run
 * as real child processes instead (`src/api/main.ts` and `workers/main.ts`, N of each, as
 * `npm start` runs them: compiled from dist/ by default, or under tsx), so their peak RSS and
 * CPU time can be read from /proc.
 * Needs PostgreSQL and Redis at their configured URLs. Everything shares this machine's cores.
 */
import { spawn, spawnSync } from 'node:child_process';
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
import { workerPollers } from '../../src/readiness';
import { openResources, type Resources } from '../../src/resources';
import { describePollers } from '../../src/temporal/operator';
import { connectWorker } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { bundleWorkflows, createWorker, WORKER_CONCURRENCY } from '../../workers/create-worker';
import { COMPILED_ENV, compiledArgs, ensureBuild } from '../../scripts/lib/build';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporalCli } = require('../../scripts/lib/temporal-cli') as {
  ensureTemporalCli: (o: object) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTemporalDevServer } = require('../../scripts/lib/temporal-server') as {
  startTemporalDevServer: (o: object) => Promise<TemporalServer>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTemporalCluster } = require('../../scripts/lib/temporal-cluster') as {
  startTemporalCluster: (o: object) => Promise<TemporalServer>;
};
/** A Temporal server this bench started (its process: the dev server, or the cluster's server). */
interface TemporalServer {
  address: string;
  process?: { pid?: number };
  stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort, waitForPort } = require('../../scripts/lib/ports') as {
  freePort: () => Promise<number>;
  waitForPort: (
    host: string,
    port: number,
    o: { timeoutMs: number; isDead?: () => boolean },
  ) => Promise<void>;
};

const CEILING_QUEUE = 'bench-ceiling';
const ROOT = path.resolve(__dirname, '..', '..');

/** `src/chain/local/main.ts` as a child process on a free port; resolves once it listens. */
async function startChainProcess(): Promise<{ url: string; pid?: number; stop(): Promise<void> }> {
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
    pid: child.pid,
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
  /** http://127.0.0.1:<port>/api/v1 (the first API; requests go round-robin over all of them) */
  apiUrl: string;
  /** GET of a path the API gave (e.g. a statusUrl, `/api/v1/...`), on the next API. */
  getPath(pathname: string, token?: string): Promise<ApiAnswer>;
  /** With `processes`: each child's peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): { apis: number[]; workers: number[] };
  /**
   * CPU time so far (user + system, every thread), in ms: with `processes` each API and worker
   * child; always the Temporal server and the local chain this bench started.
   */
  cpuMs(): { apis: number[]; workers: number[]; temporal: number; chain: number };
  /**
   * CPU time so far (ms) of the rest a run shares the cores with: PostgreSQL (every backend of
   * the machine's server), Redis, this process (load, ceiling worker) and the whole machine
   * (/proc/stat, other jobs included).
   */
  sharedCpuMs(): SharedCpu;
  /** With `processes`: each child's log file (JSON lines at `processes.logLevel`). */
  logFiles(): { apis: string[]; workers: string[] };
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

/**
 * How the children run: `compiled` from dist/ with production's memory settings, as `npm start`
 * and the image run them (scripts/lib/build.js; built first if stale), or `tsx` from the sources.
 */
export type BenchRuntime = 'compiled' | 'tsx';

/** API and worker processes to run as children (`npm start`'s API_PROCESSES and WORKERS). */
interface BenchProcesses {
  apis: number;
  workers: number;
  runtime?: BenchRuntime;
  /** The children's LOG_LEVEL (default `warn`). */
  logLevel?: string;
  /** Each child runs under `node --cpu-prof`: a profile per thread in `<dir>/<api|worker>-<i>/` as it exits. */
  cpuProfileDir?: string;
}

export interface SharedCpu {
  postgres: number;
  redis: number;
  bench: number;
  machine: number;
}

/** CPU ms of every process whose command name is `comm` (all PostgreSQL backends, say). */
function cpuMsOfCommand(comm: string): number {
  let ms = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) ms += cpuMsOf(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return ms;
}

/** The machine's busy CPU time since boot (every core, every process: /proc/stat), in ms. */
function machineCpuMs(): number {
  const [, user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .map(Number);
  return (
    (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) /
    CLOCK_TICKS_PER_S
  );
}

/** A child's peak resident set (VmHWM in /proc/<pid>/status), in MB; 0 once it is gone. */
function peakRssMbOf(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** A child's CPU time (utime + stime of /proc/<pid>/stat, all its threads), in ms; 0 once it is gone. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** `entry` (a TypeScript path from the root) with `env` on `runtime` after `nodeArgs`, its output appended to `logFile`. */
function spawnEntry(
  entry: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  runtime: BenchRuntime,
  nodeArgs: string[] = [],
) {
  const out = fs.openSync(logFile, 'a');
  const compiled = runtime === 'compiled';
  const args = compiled ? compiledArgs(entry) : ['--import', 'tsx', path.join(ROOT, entry)];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env: compiled ? { ...COMPILED_ENV, ...env } : env,
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    logFile,
    dead: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startBenchSystem(
  name: string,
  overrides: Record<string, string> = {},
  temporalKind: TemporalKind = 'dev',
  processes?: BenchProcesses,
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
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    // Several processes share PostgreSQL's connections (and the cluster's server uses some).
    DATABASE_POOL_MAX: processes ? '10' : '20',
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
  };
  const config = loadConfig({ ...process.env, ...env });
  const logger = createLogger('silent');
  const resources = await openResources(config, logger);

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
  const workflowBundle = await bundleWorkflows();
  const children = processes
    ? await startChildren(processes, { ...process.env, ...env }, workflowBundle.code, tmp, resources, config)
    : undefined;
  const inProcess = children
    ? undefined
    : await startInProcess(config, logger, resources, chainDeps, connection, workflowBundle);
  const ceilingWorker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: CEILING_QUEUE,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '..', '..', 'tests', 'support', 'workflows', 'greeting.ts'),
      logger: silentLogger,
    }),
    activities: { greet: async (who: string) => `hello ${who}` },
    ...WORKER_CONCURRENCY,
  });
  const running = ceilingWorker.run();
  const apiOrigins = children?.apiOrigins ?? [inProcess?.origin as string];
  const api = `${apiOrigins[0]}/api/v1`;
  let nextApi = 0;
  const origin = () => apiOrigins[nextApi++ % apiOrigins.length] as string;

  const call = async (method: string, url: string, body?: unknown, token?: string): Promise<ApiAnswer> => {
    const res = await fetch(origin() + url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = (url: string, body: unknown, token?: string) => call('POST', `/api/v1${url}`, body, token);
  const get = (url: string, token?: string) => call('GET', `/api/v1${url}`, undefined, token);
  const getPath = (pathname: string, token?: string) => call('GET', pathname, undefined, token);
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
    ceilingWorker.shutdown();
    await running;
    await inProcess?.stop();
    await children?.stop();
    await connection.close();
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
    getPath,
    peakRssMb: () => ({
      apis: children?.apis.map((c) => peakRssMbOf(c.child.pid)) ?? [],
      workers: children?.workers.map((c) => peakRssMbOf(c.child.pid)) ?? [],
    }),
    cpuMs: () => ({
      apis: children?.apis.map((c) => cpuMsOf(c.child.pid)) ?? [],
      workers: children?.workers.map((c) => cpuMsOf(c.child.pid)) ?? [],
      temporal: cpuMsOf(temporal.process?.pid),
      chain: cpuMsOf(chain.pid),
    }),
    sharedCpuMs: () => {
      const own = process.cpuUsage();
      return {
        postgres: cpuMsOfCommand('postgres'),
        redis: cpuMsOfCommand('redis-server'),
        bench: (own.user + own.system) / 1000,
        machine: machineCpuMs(),
      };
    },
    logFiles: () => ({
      apis: children?.apis.map((c) => c.logFile) ?? [],
      workers: children?.workers.map((c) => c.logFile) ?? [],
    }),
    signIn,
    ceiling,
    close,
  };
}

/** The API in this process on a free port and the real worker beside it (the default). */
async function startInProcess(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  resources: Resources,
  chainDeps: ReturnType<typeof createChainDeps>,
  connection: Awaited<ReturnType<typeof connectWorker>>,
  workflowBundle: { code: string },
) {
  const app = createApp({ config, logger, ...resources }, allRouteModules);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const worker = await createWorker({
    connection,
    config,
    deps: { config, logger, orm: resources.orm, redis: resources.redis, chain: chainDeps },
    workflowBundle,
  });
  const running = worker.run();
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      worker.shutdown();
      await running;
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * `processes.apis` API processes on free ports and `processes.workers` worker processes
 * (WORKER_INDEX 0..N-1), as `npm start` runs them; resolves once every API listens and the
 * server lists every worker polling. Compiled workers load the build's workflow bundle; tsx
 * ones the bundle built here once.
 */
async function startChildren(
  processes: BenchProcesses,
  env: NodeJS.ProcessEnv,
  bundleCode: string,
  tmp: string,
  resources: Resources,
  config: Config,
) {
  const runtime = processes.runtime ?? 'compiled';
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    LOG_LEVEL: processes.logLevel ?? 'warn',
    LOG_FORMAT: 'json',
    // Not the fixed default: another bench or worker on this machine may hold it.
    WORKER_METRICS_PORT: env.WORKER_METRICS_PORT ?? String(await freePort()),
  };
  if (runtime === 'compiled') {
    await ensureBuild({ log: (m) => console.log(m) });
    delete childEnv.WORKFLOW_BUNDLE_PATH;
  } else {
    childEnv.WORKFLOW_BUNDLE_PATH = path.join(tmp, 'workflow-bundle.js');
    fs.writeFileSync(childEnv.WORKFLOW_BUNDLE_PATH, bundleCode);
  }
  const profileArgs = (name: string) =>
    processes.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(processes.cpuProfileDir, name)}`]
      : [];
  const workers = Array.from({ length: processes.workers }, (_, i) =>
    spawnEntry(
      'workers/main.ts',
      { ...childEnv, WORKER_INDEX: String(i) },
      path.join(tmp, `worker-${i}.log`),
      runtime,
      profileArgs(`worker-${i}`),
    ),
  );
  const ports = await Promise.all(Array.from({ length: processes.apis }, () => freePort()));
  const apis = ports.map((port, i) =>
    spawnEntry(
      'src/api/main.ts',
      { ...childEnv, PORT: String(port) },
      path.join(tmp, `api-${i}.log`),
      runtime,
      profileArgs(`api-${i}`),
    ),
  );
  const stop = () => Promise.all([...apis, ...workers].map((c) => c.stop()));
  try {
    for (const [i, port] of ports.entries())
      await waitForPort('127.0.0.1', port, { timeoutMs: 60_000, isDead: apis[i]?.dead });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const polling = workerPollers(await describePollers(resources.temporal, config.temporal.taskQueue));
      if (polling.workers.length >= processes.workers) break;
      const dead = workers.findIndex((w) => w.dead());
      if (dead >= 0 || Date.now() > deadline)
        throw new Error(`worker ${dead >= 0 ? dead : ''} not polling: see ${tmp}/worker-*.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { apis, workers, apiOrigins: ports.map((p) => `http://127.0.0.1:${p}`), stop };
}
