#!/usr/bin/env node
/**
 * `npm start`: makes a fresh clone runnable (dependencies, Temporal CLI), builds dist/ when it
 * is missing or older than the sources (scripts/lib/build.js), then hands over to the
 * TypeScript supervisor (src/cli/start.ts) that starts every process, compiled.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { bootstrap, ROOT } = require('./lib/bootstrap');
const { ensureBuild } = require('./lib/build');

async function main() {
  const temporalCli = bootstrap();
  if (temporalCli) process.env.TEMPORAL_CLI_PATH = temporalCli;
  await ensureBuild();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'start.ts'), ...process.argv.slice(2)],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  // Ctrl-C in a terminal reaches the supervisor directly (same process group); a signal sent to
  // this process alone (a process manager, `kill`) is passed on. The supervisor stops its
  // children once, however many signals arrive.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
});
