/**
 * The checks `npm test` runs before Jest: type check (root and admin projects), lint, format
 * check and dead-code check. Two at a time (the machine has 2 cores): ESLint, the longest,
 * starts first and the others follow in the second lane. Each check's output is shown only
 * when it fails. Plain Node.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const bin = (pkg, file) => path.join(ROOT, 'node_modules', pkg, file);

/** name, then the command (node + script) it runs; the same commands as the npm scripts. */
const CHECKS = [
  { name: 'lint', args: [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.'] },
  { name: 'typecheck', args: [bin('typescript', 'bin/tsc'), '--noEmit', '-p', '.'] },
  {
    name: 'typecheck:admin',
    args: [path.join(ROOT, 'admin', 'node_modules', 'typescript', 'bin', 'tsc'), '-b'],
    cwd: path.join(ROOT, 'admin'),
  },
  {
    name: 'format:check',
    args: [bin('prettier', 'bin/prettier.cjs'), '--check', '.', '--log-level', 'warn'],
  },
  { name: 'deadcode', args: [bin('knip', 'bin/knip.js'), '--no-progress'] },
];

function run(check) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, check.args, {
      cwd: check.cwd ?? ROOT,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => (output += `${err.message}\n`));
    child.on('close', (code, signal) =>
      resolve({
        name: check.name,
        ok: code === 0 && !signal,
        seconds: (Date.now() - started) / 1000,
        output,
      }),
    );
  });
}

/** Runs every check, `lanes` at a time; resolves to their results in CHECKS order. */
async function runChecks({ log = console.log, lanes = 2 } = {}) {
  const queue = [...CHECKS];
  const results = new Map();
  const lane = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const result = await run(check);
      results.set(check.name, result);
      log(`check ${result.name}: ${result.ok ? 'ok' : 'FAILED'} (${result.seconds.toFixed(1)} s)`);
      if (!result.ok) log(result.output.trimEnd());
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return CHECKS.map((c) => results.get(c.name));
}

module.exports = { CHECKS, runChecks };

if (require.main === module) {
  void runChecks().then((results) => {
    const failed = results.filter((r) => !r.ok).length;
    console.log(`checks: ${results.length - failed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
}
