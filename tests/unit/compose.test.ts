/** No Docker engine runs on the project's machines: check the files parse and agree with the code. */
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { COMPILED_ENV, NODE_FLAGS, compiledPath } from '../../scripts/lib/build';
import { SEARCH_ATTRIBUTES } from '../../scripts/lib/temporal-server';
import { createMetrics } from '../../src/api/metrics';
import { loadConfig } from '../../src/config';
import type { Orm } from '../../src/db/orm';
import { businessRegistry, registerDatabaseGauges, registerReadinessGauge } from '../../src/metrics';

const root = path.resolve(__dirname, '../..');

describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  const services = compose.services as Record<string, Record<string, unknown>>;

  it('defines the whole stack on real images', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'grafana',
      'migrate',
      'postgres',
      'prometheus',
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

  it('runs the compiled entry points, with the memory settings npm start uses', () => {
    const entries = { api: 'src/api/main.ts', worker: 'workers/main.ts', migrate: 'src/cli/migrate.ts' };
    for (const [name, entry] of Object.entries(entries)) {
      expect(fs.existsSync(path.join(root, entry))).toBe(true);
      expect(services[name]!.command).toEqual([
        'node',
        ...(NODE_FLAGS[entry] ?? []),
        compiledPath(entry),
        ...(name === 'migrate' ? ['up'] : []),
      ]);
    }
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    for (const dir of ['src', 'workflows', 'activities', 'workers', 'migrations'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
    for (const [key, value] of Object.entries(COMPILED_ENV)) expect(dockerfile).toContain(`${key}=${value}`);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(services.api!.command);
  });
});

/** Metric names a PromQL expression reads (label matchers, grouping labels, strings and ranges left out). */
function metricNamesIn(expr: string): string[] {
  const FUNCTIONS = new Set([
    'sum',
    'min',
    'max',
    'avg',
    'count',
    'rate',
    'irate',
    'increase',
    'histogram_quantile',
    'by',
    'without',
    'on',
    'ignoring',
    'or',
    'and',
    'unless',
    'offset',
    'bool',
  ]);
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((t) => !FUNCTIONS.has(t));
}

describe('ops/: Prometheus scrape config, alert rules and the Grafana dashboard', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  const services = compose.services as Record<string, Record<string, unknown>>;

  /** Every metric we define: the business module's, the API's, and the Node defaults prom-client adds. */
  const ours = (() => {
    const extra = new Registry();
    registerDatabaseGauges(extra, () => Promise.reject(new Error('not scraped')));
    registerReadinessGauge(extra, () => Promise.resolve({ checks: {} }));
    const api = createMetrics({} as Orm, {}).registry;
    return new Set([businessRegistry, extra, api].flatMap((r) => r.getMetricsAsArray().map((m) => m.name)));
  })();
  /** The Temporal Core SDK names its metrics in its native library (any platform's): a name absent there is a typo. */
  const releases = path.join(root, 'node_modules', '@temporalio', 'core-bridge', 'releases');
  const core = fs.readFileSync(path.join(releases, fs.readdirSync(releases)[0]!, 'index.node'));
  const known = (name: string) => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (ours.has(name) || ours.has(base)) return true;
    if (name === 'up') return true; // Prometheus's own per-target sample
    return name.startsWith('temporal_') && core.includes(base.slice('temporal_'.length));
  };

  it('runs Prometheus and Grafana with the files under ops/ mounted', () => {
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:v\d/);
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:\d/);
    const mounted = (name: string) =>
      (services[name]!.volumes as string[])
        .map((v) => v.split(':')[0]!)
        .filter((v) => v.startsWith('./'))
        .map((v) => path.join(root, v));
    for (const file of [...mounted('prometheus'), ...mounted('grafana')])
      expect(fs.existsSync(file)).toBe(true);
  });

  it('scrapes the API and both worker endpoints on the ports the config defaults to', () => {
    const prometheus = parse(fs.readFileSync(path.join(root, 'ops', 'prometheus.yml'), 'utf8'));
    const jobs = Object.fromEntries(
      (
        prometheus.scrape_configs as {
          job_name: string;
          dns_sd_configs: { names: string[]; port: number }[];
        }[]
      ).map((j) => [j.job_name, `${j.dns_sd_configs[0]!.names[0]}:${j.dns_sd_configs[0]!.port}`]),
    );
    const defaults = loadConfig({ JWT_SECRET: 'x'.repeat(32) });
    expect(jobs).toEqual({
      api: `api:${defaults.port}`,
      'worker-sdk': `worker:${defaults.workerMetrics.sdk}`,
      'worker-business': `worker:${defaults.workerMetrics.business}`,
    });
  });

  it('has five alert rules, each on metrics that exist', () => {
    const alerts = parse(fs.readFileSync(path.join(root, 'ops', 'alerts.yml'), 'utf8'));
    const rules = (alerts.groups as { rules: { alert: string; expr: string }[] }[]).flatMap((g) => g.rules);
    expect(rules).toHaveLength(5);
    for (const rule of rules)
      for (const name of metricNamesIn(rule.expr))
        expect({ alert: rule.alert, name, known: known(name) }).toEqual({
          alert: rule.alert,
          name,
          known: true,
        });
  });

  it('the Grafana dashboard parses and every panel reads metrics that exist', () => {
    const dashboard = JSON.parse(
      fs.readFileSync(path.join(root, 'ops', 'grafana', 'dashboards', 'stoned-rabbits.json'), 'utf8'),
    ) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    const read = new Set<string>();
    for (const panel of panels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? [])
        for (const name of metricNamesIn(expr)) {
          read.add(name.replace(/_(bucket|sum|count)$/, ''));
          expect({ panel: panel.title, name, known: known(name) }).toEqual({
            panel: panel.title,
            name,
            known: true,
          });
        }
    }
    // The worker's health an operator watches first, and every business metric we define.
    for (const name of [
      'temporal_worker_task_slots_available',
      'temporal_workflow_task_schedule_to_start_latency',
      'temporal_sticky_cache_size',
      ...businessRegistry.getMetricsAsArray().map((m) => m.name),
    ])
      expect({ name, onDashboard: read.has(name) }).toEqual({ name, onDashboard: true });
  });
});
