#!/usr/bin/env node
/**
 * `npm test`: bootstraps a fresh clone (dependencies, Temporal CLI), runs the checks
 * (typecheck of both projects, lint, format check, dead-code check: scripts/lib/checks.js),
 * then every Jest suite (extra arguments go to Jest), prints `tests: N passed, N failed[, N
 * skipped]` last, each check counted as one test, and exits non-zero if anything failed.
 *
 * Given test files (`node scripts/test.js tests/integration/x.test.ts`), it runs only those
 * and skips the checks; `--checks` runs them anyway, `--no-checks` skips them for a full run.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { bootstrap, ROOT } = require('./lib/bootstrap');
const { runChecks } = require('./lib/checks');

async function main() {
  try {
    bootstrap({ needTemporalCli: true, needBrowser: true });
  } catch (err) {
    console.error(`bootstrap failed: ${err.message}`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
  let args = process.argv.slice(2);
  const forced = args.includes('--checks') ? true : args.includes('--no-checks') ? false : undefined;
  args = args.filter((a) => a !== '--checks' && a !== '--no-checks');
  const selected = args.some((a) => !a.startsWith('-'));
  let checks = { passed: 0, failed: 0 };
  if (forced ?? !selected) {
    const results = await runChecks();
    const failed = results.filter((r) => !r.ok).length;
    checks = { passed: results.length - failed, failed };
    console.log(`checks: ${checks.passed} passed, ${checks.failed} failed`);
  } else {
    console.log('checks skipped (selected test files; --checks runs them)');
  }

  const summaryFile = path.join(ROOT, 'test-output', 'summary.json');
  fs.rmSync(summaryFile, { force: true });
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(process.execPath, [jest, '--forceExit', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));

  let summary = { passed: 0, failed: 1, skipped: 0, runtimeErrors: 1 };
  if (fs.existsSync(summaryFile)) summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const failed = summary.failed + (code !== 0 && summary.failed === 0 ? 1 : 0) + checks.failed;
  const skipped = summary.skipped ? `, ${summary.skipped} skipped` : '';
  console.log(`tests: ${summary.passed + checks.passed} passed, ${failed} failed${skipped}`);
  process.exit(failed > 0 || code !== 0 ? 1 : 0);
}

void main();
