/**
 * The real Temporal server (go.temporal.io/server, the version the CLI v1.5.1 embeds) on our
 * PostgreSQL with several history shards, as a production-shaped alternative to the dev server:
 * builds and caches `temporal-server`, `temporal-sql-tool` and `temporal-ui-server` in the Go
 * bin dir, creates and migrates its two databases, writes its config, starts every service in
 * one process, creates the namespace and registers the search attributes, and serves the Web UI.
 * Same interface as startTemporalDevServer, so callers switch on TEMPORAL_MODE=cluster.
 * Plain Node (no dependencies). `npm run temporal:cluster` runs it in the foreground.
 */
'use strict';
const { execFile, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { freePort, waitForPort } = require('./ports');
const { SEARCH_ATTRIBUTES } = require('./temporal-server');
const { ensureTemporalCli } = require('./temporal-cli');

const run = promisify(execFile);
const SERVER_VERSION = 'v1.29.1';
const UI_VERSION = 'v2.42.1';
/** Binary name in the Go bin dir → module@version and the package inside it. */
const BINARIES = {
  'temporal-server': { module: 'go.temporal.io/server', version: SERVER_VERSION, pkg: './cmd/server' },
  'temporal-sql-tool': { module: 'go.temporal.io/server', version: SERVER_VERSION, pkg: './cmd/tools/sql' },
  'temporal-ui-server': {
    module: 'github.com/temporalio/ui-server/v2',
    version: UI_VERSION,
    pkg: './cmd/server',
  },
};
const HISTORY_SHARDS = 8;

function goEnv(name) {
  return spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout.trim();
}

function goBinDir() {
  return goEnv('GOBIN') || path.join(goEnv('GOPATH').split(path.delimiter)[0], 'bin');
}

function moduleDir(module, version) {
  // The module cache escapes capital letters as !lower; none of ours have any.
  return path.join(goEnv('GOMODCACHE'), `${module}@${version}`);
}

/**
 * Returns the path of a cached binary, building it once with `go build` inside its module
 * (downloaded through the Go module proxy) so the module's own go.sum pins every dependency.
 */
function ensureBinary(name, { log = console.log } = {}) {
  const bin = path.join(goBinDir(), name);
  if (fs.existsSync(bin)) return bin;
  const { module, version, pkg } = BINARIES[name];
  const dl = spawnSync('go', ['mod', 'download', `${module}@${version}`], { encoding: 'utf8' });
  if (dl.status !== 0) throw new Error(`go mod download ${module}@${version} failed:\n${dl.stderr}`);
  log(`Building ${name} once (${module}@${version} ${pkg}); this takes minutes on a cold Go cache...`);
  const started = Date.now();
  const res = spawnSync('go', ['build', '-o', bin, pkg], {
    cwd: moduleDir(module, version),
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`go build ${name} failed (exit ${res.status}):\n${res.stderr}`);
  log(`${name} built in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  return bin;
}

function ensureClusterBinaries(opts) {
  return Object.fromEntries(Object.keys(BINARIES).map((name) => [name, ensureBinary(name, opts)]));
}

/** Creates the database if missing and brings its schema to this server version (idempotent). */
async function migrateDatabase(sqlTool, pg, database, schemaName) {
  const base = sqlToolConnection(pg, database);
  const versioned = path.join(
    moduleDir('go.temporal.io/server', SERVER_VERSION),
    'schema',
    'postgresql',
    'v12',
    schemaName,
    'versioned',
  );
  for (const args of [
    ['create-database'],
    ['setup-schema', '-v', '0.0'],
    ['update-schema', '-d', versioned],
  ]) {
    try {
      await run(sqlTool, [...base, ...args], { env: sqlToolEnv(pg) });
    } catch (err) {
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${err.stderr || err.message}`);
    }
  }
}

/**
 * temporal-sql-tool's connection flags for one database of our PostgreSQL. The password goes
 * in its SQL_PASSWORD variable (sqlToolEnv), never on the command line, which a failed
 * execFile repeats in its error message.
 */
function sqlToolConnection(pg, database) {
  const args = [
    '--pl',
    'postgres12',
    '--ep',
    pg.host,
    '-p',
    String(pg.port),
    '-u',
    pg.user,
    '--db',
    database,
  ];
  return args;
}

const sqlToolEnv = (pg) => ({ ...process.env, ...(pg.password ? { SQL_PASSWORD: pg.password } : {}) });

async function dropDatabase(sqlTool, pg, database) {
  await run(sqlTool, [...sqlToolConnection(pg, database), 'drop-database', '-f'], {
    env: sqlToolEnv(pg),
  }).catch(() => undefined);
}

function datastore(pg, database, maxConns) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password || '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/** The server config (modelled on config/development-postgres12.yaml), as JSON: valid YAML. */
function serverConfig({ ip, ports, pg, databases, dynamicConfigFile }) {
  const service = (name) => ({
    rpc: { grpcPort: ports[name].grpc, membershipPort: ports[name].membership, bindOnIP: ip },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        // Per service: four services in one process hold up to 4 × 7 connections, which leaves
        // room under PostgreSQL's default max_connections (100) for the app and parallel runs.
        default: datastore(pg, databases.default, 5),
        visibility: datastore(pg, databases.visibility, 2),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: ip } },
    services: {
      frontend: { rpc: { ...service('frontend').rpc, httpPort: ports.frontend.http } },
      history: service('history'),
      matching: service('matching'),
      worker: service('worker'),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `${ip}:${ports.frontend.grpc}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** What the dev server sets too: search attributes visible at once, persistence QPS to match. */
const DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  'frontend.persistenceMaxQPS': [{ value: 10000 }],
  'history.persistenceMaxQPS': [{ value: 45000 }],
  'frontend.namespaceRPS.visibility': [{ value: 100 }],
};

async function temporalCli(cli, address, args) {
  return run(cli, [...args, '--address', address], { encoding: 'utf8' });
}

/** Retries while the just-started services join (namespace registry, membership). */
async function retrying(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${err.stderr || err.message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function stopper(child) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return resolve();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000).unref();
    });
}

function spawnLogged(bin, args, logFile, cwd) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(bin, args, { cwd, stdio: ['ignore', out, out], detached: true });
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  return { child, isDead: () => exited };
}

/**
 * @param {{cli?: string, port: number, uiPort?: number, namespace?: string, logFile?: string,
 *          ip?: string, configDir?: string, databases?: {default: string, visibility: string},
 *          dropDatabasesOnStop?: boolean, retention?: string,
 *          postgres?: {host: string, port: number, user: string, password?: string}}} opts
 * @returns {Promise<{address: string, uiUrl?: string, process: import('node:child_process').ChildProcess, stop: () => Promise<void>}>}
 */
async function startTemporalCluster(opts) {
  const ip = opts.ip || '127.0.0.1';
  const namespace = opts.namespace || 'default';
  const pg = opts.postgres || { host: '127.0.0.1', port: 5432, user: 'postgres' };
  const databases = opts.databases || { default: 'temporal', visibility: 'temporal_visibility' };
  const configDir = opts.configDir || fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cluster-'));
  const cli = opts.cli || ensureTemporalCli();
  const bins = ensureClusterBinaries();

  await Promise.all([
    migrateDatabase(bins['temporal-sql-tool'], pg, databases.default, 'temporal'),
    migrateDatabase(bins['temporal-sql-tool'], pg, databases.visibility, 'visibility'),
  ]);

  // The membership table stores ports as smallint: freePort's stay below 32768.
  const pair = async () => ({ grpc: await freePort(), membership: await freePort() });
  const ports = {
    frontend: { grpc: opts.port, membership: await freePort(), http: await freePort() },
    history: await pair(),
    matching: await pair(),
    worker: await pair(),
  };
  fs.mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2));
  fs.writeFileSync(
    path.join(configDir, 'cluster.yaml'),
    JSON.stringify(serverConfig({ ip, ports, pg, databases, dynamicConfigFile }), null, 2),
  );

  const server = spawnLogged(
    bins['temporal-server'],
    ['--root', configDir, '--config', '.', '--env', 'cluster', '--allow-no-auth', 'start'],
    opts.logFile,
    configDir,
  );
  const children = [server.child];
  const stopAll = async () => {
    await Promise.all(children.reverse().map((c) => stopper(c)()));
    if (opts.dropDatabasesOnStop) {
      await dropDatabase(bins['temporal-sql-tool'], pg, databases.default);
      await dropDatabase(bins['temporal-sql-tool'], pg, databases.visibility);
    }
  };
  const address = `${ip}:${opts.port}`;
  try {
    await waitForPort(ip, opts.port, { timeoutMs: 120_000, isDead: server.isDead });
    await retrying('creating the namespace', async () => {
      const list = await temporalCli(cli, address, ['operator', 'namespace', 'list', '-o', 'json']);
      if (JSON.parse(list.stdout).some((n) => n.namespaceInfo?.name === namespace)) return;
      await temporalCli(cli, address, [
        'operator',
        'namespace',
        'create',
        '--namespace',
        namespace,
        '--retention',
        opts.retention || '72h',
      ]);
    });
    await retrying('registering search attributes', async () => {
      const args = ['operator', 'search-attribute', 'create', '--namespace', namespace];
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--name', name, '--type', type);
      await temporalCli(cli, address, args).catch(async (err) => {
        // Already registered (a restart on the same databases) is fine.
        const listed = await temporalCli(cli, address, [
          'operator',
          'search-attribute',
          'list',
          '-n',
          namespace,
        ]);
        if (!Object.keys(SEARCH_ATTRIBUTES).every((n) => listed.stdout.includes(n))) throw err;
      });
    });
    // Workflow starts need the namespace in every service's registry (refreshed every 2 s).
    await retrying('namespace ready', () =>
      temporalCli(cli, address, ['workflow', 'list', '--namespace', namespace, '--limit', '1']),
    );
    let uiUrl;
    if (opts.uiPort) {
      const uiDir = path.join(configDir, 'ui');
      fs.mkdirSync(uiDir, { recursive: true });
      const ui = {
        temporalGrpcAddress: address,
        host: ip,
        port: opts.uiPort,
        enableUi: true,
        defaultNamespace: namespace,
      };
      fs.writeFileSync(path.join(uiDir, 'cluster.yaml'), JSON.stringify(ui, null, 2));
      const uiProc = spawnLogged(
        bins['temporal-ui-server'],
        ['--root', uiDir, '--config', '.', '--env', 'cluster', 'start'],
        opts.logFile,
        uiDir,
      );
      children.push(uiProc.child);
      // Callers stop `process` (the server's group) only: the UI goes with it.
      server.child.once('exit', () => void stopper(uiProc.child)());
      await waitForPort(ip, opts.uiPort, { timeoutMs: 30_000, isDead: uiProc.isDead });
      uiUrl = `http://localhost:${opts.uiPort}`;
    }
    return { address, uiUrl, process: server.child, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

module.exports = { startTemporalCluster, ensureClusterBinaries, HISTORY_SHARDS };

if (require.main === module) {
  // `npm run temporal:cluster`: in the foreground on the usual ports until Ctrl-C.
  const dataDir = path.resolve(__dirname, '..', '..', process.env.DATA_DIR || '.data');
  const logFile = path.join(dataDir, 'logs', 'temporal.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  startTemporalCluster({
    port: Number(process.env.TEMPORAL_PORT || 7233),
    uiPort: Number(process.env.TEMPORAL_UI_PORT || 8233),
    namespace: process.env.TEMPORAL_NAMESPACE,
    configDir: path.join(dataDir, 'temporal-cluster'),
    logFile,
  })
    .then((c) => {
      console.log(
        `Temporal cluster (${HISTORY_SHARDS} history shards, PostgreSQL) at ${c.address}; UI ${c.uiUrl}`,
      );
      console.log(`Server and UI logs: ${logFile}`);
      for (const sig of ['SIGINT', 'SIGTERM'])
        process.on(sig, () => void c.stop().then(() => process.exit(0)));
      c.process.once('exit', (code) => process.exit(code ?? 1));
    })
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}
