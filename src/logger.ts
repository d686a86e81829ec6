import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Secret-bearing keys, redacted at the top level of an entry and one level down. */
const SECRET_KEYS = [
  'token',
  'jwtSecret',
  'secretSeed',
  'apiKey',
  'sendgridApiKey',
  'signedTransaction',
  'privateKey',
];

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * JSON lines for machines; with `pretty` (or `auto` on a terminal) one coloured line per
 * entry for a person at `npm start`. Redaction applies to both.
 */
export function createLogger(level: string, name = 'stoned-rabbits', format: LogFormat = 'json'): Logger {
  const options = { name, level, redact: { paths: REDACT, censor: '[redacted]' } };
  const human = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return human
    ? pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }))
    : pino(options);
}

export type { Logger };

/** One entry of the Temporal SDK's runtime logger (`DefaultLogger`'s log function). */
interface TemporalLogEntry {
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  meta?: Record<string, unknown>;
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's worker logs through our logger. An activity failure (the SDK's
 * "Activity failed", once per attempt) becomes one line with the activity type, attempt
 * number, failure type and message; its stack only at debug, so retries do not drown the log.
 * The task token and the rest of the SDK's activity attributes are left out.
 */
export function temporalLogFunction(logger: Logger): (entry: TemporalLogEntry) => void {
  return ({ level, message, meta = {} }) => {
    const { error, activityType, attempt, workflowId } = meta;
    if (message === 'Activity failed' && error instanceof Error) {
      const failure = { activityType, attempt, workflowId, type: failureTypeOf(error), error: error.message };
      logger[PINO_LEVEL[level]](failure, 'activity failed');
      logger.debug({ ...failure, stack: error.stack }, 'activity failure stack');
      return;
    }
    const { taskToken: _taskToken, error: _error, ...rest } = meta;
    logger[PINO_LEVEL[level]](error instanceof Error ? { ...rest, error: error.message } : rest, message);
  };
}

/** An ApplicationFailure's type (`PaymentTooSmall`), else the error's class name. */
const failureTypeOf = (error: Error): string =>
  'type' in error && typeof error.type === 'string' && error.type ? error.type : error.name;
