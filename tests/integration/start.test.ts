/**
 * `npm start` (scripts/start.js and its supervisor) as a user runs it: it brings up the local
 * chain, migrates a database it creates, starts the worker and the API as separate processes,
 * prints where everything is, and a signal stops every child it started. A second run on the
 * same data is just as good. It uses this run's Temporal server (TEMPORAL_ADDRESS set, so it
 * starts none) on a task queue of its own, and free ports for the API and the chain. The
 * children run compiled from dist/, the worker on the build's own workflow bundle (built in
 * beforeAll when stale, as `npm start` would, so that the starts below are timed without it).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase } from '../../src/db/orm';
import { compiledArgs, ensureBuild } from '../../scripts/lib/build';
import { freePort, isPortOpen } from '../../scripts/lib/ports';
import { freeMetricsPorts } from '../support/worker-process';

const ROOT = path.resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in the output after `from` (checked as output arrives). */
  printed: (pattern: RegExp, from: number) => Promise<RegExpExecArray>;
}

/** Runs `node scripts/start.js` and resolves once it prints that the backend is running. */
function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], { cwd: ROOT, env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (pattern: RegExp, from: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output.slice(from));
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`npm start did not print ${pattern} within 60 s:\n${output.slice(-3_000)}`));
      }, 60_000);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start not running after ${READY_TIMEOUT_MS} ms:\n${output.slice(-3_000)}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop everything.')) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exited, printed });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was running:\n${output.slice(-3_000)}`));
    });
  });
}

/** The README's worked examples (`<!-- example: name -->` before a bash block), by name. */
function readmeExamples(): Record<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- example: (\w+) -->\s*```bash\n([\s\S]*?)```/g)];
  return Object.fromEntries(blocks.map((m) => [m[1] as string, m[2] as string]));
}

/** Runs a README block as a user pastes it, against `api` instead of localhost:3000; its stdout. */
async function runExample(script: string, api: string, env: NodeJS.ProcessEnv): Promise<string> {
  const pasted = script.replace(/^API=http:\/\/localhost:3000$/m, `API=${api}`);
  expect(pasted).toContain(`API=${api}`);
  try {
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', pasted], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`example failed:\n${pasted}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  }
}

/** Polls /readyz until every check is ok (the stack answers again); its body. */
async function readyAgain(api: string): Promise<unknown> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${api}/readyz`);
      last = await res.json();
      if (res.status === 200) return last;
    } catch (err) {
      last = String(err); // the API itself is restarting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready again within 60 s: ${JSON.stringify(last)}`);
}

/** Polls `probe` until it gives a value (something another process does); at most 60 s. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('not within 60 s');
}

/** A CLI of ours (`npm run <name> -- ...`), as the README runs it; its stdout. */
async function npmRun(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', name, '--', ...args], { cwd: ROOT, env });
  return stdout;
}

/** The exit code, or a failure naming what did not stop within STOP_TIMEOUT_MS. */
async function stopped(run: Started): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `npm start still running ${STOP_TIMEOUT_MS} ms after the signal:\n${run.output().slice(-3_000)}`,
          ),
        ),
      STOP_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ReadyBody {
  checks: { workers: { workers: { identity: string }[] } };
}

/** The first of `count` consecutive free ports (API_PROCESSES listen on PORT, PORT+1, ...). */
async function consecutiveFreePorts(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    const taken = await Promise.all(
      Array.from({ length: count - 1 }, (_, i) => isPortOpen('127.0.0.1', first + 1 + i)),
    );
    if (first + count - 1 <= 65535 && !taken.includes(true)) return first;
  }
}

describe('npm start', () => {
  const databaseUrl = `${process.env.DATABASE_URL as string}_start`;
  let env: NodeJS.ProcessEnv;
  let apiPort: number;
  let chainPort: number;
  let sinkPort: number;
  let workerMetricsPort: number;

  beforeAll(async () => {
    apiPort = await freePort();
    chainPort = await freePort();
    sinkPort = await freePort();
    workerMetricsPort = await freeMetricsPorts();
    const dataDir = fs.mkdtempSync(path.join(process.env.SR_TEST_TMP as string, 'start-'));
    env = {
      ...process.env,
      PORT: String(apiPort),
      LOCAL_CHAIN_PORT: String(chainPort),
      LOCAL_MAIL_SINK_PORT: String(sinkPort),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TEMPORAL_TASK_QUEUE: `start-${crypto.randomBytes(3).toString('hex')}`,
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX as string}start:`,
      LOG_LEVEL: 'warn',
    };
    delete env.RPC_URL; // local defaults: start runs the local chain
    delete env.WORKFLOW_BUNDLE_PATH; // the compiled worker's own, dist/workflow-bundle.js
    await ensureBuild({ log: () => undefined });
  }, 120_000);

  afterAll(() => dropDatabase(databaseUrl));

  it('starts everything, prints where it is, and a signal stops every child; twice in a row', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const run = await start(env);
      const api = `http://localhost:${apiPort}`;
      expect(run.output()).toContain(`API          ${api}/api/v1`);
      expect(run.output()).toContain(`API docs     ${api}/docs`);
      expect(run.output()).toContain(`Dashboard    ${api}/admin`);
      expect(run.output()).toContain(`Local chain  http://127.0.0.1:${chainPort}`);
      const workerMetrics = `http://localhost:${workerMetricsPort + 1}/metrics`;
      expect(run.output()).toContain(`${workerMetrics} (worker)`);
      expect((await fetch(workerMetrics)).status).toBe(200);
      // compiled from dist/ with production's memory flags, not under tsx
      for (const [name, entry] of [
        ['worker', 'workers/main.ts'],
        ['api', 'src/api/main.ts'],
      ] as const) {
        const pid = new RegExp(`started ${name} \\(pid (\\d+)\\)`).exec(run.output())?.[1] ?? '';
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        expect(argv.slice(1)).toEqual(compiledArgs(entry));
      }

      const ready = await fetch(`${api}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { postgres: { ok: true }, redis: { ok: true }, workers: { ok: true }, solana: { ok: true } },
      });
      const dashboard = await fetch(`${api}/admin/lottery`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<div id="root">');
      expect((await fetch(`${api}/api/v1/lottery/rounds/current`)).status).toBe(404);

      // The signal a process manager (or `kill`) sends to the start script alone.
      run.child.kill(signal);
      expect(await stopped(run)).toBe(0);
      expect(run.output()).toContain('stopped api');
      expect(run.output()).toContain('stopped worker');
      expect(run.output()).toContain('stopped local-chain');
      expect(await isPortOpen('127.0.0.1', apiPort)).toBe(false);
      expect(await isPortOpen('127.0.0.1', chainPort)).toBe(false);
    }
  }, 240_000);

  it('the README first-hour examples work as pasted: round, SOL purchase, burn claim, revenue claim', async () => {
    // development: the local admin wallet is an admin; APP_URL is where sign-in goes by default
    const api = `http://localhost:${apiPort}`;
    const devEnv = { ...env, NODE_ENV: 'development', APP_URL: api };
    const run = await start(devEnv);
    try {
      const adminLine = /Admin wallet +(\w+) \(npm run sign-in -- --admin\)/.exec(run.output());
      const walletLine = /Wallet +(\w+) \(npm run sign-in; npm run chain -- pay\)/.exec(run.output());
      expect({ admin: adminLine?.[1], wallet: walletLine?.[1] }).toEqual({
        admin: expect.stringMatching(/^\w{32,44}$/),
        wallet: expect.stringMatching(/^\w{32,44}$/),
      });
      const examples = readmeExamples();
      expect(Object.keys(examples)).toEqual(['round', 'purchase', 'burn', 'revenue']);

      const round = JSON.parse(await runExample(examples.round as string, api, devEnv)) as { id: string };
      expect(round.id).toEqual(expect.any(String));

      // the default wallet wants its ticket receipt: it lands in the local mail sink
      const holder = (await npmRun('sign-in', [], devEnv)).trim();
      const profile = await fetch(`${api}/api/v1/users/me`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${holder}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'holder@example.com', preferences: { emailTicketReceipts: true } }),
      });
      expect(profile.status).toBe(200);

      const purchase = JSON.parse(await runExample(examples.purchase as string, api, devEnv));
      expect(purchase).toMatchObject({
        success: true,
        status: 'accepted',
        roundId: round.id,
        ticketsIssued: [1, 2],
        amountBaseUnits: '20000000',
      });

      const sink = `http://127.0.0.1:${sinkPort}`;
      expect(run.output()).toContain(`E-mails      ${sink}/ (local mail sink: every message sent)`);
      const inbox = await eventually(async () => {
        const page = await (await fetch(`${sink}/`)).text();
        return page.includes('holder@example.com') ? page : undefined;
      });
      expect(inbox).toContain('<iframe sandbox'); // the HTML part
      expect(inbox).toContain('<pre>'); // the text part
      expect(inbox).toContain(`${api}/lottery/rounds/${round.id}`); // holder link: FRONTEND_URL = APP_URL

      const burn = JSON.parse(await runExample(examples.burn as string, api, devEnv));
      expect(burn).toMatchObject({ success: true, roundId: round.id, ticketsIssued: [3, 4] });

      // Distribution workflow ids are per month and this run's Temporal is shared with the
      // revenue suites: the pasted example gets a month none of them uses.
      const month = `1999-${String(crypto.randomInt(1, 13)).padStart(2, '0')}`;
      const revenueExample = (examples.revenue as string).replace(/^MONTH=2026-01$/m, `MONTH=${month}`);
      expect(revenueExample).toContain(`MONTH=${month}`);
      const revenue = await runExample(revenueExample, api, devEnv);
      expect(revenue).toContain('"awaiting_approval"');
      // 50 % of 1 SOL over the two passes, both held by the default wallet at the snapshot
      expect(revenue).toContain('"totalAmountBaseUnits": "500000000"');

      // the default wallet bought the tickets: sign-in and the chain CLI share it
      const token = (await npmRun('sign-in', [], devEnv)).trim();
      const me = (await (
        await fetch(`${api}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { walletAddress: string; isAdmin: boolean };
      expect(me).toMatchObject({ walletAddress: walletLine?.[1], isAdmin: false });
      const admin = (await npmRun('sign-in', ['--admin'], devEnv)).trim();
      const adminMe = (await (
        await fetch(`${api}/api/v1/auth/me`, { headers: { authorization: `Bearer ${admin}` } })
      ).json()) as { walletAddress: string; isAdmin: boolean };
      expect(adminMe).toMatchObject({ walletAddress: adminLine?.[1], isAdmin: true });

      // fund-usdc mints local USDC to any wallet, here one the chain has never seen
      const stranger = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
      expect(await npmRun('chain', ['balance', stranger], devEnv)).toContain('0 USDC');
      expect(await npmRun('chain', ['fund-usdc', stranger, '12.5'], devEnv)).toContain('balance 12.5 USDC');
      expect(await npmRun('chain', ['balance', stranger], devEnv)).toContain('12.5 USDC');
    } finally {
      run.child.kill('SIGTERM');
      expect(await stopped(run)).toBe(0);
    }
  }, 300_000);

  it('WORKERS=2 API_PROCESSES=2: two APIs on consecutive ports, readiness lists both workers', async () => {
    const first = await consecutiveFreePorts(2);
    const run = await start({ ...env, PORT: String(first), WORKERS: '2', API_PROCESSES: '2' });
    try {
      const apis = [first, first + 1].map((port) => `http://localhost:${port}`);
      for (const api of apis) expect(run.output()).toContain(`API          ${api}/api/v1`);
      expect(run.output()).toContain('Processes    2 workers, 2 API processes');
      // This run's workers by pid (the task queue also lists earlier runs' workers for a while).
      const pids = [0, 1].map(
        (i) => new RegExp(`started worker-${i} \\(pid (\\d+)\\)`).exec(run.output())?.[1],
      );
      expect(pids).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
      for (const api of apis) {
        const identities = await eventually(async () => {
          const ready = await fetch(`${api}/readyz`);
          const listed = ((await ready.json()) as ReadyBody).checks.workers.workers.map((w) => w.identity);
          return ready.status === 200 && pids.every((pid) => listed.some((id) => id.endsWith(`:${pid}`)))
            ? listed
            : undefined;
        });
        for (const [i, pid] of pids.entries())
          expect(identities).toContainEqual(expect.stringMatching(new RegExp(`^worker-${i}@.+:${pid}$`)));
      }
      // Both APIs serve the same database: the same current round (an earlier test here may
      // have made one; or none, 404, on both).
      const current = await Promise.all(
        apis.map(async (api) => {
          const res = await fetch(`${api}/api/v1/lottery/rounds/current`);
          return { status: res.status, id: ((await res.json()) as { id?: string }).id };
        }),
      );
      expect([200, 404]).toContain(current[0]?.status);
      expect(current[1]).toEqual(current[0]);
      // Each worker serves its own pair of metrics ports, both printed.
      for (const i of [0, 1]) {
        const business = `http://localhost:${workerMetricsPort + 2 * i + 1}/metrics`;
        expect(run.output()).toContain(`${business} (worker-${i})`);
        expect((await fetch(business)).status).toBe(200);
      }
    } finally {
      run.child.kill('SIGTERM');
      expect(await stopped(run)).toBe(0);
    }
    for (const name of ['api-0', 'api-1', 'worker-0', 'worker-1'])
      expect(run.output()).toContain(`stopped ${name}\n`);
    expect(await isPortOpen('127.0.0.1', first)).toBe(false);
    expect(await isPortOpen('127.0.0.1', first + 1)).toBe(false);
  }, 240_000);

  it('restarts a child that dies, logging its exit, until Ctrl-C stops everything once', async () => {
    const api = `http://localhost:${apiPort}`;
    const run = await start(env);
    try {
      for (const name of ['api', 'worker', 'local-chain']) {
        const started = new RegExp(`started ${name} \\(pid (\\d+)\\)`, 'g');
        const pid = Number([...run.output().matchAll(started)].at(-1)?.[1]);
        expect(pid).toBeGreaterThan(0);
        const from = run.output().length;
        process.kill(pid, 'SIGKILL');
        await run.printed(new RegExp(`${name} exited \\(signal SIGKILL\\); restarting in \\d+ ms`), from);
        const again = Number((await run.printed(new RegExp(`started ${name} \\(pid (\\d+)\\)`), from))[1]);
        expect(again).not.toBe(pid);
        expect(await readyAgain(api)).toMatchObject({
          status: 'ready',
          checks: { postgres: { ok: true }, workers: { ok: true }, solana: { ok: true } },
        });
      }
    } finally {
      run.child.kill('SIGINT');
      expect(await stopped(run)).toBe(0);
    }
    // stopped once each, and nothing restarted while stopping
    for (const name of ['api', 'worker', 'local-chain'])
      expect(run.output().split(`stopped ${name}\n`)).toHaveLength(2);
    expect(run.output()).not.toMatch(/restarting in \d+ ms[\s\S]*SIGINT: stopping[\s\S]*restarting in/);
    expect(await isPortOpen('127.0.0.1', apiPort)).toBe(false);
  }, 300_000);
});
