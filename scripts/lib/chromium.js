/**
 * Debian's Chromium for the browser tests (driven by playwright-core, never a downloaded
 * browser): installed with apt-get when /usr/bin/chromium is missing. Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

/** The browser tests drive Debian's Chromium; install it when it is missing. */
function ensureChromium({ log = console.log } = {}) {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  log('Installing Chromium for the dashboard tests (apt-get install chromium)...');
  const root = typeof process.getuid !== 'function' || process.getuid() === 0;
  const apt = (args) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  const update = apt(['update']);
  const install = update.status === 0 ? apt(['install', '-y', 'chromium']) : update;
  if (install.status !== 0 || !fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing and apt-get could not install it (${install.error ? install.error.message : `exit code ${install.status}`}). ` +
        'Install it by hand: apt-get update && apt-get install -y chromium',
    );
  }
  return CHROMIUM;
}

module.exports = { ensureChromium, CHROMIUM };
