/**
 * Makes a fresh clone runnable: installs npm dependencies when missing or stale (the lock
 * file changed since the last install) and finds or builds the Temporal CLI. Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ensureTemporalCli } = require('./temporal-cli');

const ROOT = path.resolve(__dirname, '..', '..');
const STAMP = path.join(ROOT, 'node_modules', '.sr-install-stamp');

function lockHash() {
  const h = crypto.createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(fs.readFileSync(path.join(ROOT, f)));
  return h.digest('hex');
}

function ensureDependencies({ log = console.log } = {}) {
  const want = lockHash();
  const have = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
  if (have === want) return false;
  log('Installing npm dependencies (npm install from the lock file)...');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm install failed with exit code ${r.status}`);
  fs.writeFileSync(STAMP, want);
  return true;
}

/** Installs what is missing; returns the Temporal CLI path unless a remote cluster is configured. */
function bootstrap({ log = console.log, needTemporalCli = !process.env.TEMPORAL_ADDRESS } = {}) {
  ensureDependencies({ log });
  return needTemporalCli ? ensureTemporalCli({ log }) : undefined;
}

module.exports = { bootstrap, ensureDependencies, ROOT };
