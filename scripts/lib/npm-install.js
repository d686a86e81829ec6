/**
 * `npm install` in a package folder when its package.json or lock file changed since the last
 * install there (a hash kept in node_modules/.sr-install-stamp). Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

function lockHash(dir) {
  const h = crypto.createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex');
}

/** Returns true when it installed. */
function installWhenLockChanged(dir, { log = console.log, what = 'npm dependencies' } = {}) {
  const stamp = path.join(dir, 'node_modules', '.sr-install-stamp');
  const want = lockHash(dir);
  const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
  if (have === want) return false;
  log(`Installing ${what} (npm install from the lock file)...`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm install in ${dir} failed with exit code ${r.status}`);
  fs.writeFileSync(stamp, want);
  return true;
}

module.exports = { installWhenLockChanged };
