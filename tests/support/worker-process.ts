/**
 * The real worker entry point (`workers/main.ts`) as a child process on a test system's task
 * queue, so a test can kill it with SIGKILL mid-work — nothing drains, nothing is flushed —
 * the way a host dies. It uses the run's prebuilt workflow bundle (WORKFLOW_BUNDLE_PATH).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, isPortOpen } from '../../scripts/lib/ports';
import type { TestSystem } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;

export interface WorkerProcess {
  /** SIGKILL, then resolves once the process is gone. */
  kill(): Promise<void>;
}

/** A free base port for the worker's two metrics ports (base and base + 1). */
export async function freeMetricsPorts(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base < 65535 && !(await isPortOpen('127.0.0.1', base + 1))) return base;
  }
}

/**
 * Starts the worker process and resolves once it logs that it is polling; `env` on top of the
 * system's (WORKER_INDEX for one of several). Its metrics ports are the system's
 * WORKER_METRICS_PORT, else free ones (never the default a local stack uses).
 */
export async function startWorkerProcess(
  system: TestSystem,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const bundle = process.env.SR_TEST_WORKFLOW_BUNDLE;
  if (!bundle) throw new Error('SR_TEST_WORKFLOW_BUNDLE is not set: run tests through jest (global-setup)');
  const metricsPort = system.env.WORKER_METRICS_PORT ?? String(await freeMetricsPorts());
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...system.env,
      ...env,
      WORKER_METRICS_PORT: metricsPort,
      WORKFLOW_BUNDLE_PATH: bundle,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise<WorkerProcess>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`worker process not polling after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output.slice(-2_000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('"worker polling"')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => fail(new Error(`worker process exited early (${code ?? signal})`)));
  });
}
