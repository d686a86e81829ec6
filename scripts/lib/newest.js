/**
 * Modification times for the "is the build older than its sources?" checks of `npm start`
 * (the admin dashboard, the backend's dist/). Cheap: a stat per file, nothing read. Plain Node.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Newest modification time under `p` (a file or a directory tree), 0 if missing. */
function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

/** True when `built` is missing or one of `inputs` (paths under `root`) changed after it. */
function isStale(built, inputs, root) {
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return inputs.some((input) => newest(path.join(root, input)) > builtAt);
}

module.exports = { isStale };
