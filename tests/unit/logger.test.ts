import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import { temporalLogFunction } from '../../src/logger';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, log: temporalLogFunction(logger) };
}

const failed = {
  level: 'WARN' as const,
  message: 'Activity failed',
  meta: {
    error: ApplicationFailure.retryable('rpc timed out', 'RpcUnavailable'),
    activityType: 'verifyPurchase',
    attempt: 3,
    workflowId: 'ticket-purchase:abc',
    taskToken: 'secret-ish-token',
  },
};

describe('the Temporal SDK log through our logger', () => {
  it('logs an activity failure as one line: type, attempt, failure type and message, no stack', () => {
    const { lines, log } = capture('info');
    log(failed);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'activity failed',
        activityType: 'verifyPurchase',
        attempt: 3,
        workflowId: 'ticket-purchase:abc',
        type: 'RpcUnavailable',
        error: 'rpc timed out',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|taskToken|secret-ish-token/);
  });

  it('adds the stack only at debug', () => {
    const { lines, log } = capture('debug');
    log(failed);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 20, msg: 'activity failure stack', attempt: 3 });
    expect(String(lines[1]?.stack)).toContain('rpc timed out');
  });

  it('passes other SDK lines through at their level, without the task token', () => {
    const { lines, log } = capture('info');
    log({ level: 'INFO', message: 'Worker state changed', meta: { state: 'RUNNING', taskToken: 't' } });
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'Worker state changed', state: 'RUNNING' }),
    ]);
    expect(lines[0]).not.toHaveProperty('taskToken');
  });
});

describe('createLogger formats', () => {
  const LOGGER = require.resolve('../../src/logger');
  /** What a process logging one entry in `format` prints on a pipe (not a terminal). */
  const printed = (format: string) =>
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `require(${JSON.stringify(LOGGER)}).createLogger('info', 'api', '${format}').info({ token: 'abc123' }, 'hello operator')`,
      ],
      { encoding: 'utf8' },
    );

  it('auto on a pipe writes one JSON line, secrets redacted', () => {
    const line = JSON.parse(printed('auto').trim());
    expect(line).toMatchObject({ name: 'api', msg: 'hello operator', token: '[redacted]' });
  });

  it('pretty writes a human line (no JSON), secrets still redacted', () => {
    const out = printed('pretty');
    expect(out).toContain('hello operator');
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('abc123');
    expect(() => JSON.parse(out.trim())).toThrow();
  });
});
