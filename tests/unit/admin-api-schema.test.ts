/** The dashboard's API types (admin/src/api/schema.d.ts) are generated from the routes: stale = fail. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

it('admin/src/api/schema.d.ts matches the OpenAPI document of the route modules', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/admin-api-schema.ts', '--check'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  expect(`${run.stdout}${run.stderr}`).toContain('is up to date');
  expect(run.status).toBe(0);
}, 60_000);
