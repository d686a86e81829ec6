#!/usr/bin/env node
/**
 * `npm test`: bootstraps a fresh clone (dependencies, Temporal CLI), runs every Jest suite
 * (extra arguments go to Jest), then prints `tests: N passed, N failed[, N skipped]` last
 * and exits non-zero if anything failed.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { bootstrap, ROOT } = require('./lib/bootstrap');

async function main() {
  try {
    bootstrap({ needTemporalCli: true, needBrowser: true });
  } catch (err) {
    console.error(`bootstrap failed: ${err.message}`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
  const summaryFile = path.join(ROOT, 'test-output', 'summary.json');
  fs.rmSync(summaryFile, { force: true });
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(process.execPath, [jest, '--forceExit', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));

  let summary = { passed: 0, failed: 1, skipped: 0, runtimeErrors: 1 };
  if (fs.existsSync(summaryFile)) summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const failed = summary.failed + (code !== 0 && summary.failed === 0 ? 1 : 0);
  const skipped = summary.skipped ? `, ${summary.skipped} skipped` : '';
  console.log(`tests: ${summary.passed} passed, ${failed} failed${skipped}`);
  process.exit(failed > 0 || code !== 0 ? 1 : 0);
}

void main();
