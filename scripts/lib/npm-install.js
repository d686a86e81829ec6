/**
 * `npm install` in a package folder when what it installs changed since the last install
 * there: the lock file, or a dependency field of package.json (a hash kept in
 * node_modules/.sr-install-stamp). A new script line changes nothing installed. Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** The package.json fields that decide what npm installs. */
const INSTALL_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
  'allowScripts',
  'engines',
];

function lockHash(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(INSTALL_FIELDS.map((field) => manifest[field] ?? null)));
  h.update(fs.readFileSync(path.join(dir, 'package-lock.json')));
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
