import pino, { type Logger } from 'pino';

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.jwtSecret',
  '*.secretSeed',
  '*.apiKey',
  '*.sendgridApiKey',
  '*.signedTransaction',
  '*.privateKey',
];

export function createLogger(level: string, name = 'stoned-rabbits'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

export type { Logger };
