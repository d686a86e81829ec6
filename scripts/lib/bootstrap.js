/**
 * Makes a fresh clone runnable: installs npm dependencies when missing or stale (the lock
 * file changed since the last install), builds the admin dashboard when its sources changed,
 * finds or builds the Temporal CLI, and for the tests installs Chromium if missing. Plain Node.
 */
'use strict';
const path = require('node:path');
const { ensureAdminBuild } = require('./admin-build');
const { ensureChromium } = require('./chromium');
const { installWhenLockChanged } = require('./npm-install');
const { ensureTemporalCli } = require('./temporal-cli');

const ROOT = path.resolve(__dirname, '..', '..');

const ensureDependencies = ({ log = console.log } = {}) => installWhenLockChanged(ROOT, { log });

/** Installs what is missing; returns the Temporal CLI path unless a remote cluster is configured. */
function bootstrap({
  log = console.log,
  needTemporalCli = !process.env.TEMPORAL_ADDRESS,
  needBrowser = false,
} = {}) {
  ensureDependencies({ log });
  ensureAdminBuild({ log });
  if (needBrowser) ensureChromium({ log });
  return needTemporalCli ? ensureTemporalCli({ log }) : undefined;
}

module.exports = { bootstrap, ensureDependencies, ROOT };
