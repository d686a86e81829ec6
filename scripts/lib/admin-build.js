/**
 * The admin dashboard's part of the bootstrap: installs admin/'s own npm dependencies when its
 * lock file changed, and builds admin/dist when a source is newer than the build. Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { isStale } = require('./newest');
const { installWhenLockChanged } = require('./npm-install');

const ROOT = path.resolve(__dirname, '..', '..');
const ADMIN = path.join(ROOT, 'admin');
const BUILT = path.join(ADMIN, 'dist', 'index.html');
/** What the build reads: the app, its config, and the shared pure modules it imports. */
const BUILD_INPUTS = [
  'admin/src',
  'admin/public',
  'admin/index.html',
  'admin/vite.config.ts',
  'admin/tsconfig.json',
  'admin/tsconfig.app.json',
  'admin/tsconfig.node.json',
  'admin/package-lock.json',
  'src/domain',
];

function run(command, args, cwd, what) {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error(`${what} failed (${r.error ? r.error.message : `exit code ${r.status}`})`);
}

const ensureAdminDependencies = ({ log = console.log } = {}) =>
  installWhenLockChanged(ADMIN, { log, what: 'the admin dashboard dependencies (admin/)' });

/** Installs admin/'s dependencies if needed and rebuilds admin/dist when it is older than its sources. */
function ensureAdminBuild({ log = console.log } = {}) {
  const installed = ensureAdminDependencies({ log });
  if (!installed && !isStale(BUILT, BUILD_INPUTS, ROOT)) return false;
  log('Building the admin dashboard (admin/: tsc -b && vite build)...');
  run('npm', ['run', 'build'], ADMIN, 'the admin dashboard build');
  return true;
}

module.exports = { ensureAdminBuild };
