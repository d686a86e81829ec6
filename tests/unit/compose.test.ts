/** No Docker engine runs on the project's machines: check the files parse and agree with the code. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../scripts/lib/temporal-server';

const root = path.resolve(__dirname, '../..');

describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  const services = compose.services as Record<string, Record<string, unknown>>;

  it('defines the whole stack on real images', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'redis',
      'temporal',
      'temporal-search-attributes',
      'temporal-ui',
      'worker',
    ]);
    expect(services.postgres!.image).toBe('postgres:15');
    expect(services.redis!.image).toBe('redis:7');
    // The server version the CLI v1.5.1 embeds (scripts/lib/temporal-cluster.js builds the same).
    expect(services.temporal!.image).toBe('temporalio/auto-setup:1.29.1');
    expect(services['temporal-ui']!.image).toBe('temporalio/ui:2.42.1');
    expect(services['temporal-search-attributes']!.image).toBe('temporalio/temporal:1.5.1');
    expect(services.api!.ports).toContain('3000:3000');
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(services['temporal-ui']!.ports).toContain('8233:8233');
  });

  it('runs Temporal on PostgreSQL with several history shards', () => {
    const env = services.temporal!.environment as Record<string, string>;
    expect(env.DB).toBe('postgres12');
    expect(env.POSTGRES_SEEDS).toBe('postgres');
    expect(Number(env.NUM_HISTORY_SHARDS)).toBeGreaterThan(1);
  });

  it('registers the same search attributes as the dev-server script', () => {
    const args = services['temporal-search-attributes']!.command as string[];
    expect(args.slice(0, 3)).toEqual(['operator', 'search-attribute', 'create']);
    const names = args.filter((a) => a.startsWith('--name=')).map((a) => a.slice('--name='.length));
    const types = args.filter((a) => a.startsWith('--type=')).map((a) => a.slice('--type='.length));
    expect(names.map((n, i) => `${n}=${types[i]}`).sort()).toEqual(
      Object.entries(SEARCH_ATTRIBUTES)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    // The app starts only once they exist.
    for (const name of ['api', 'worker'])
      expect(services[name]!.depends_on).toMatchObject({
        'temporal-search-attributes': { condition: 'service_completed_successfully' },
      });
  });

  it('has healthchecks, and api/worker can be scaled', () => {
    for (const name of ['postgres', 'redis', 'temporal', 'api', 'worker'])
      expect((services[name]!.healthcheck as { test: string[] }).test[0]).toBe('CMD');
    for (const name of ['api', 'worker']) {
      expect(services[name]!.deploy).toHaveProperty('replicas');
      expect(services[name]).not.toHaveProperty('container_name');
    }
    expect(services.worker).not.toHaveProperty('ports');
  });

  it('runs entry points that exist', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const file =
        (services[name]!.command as string[]).at(-1) === 'up'
          ? 'src/cli/migrate.ts'
          : (services[name]!.command as string[]).at(-1)!;
      expect(fs.existsSync(path.join(root, file))).toBe(true);
    }
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    for (const dir of ['src', 'workflows', 'activities', 'workers', 'migrations'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
  });
});
