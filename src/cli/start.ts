/**
 * The local supervisor behind `npm start`: on local defaults it starts (or reuses) the
 * Temporal dev server and the local Solana chain, creates and migrates the database, then
 * runs the worker and the API as separate processes and prints where everything is.
 * Ctrl-C stops every child it started; nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, devAdminKeyFile, loadConfig, type Config } from '../config';
import { isPortOpen, waitForPort } from '../../scripts/lib/ports';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server';
import { ensureLocalChainEnv, ensureLocalKeys, localChainDataDir } from '../chain/local-keys';
import { ensureKeypairFile } from '../chain/payer-key';

const ROOT = path.resolve(__dirname, '..', '..');
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

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

function spawnChild(name: string, args: string[], env: NodeJS.ProcessEnv, logFile?: string): ChildProcess {
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so we stop it (and its children) in order
  });
  children.push({ name, proc });
  proc.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return proc;
}

function runToCompletion(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: 'inherit' });
    proc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code})`)),
    );
  });
}

async function stopAll(code: number): Promise<never> {
  stopping = true;
  for (const { name, proc } of [...children].reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) continue;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      continue;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000);
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
  log('starting the Temporal dev server (data in .data/temporal)');
  const server = await startTemporalDevServer({
    cli,
    port: 7233,
    uiPort: 8233,
    dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
    logFile: path.join(dataDir, 'logs', 'temporal.log'),
  });
  children.unshift({ name: 'temporal', proc: server.process });
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
    spawnChild(
      'local-chain',
      ['src/chain/local/main.ts', '--port', String(port), '--data-dir', localChainDataDir(config)],
      process.env,
      path.join(config.dataDir, 'logs', 'local-chain.log'),
    );
    await waitForPort('127.0.0.1', port, { timeoutMs: 60_000 });
  }
  const chainEnv = await ensureLocalChainEnv(config);
  return { ...chainEnv };
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
    for (const { proc } of children)
      if (proc.pid && proc.exitCode === null)
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
  });

  await ensureTemporal(config, dataDir);
  Object.assign(env, await ensureLocalChain(config));
  const wallets = localWallets(config);
  log('migrating the database');
  await runToCompletion('migrate', ['src/cli/migrate.ts', 'up'], env);

  spawnChild('worker', ['workers/main.ts'], env);
  spawnChild('api', ['src/api/main.ts'], env);
  await waitForPort('127.0.0.1', config.port, { timeoutMs: 60_000 });
  await waitUntilReady(config.port);

  const api = `http://localhost:${config.port}`;
  console.log(
    [
      '',
      'Stoned Rabbits backend is running:',
      `  API          ${api}/api/v1`,
      `  API docs     ${api}/docs`,
      `  Dashboard    ${api}/admin`,
      `  Readiness    ${api}/readyz`,
      `  Temporal UI  ${config.temporal.local ? 'http://localhost:8233' : config.temporal.uiUrl}`,
      ...(env.RPC_URL && !config.solana.rpcUrl
        ? [`  Local chain  ${env.RPC_URL} (npm run chain -- --help)`]
        : []),
      ...wallets.map(({ label, address, how }) => `  ${label.padEnd(13)}${address} (${how})`),
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

async function waitUntilReady(port: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
      last = await res.text();
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
