/**
 * The API process never loads @temporalio/worker (the native bridge wrapper, rxjs, the bundler's
 * entry: RSS the API does not need; issue 17). A fresh process loads what src/api/main.ts does.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

it('the API (app, routes, resources) loads no @temporalio/worker module', () => {
  const script = [
    "require('./src/api/app');",
    "require('./src/api/routes');",
    "require('./src/resources');",
    "console.log(Object.keys(require.cache).filter((m) => m.includes('@temporalio/worker')).join('\\n'));",
  ].join('');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('');
  expect(run.status).toBe(0);
}, 60_000);
