/**
 * Finds the `temporal` CLI (TEMPORAL_CLI_PATH, then PATH, then the Go bin dir) or builds it
 * once with `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` and caches it in the
 * Go bin dir. Plain Node (no dependencies) so it runs before `npm install`.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function goBinDir(go) {
  const gobin = execFileSync(go, ['env', 'GOBIN'], { encoding: 'utf8' }).trim();
  if (gobin) return gobin;
  const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8' }).trim().split(path.delimiter)[0];
  return path.join(gopath, 'bin');
}

function findGo() {
  return onPath('go') || (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Returns the path of a usable `temporal` binary, building it if needed. */
function ensureTemporalCli({ log = console.log } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const found = onPath('temporal');
  if (found) return found;
  const go = findGo();
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, Go bin dir) and Go is not installed to build it.\n' +
        `Install Go (https://go.dev/dl) and re-run, or install the CLI yourself: go install ${CLI_MODULE}`,
    );
  }
  const cached = path.join(goBinDir(go), 'temporal');
  if (isExecutable(cached)) return cached;
  log(
    `Building the Temporal CLI once (go install ${CLI_MODULE}); this takes a few minutes on a cold Go cache...`,
  );
  const started = Date.now();
  const result = spawnSync(go, ['install', CLI_MODULE], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`go install ${CLI_MODULE} failed with exit code ${result.status}`);
  if (!isExecutable(cached)) throw new Error(`go install succeeded but ${cached} is missing`);
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${cached}`);
  return cached;
}

module.exports = { ensureTemporalCli, CLI_MODULE };

if (require.main === module) {
  try {
    console.log(ensureTemporalCli({ log: (m) => console.error(m) }));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
