/**
 * Starts a Temporal dev server (`temporal server start-dev`) with the project's search
 * attributes registered, and waits until its frontend accepts connections.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { waitForPort } = require('./ports');

/** Business keys the Web UI filters runs by. Keep in sync with src/temporal/search-attributes.ts. */
const SEARCH_ATTRIBUTES = {
  RoundId: 'Keyword',
  WalletAddress: 'Keyword',
  DistributionMonth: 'Keyword',
  ProjectId: 'Keyword',
  BusinessStatus: 'Keyword',
};

/**
 * @param {{cli: string, port: number, uiPort?: number, dbFile?: string, namespace?: string,
 *          logFile?: string, ip?: string}} opts  no uiPort = headless; no dbFile = in memory
 * @returns {Promise<{address: string, uiUrl?: string, process: import('node:child_process').ChildProcess, stop: () => Promise<void>}>}
 */
async function startTemporalDevServer(opts) {
  const ip = opts.ip || '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  args.push('--namespace', opts.namespace || 'default');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);

  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(opts.cli, args, { stdio: ['ignore', out, out], detached: true });
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  try {
    await waitForPort(ip, opts.port, { timeoutMs: 60_000, isDead: () => exited });
  } catch (err) {
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    throw err;
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5_000).unref();
    });
  return {
    address: `${ip}:${opts.port}`,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    process: child,
    stop,
  };
}

module.exports = { startTemporalDevServer, SEARCH_ATTRIBUTES };
