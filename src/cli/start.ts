/**
 * The local supervisor behind `npm start`: on local defaults it starts (or reuses) the
 * Temporal dev server and the local Solana chain, creates and migrates the database, then
 * runs the workers (WORKERS, each with its WORKER_INDEX) and the API processes (API_PROCESSES,
 * on consecutive ports from PORT) as separate processes and prints where everything is. The
 * children run compiled, from dist/ (scripts/start.js builds it first), with production's
 * memory settings (scripts/lib/build.js). A child that dies is logged with its exit code and
 * started again with backoff (see `supervise`). Ctrl-C stops every child it started, once;
 * nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, devAdminKeyFile, loadConfig, workerMetricsPorts, type Config } from '../config';
import { PACKAGE_ROOT as ROOT } from '../package-root';
import { COMPILED_ENV, compiledArgs } from '../../scripts/lib/build';
import { isPortOpen, waitForPort } from '../../scripts/lib/ports';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server';
import { startTemporalCluster } from '../../scripts/lib/temporal-cluster';
import { ensureLocalChainEnv, ensureLocalKeys, localChainDataDir } from '../chain/local-keys';
import { ensureKeypairFile } from '../chain/payer-key';

/** A supervised child; `proc` is its current process (replaced when it is restarted). */
interface Child {
  name: string;
  proc: ChildProcess;
}
const children: Child[] = [];
let stopping = false;

// Restart backoff: 0.5 s doubling to 30 s; back to 0.5 s once a child has stayed up a minute.
const RESTART_FIRST_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 30_000;
const RESTART_STABLE_MS = 60_000;

function log(message: string) {
  console.log(`[start] ${message}`);
}

/** KEY=VALUE lines of `.env`, if present; the real environment wins. */
function readDotEnv(): Record<string, string> {
  const file = path.join(ROOT, '.env');
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** A JWT secret for local runs, made once and kept under .data/ (never in the repository). */
function localJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secrets', 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * Spawns the compiled `entry` (its TypeScript path, e.g. `workers/main.ts`, run from dist/ as
 * production runs it: scripts/lib/build.js compiledArgs and COMPILED_ENV) with `args`, in its
 * own process group (stopped as a group, in order). scripts/start.js built dist/ first.
 */
function spawnNode(entry: string, args: string[], env: NodeJS.ProcessEnv, logFile?: string): ChildProcess {
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  return spawn(process.execPath, compiledArgs(entry, args), {
    cwd: ROOT,
    env: { ...COMPILED_ENV, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
}

/** Spawns `entry` with `args`; resolves once it listens on `port` (and `ready` resolved); kills it if not. */
async function launchListening(
  entry: string,
  args: string[],
  port: number,
  logFile: string,
  ready: () => Promise<unknown> = () => Promise.resolve(),
): Promise<ChildProcess> {
  const proc = spawnNode(entry, args, process.env, logFile);
  const dead = () => proc.exitCode !== null || proc.signalCode !== null;
  try {
    await waitForPort('127.0.0.1', port, { timeoutMs: 60_000, isDead: dead });
    await ready();
  } catch (err) {
    killGroup(proc, 'SIGKILL');
    throw err;
  }
  return proc;
}

const exitText = (code: number | null, signal: NodeJS.Signals | null) =>
  signal ? `signal ${signal}` : `exit code ${code}`;

/**
 * Keeps a child running: `launch` starts it (resolving once it is up). If it dies while we
 * are not stopping, that is logged with its exit code and it is launched again after the
 * backoff; a launch that fails counts as another death. `first`: stopped last (Temporal).
 */
async function supervise(name: string, launch: () => Promise<ChildProcess>, first = false): Promise<Child> {
  const child: Child = { name, proc: await launch() };
  if (first) children.unshift(child);
  else children.push(child);
  let delayMs = RESTART_FIRST_DELAY_MS;
  let upSince = Date.now();
  const restartLater = (why: string) => {
    if (Date.now() - upSince >= RESTART_STABLE_MS) delayMs = RESTART_FIRST_DELAY_MS;
    console.error(`[start] ${name} ${why}; restarting in ${delayMs} ms`);
    setTimeout(() => void relaunch(), delayMs);
    delayMs = Math.min(delayMs * 2, RESTART_MAX_DELAY_MS);
  };
  const watch = () => {
    upSince = Date.now();
    log(`started ${name} (pid ${child.proc.pid})`);
    child.proc.once('exit', (code, signal) => {
      if (!stopping) restartLater(`exited (${exitText(code, signal)})`);
    });
  };
  const relaunch = async () => {
    if (stopping) return;
    try {
      child.proc = await launch();
    } catch (err) {
      restartLater(`did not start again (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    if (stopping)
      killGroup(child.proc, 'SIGKILL'); // stopAll ran while it was starting
    else watch();
  };
  watch();
  return child;
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): boolean {
  if (!proc.pid || proc.exitCode !== null || proc.signalCode !== null) return false;
  try {
    process.kill(-proc.pid, signal);
    return true;
  } catch {
    return false; // gone
  }
}

function runToCompletion(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, compiledArgs(entry, args), {
      cwd: ROOT,
      env: { ...COMPILED_ENV, ...env },
      stdio: 'inherit',
    });
    proc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code})`)),
    );
  });
}

async function stopAll(code: number): Promise<never> {
  stopping = true;
  for (const { name, proc } of [...children].reverse()) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    if (!killGroup(proc, 'SIGTERM')) continue;
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    log(`stopped ${name}`);
  }
  process.exit(code);
}

async function ensureTemporal(config: Config, dataDir: string): Promise<void> {
  if (!config.temporal.local) return log(`using Temporal at ${config.temporal.address}`);
  if (await isPortOpen('127.0.0.1', 7233))
    return log('reusing the Temporal server already on 127.0.0.1:7233');
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli) throw new Error('TEMPORAL_CLI_PATH not set (scripts/start.js finds or builds the CLI)');
  // TEMPORAL_MODE=cluster: the real server on PostgreSQL (scripts/lib/temporal-cluster.js).
  const cluster = process.env.TEMPORAL_MODE === 'cluster';
  log(
    cluster
      ? 'starting the Temporal cluster (PostgreSQL)'
      : 'starting the Temporal dev server (data in .data/temporal)',
  );
  const common = { cli, port: 7233, uiPort: 8233, logFile: path.join(dataDir, 'logs', 'temporal.log') };
  const launch = async () =>
    (cluster
      ? await startTemporalCluster({
          ...common,
          namespace: config.temporal.namespace,
          configDir: path.join(dataDir, 'temporal-cluster'),
        })
      : await startTemporalDevServer({ ...common, dbFile: path.join(dataDir, 'temporal', 'temporal.db') })
    ).process;
  await supervise('temporal', launch, true);
}

/**
 * Outside production with no RPC_URL, runs (or reuses) the local Solana chain and returns the
 * env that points the API and worker at it: RPC URL, local treasury, USDC-like mint, payer key.
 */
async function ensureLocalChain(config: Config): Promise<Record<string, string>> {
  if (config.solana.rpcUrl || config.isProduction) return {};
  const port = config.solana.localChainPort;
  if (await isPortOpen('127.0.0.1', port)) {
    log(`reusing the local chain already on 127.0.0.1:${port}`);
  } else {
    log('starting the local Solana chain (state in .data/chain)');
    const logFile = path.join(config.dataDir, 'logs', 'local-chain.log');
    const args = ['--port', String(port), '--data-dir', localChainDataDir(config)];
    // after a restart too: a chain that lost its state gets its keys funded and mint back
    await supervise('local-chain', () =>
      launchListening('src/chain/local/main.ts', args, port, logFile, () => ensureLocalChainEnv(config)),
    );
  }
  return { ...(await ensureLocalChainEnv(config)) };
}

/**
 * Outside production with EMAIL_TRANSPORT unset, e-mails go to the local SendGrid-compatible
 * mail sink (src/email/local/), whose page lists what arrived; EMAIL_TRANSPORT=log keeps the
 * log transport. Returns the env that points the worker at it.
 */
async function ensureLocalMailSink(config: Config, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  if (config.isProduction || env.EMAIL_TRANSPORT) return {};
  const port = config.localMailSinkPort;
  if (await isPortOpen('127.0.0.1', port)) {
    log(`reusing the mail sink already on 127.0.0.1:${port}`);
  } else {
    const logFile = path.join(config.dataDir, 'logs', 'mail-sink.log');
    await supervise('mail-sink', () =>
      launchListening('src/email/local/sink-main.ts', ['--port', String(port)], port, logFile),
    );
  }
  return {
    EMAIL_TRANSPORT: 'sendgrid',
    SENDGRID_API_URL: `http://127.0.0.1:${port}`,
    SENDGRID_API_KEY: 'SG.local-mail-sink', // the sink accepts any key; not a secret
    EMAIL_PROVIDER_DEDUPES: 'true', // the sink dedupes by our idempotency key
  };
}

async function main() {
  const dotEnv = readDotEnv();
  const env: NodeJS.ProcessEnv = { ...dotEnv, ...process.env };
  const dataDir = path.resolve(ROOT, env.DATA_DIR ?? '.data');
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  if (!env.JWT_SECRET && env.NODE_ENV !== 'production') env.JWT_SECRET = localJwtSecret(dataDir);

  const config = loadConfig(env);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (!stopping) {
        log(`${sig}: stopping`);
        void stopAll(0);
      }
    });
  }
  process.on('exit', () => {
    for (const { proc } of children) killGroup(proc, 'SIGKILL');
  });

  await ensureTemporal(config, dataDir);
  Object.assign(env, await ensureLocalChain(config));
  const wallets = localWallets(config);
  const mailSink = await ensureLocalMailSink(config, env);
  Object.assign(env, mailSink);
  log('migrating the database');
  await runToCompletion('migrate', 'src/cli/migrate.ts', ['up'], env);

  const { workers, apis } = config.processes;
  // WORKERS=N: N workers on the one task queue, told apart by WORKER_INDEX (identity, metrics port).
  const workerChildren: Child[] = [];
  for (let i = 0; i < workers; i++) {
    const workerEnv = { ...env, WORKER_INDEX: String(i) };
    workerChildren.push(
      await supervise(processName('worker', i, workers), () =>
        Promise.resolve(spawnNode('workers/main.ts', [], workerEnv)),
      ),
    );
  }
  // API_PROCESSES=N: N APIs on consecutive ports from PORT (each restarted on its own port).
  const apiPorts = Array.from({ length: apis }, (_, i) => config.port + i);
  for (const [i, port] of apiPorts.entries()) {
    const apiEnv = { ...env, PORT: String(port) };
    await supervise(processName('api', i, apis), () =>
      Promise.resolve(spawnNode('src/api/main.ts', [], apiEnv)),
    );
  }
  for (const port of apiPorts) await waitForPort('127.0.0.1', port, { timeoutMs: 60_000 });
  await waitUntilReady(config.port, () => workerChildren.map((c) => c.proc.pid));

  const api = `http://localhost:${config.port}`;
  const others = apiPorts.slice(1).map((port) => `http://localhost:${port}`);
  console.log(
    [
      '',
      'Stoned Rabbits backend is running:',
      `  API          ${api}/api/v1`,
      ...others.map((url) => `  API          ${url}/api/v1`),
      `  API docs     ${api}/docs`,
      `  Dashboard    ${api}/admin`,
      `  Readiness    ${api}/readyz`,
      `  Processes    ${workers} worker${workers === 1 ? '' : 's'}, ${apis} API process${apis === 1 ? '' : 'es'}`,
      `  Temporal UI  ${config.temporal.local ? 'http://localhost:8233' : config.temporal.uiUrl}`,
      `  Metrics      ${api}/metrics (API)`,
      ...Array.from({ length: workers }, (_, i) => {
        // This process runs as worker 0 of the config: its SDK port is the base of every pair.
        const ports = workerMetricsPorts(config.workerMetrics.sdk, i);
        return `  Metrics      http://localhost:${ports.business}/metrics (${processName('worker', i, workers)}), Temporal SDK http://localhost:${ports.sdk}/metrics`;
      }),
      ...(env.RPC_URL && !config.solana.rpcUrl
        ? [`  Local chain  ${env.RPC_URL} (npm run chain -- --help)`]
        : []),
      ...wallets.map(({ label, address, how }) => `  ${label.padEnd(13)}${address} (${how})`),
      mailSink.SENDGRID_API_URL
        ? `  E-mails      ${mailSink.SENDGRID_API_URL}/ (local mail sink: every message sent)`
        : `  E-mails      EMAIL_TRANSPORT=${env.EMAIL_TRANSPORT ?? 'log'}`,
      `  Logs         ${path.relative(ROOT, path.join(dataDir, 'logs'))}/ (Temporal); API and worker below`,
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

/**
 * Outside production: the local default wallet (the chain CLI's funded test wallet, which
 * `npm run sign-in` also uses) and the development admin wallet, its key file made before the
 * API starts so that its config reads it (src/config.ts: an admin in development only).
 */
function localWallets(config: Config): { label: string; address: string; how: string }[] {
  if (config.isProduction) return [];
  const admin = ensureKeypairFile(devAdminKeyFile(config.dataDir)).publicKey.toBase58();
  const adminHow = `npm run sign-in -- --admin${config.env === 'development' ? '' : '; an admin only when NODE_ENV=development'}`;
  const wallets = [{ label: 'Admin wallet', address: admin, how: adminHow }];
  if (config.solana.rpcUrl) return wallets;
  const wallet = ensureLocalKeys(config)['test-wallet'].address;
  return [{ label: 'Wallet', address: wallet, how: 'npm run sign-in; npm run chain -- pay' }, ...wallets];
}

/** `worker` for a single one, `worker-0`, `worker-1`... for several. */
const processName = (kind: string, index: number, count: number) => (count === 1 ? kind : `${kind}-${index}`);

/**
 * Until /readyz answers 200 and lists every worker we run polling, by its pid (identity
 * `worker-<index>@<host>:<pid>`; a worker that stopped earlier may still be listed a while).
 * Bounded; logs why not.
 */
async function waitUntilReady(port: number, workerPids: () => (number | undefined)[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      last = await res.text();
      const listed = (
        JSON.parse(last) as { checks?: { workers?: { workers?: { identity: string }[] } } }
      ).checks?.workers?.workers?.map((w) => w.identity);
      const polling = (pid: number | undefined) => listed?.some((id) => id.endsWith(`:${pid}`));
      if (res.ok && workerPids().every(polling)) return;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`not ready after 90 s: ${last}`);
}

main().catch(async (err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `[start] ${err instanceof Error ? err.message : err}`,
  );
  await stopAll(1);
});
