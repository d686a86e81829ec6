/** No Docker engine runs on the project's machines: check the files parse and agree with the code. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../scripts/lib/temporal-server';

const root = path.resolve(__dirname, '../..');

describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));

  it('defines the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'redis',
      'temporal',
      'worker',
    ]);
    expect(compose.services.postgres.image).toBe('postgres:15');
    expect(compose.services.redis.image).toBe('redis:7');
    expect(compose.services.api.ports).toContain('3000:3000');
    expect(compose.services.temporal.ports).toEqual(expect.arrayContaining(['7233:7233', '8233:8233']));
  });

  it('registers the same search attributes as the dev-server script', () => {
    const flags = (compose.services.temporal.command as string[]).filter((c) =>
      c.startsWith('--search-attribute='),
    );
    expect(flags.map((f) => f.slice('--search-attribute='.length)).sort()).toEqual(
      Object.entries(SEARCH_ATTRIBUTES)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
  });

  it('runs entry points that exist', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const file =
        (compose.services[name].command as string[]).at(-1) === 'up'
          ? 'src/cli/migrate.ts'
          : (compose.services[name].command as string[]).at(-1)!;
      expect(fs.existsSync(path.join(root, file))).toBe(true);
    }
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    for (const dir of ['src', 'workflows', 'activities', 'workers', 'migrations'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
  });
});
