/**
 * The one place that reads process.env. Every variable is validated here; a bad or
 * missing one stops start-up with one message listing each problem. Secrets are kept
 * in the returned object only and never printed (see `describeConfig`).
 */
import fs from 'node:fs';
import path from 'node:path';
import bs58 from 'bs58';
import { z } from 'zod';

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Comma-separated list; blanks dropped. */
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** A duration like `20s`, `5m`, `24h`, `7d` or plain milliseconds; parsed to milliseconds. */
export const durationMs = z.string().transform((s, ctx) => {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a duration like 500ms, 20s, 5m, 24h or 7d` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1;
  return Number(m[1]) * unit;
});

const wallet = z.string().regex(BASE58, 'must be a base58 Solana address');

/**
 * Workflow tasks a worker runs at once (workers/create-worker.ts); its sticky cache must hold at
 * least as many runs (the SDK lowers the slots to the cache size otherwise).
 */
export const WORKFLOW_TASK_SLOTS = 100;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `npm start`: worker processes to run (each polls the task queue). */
  WORKERS: positiveInt.max(64).default(1),
  /** `npm start`: API processes to run, on consecutive ports from PORT. */
  API_PROCESSES: positiveInt.max(64).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: human-readable lines when stdout is a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  APP_URL: z.url().default('http://localhost:3000'),
  /** The holder-facing site that links in e-mails point at (default APP_URL). */
  FRONTEND_URL: z.url().optional(),
  /** `npm start` in development: the local mail sink's port (its message list is printed). */
  LOCAL_MAIL_SINK_PORT: z.coerce.number().int().min(0).max(65535).default(3025),
  API_VERSION: z.literal('v1').default('v1'),
  BODY_LIMIT: z.string().default('100kb'),
  /** Admin bulk uploads only (Revenue Pass hash lists, revenue CSVs): 10,000 mints are ~0.5 MB. */
  BULK_BODY_LIMIT: z.string().default('2mb'),
  /**
   * Which peers may set X-Forwarded-For (the client address rate limits use): off (default:
   * the socket's address), a hop count, or proxy addresses/ranges (`loopback`, `10.0.0.0/8`).
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[A-Za-z0-9.:/, _-]+$/, 'must be off, a hop count, or proxy addresses')
    .default('off'),

  DATABASE_URL: z
    .string()
    .startsWith('postgres')
    .default('postgresql://postgres@127.0.0.1:5432/stoned_rabbits'),
  DATABASE_POOL_MAX: positiveInt.default(10),
  REDIS_URL: z.string().startsWith('redis').default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('sr:'),

  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('stoned-rabbits'),
  TEMPORAL_TLS: bool.default(false),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  /** A workflow bundle built ahead (bundleWorkflowCode output); unset = the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /**
   * The worker's metrics ports (see workerMetricsPorts): the Temporal SDK's Prometheus exporter
   * on this one, our business metrics on the next; worker WORKER_INDEX offsets both by 2 × index.
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65534).default(9464),
  /** Set by `npm start` for each worker it runs (0-based): its identity and its metrics ports. */
  WORKER_INDEX: z.coerce.number().int().min(0).max(1000).default(0),
  /**
   * Workflow runs the worker keeps in memory between tasks (its sticky cache). The SDK's default
   * grows with the heap limit (about 600 per GB above 200 MB); an explicit number bounds memory
   * whatever the heap. At least the worker's concurrent workflow tasks (40), or the SDK lowers those.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(WORKFLOW_TASK_SLOTS).max(100_000).default(100),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().default('stoned-rabbits-api'),
  JWT_AUDIENCE: z.string().default('stoned-rabbits'),
  JWT_TTL: durationMs.default(7 * 86_400_000),
  AUTH_DOMAIN: z.string().min(1).default('localhost:3000'),
  AUTH_CHALLENGE_TTL: durationMs.default(5 * 60_000),
  ADMIN_WALLETS: list(wallet),
  ADMIN_EMAILS: list(z.email()),

  RATE_LIMIT_API_PER_MINUTE: positiveInt.default(600),
  /** Sign-in requests (challenges and verifications) per client address. */
  RATE_LIMIT_AUTH_IP_PER_MINUTE: positiveInt.default(30),
  /** Failed sign-ins for one wallet from one client address (a stranger's never count against the owner). */
  RATE_LIMIT_AUTH_WALLET_PER_MINUTE: positiveInt.default(10),
  /** Failed sign-ins from one client address, whatever the wallet. */
  RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR: positiveInt.default(100),
  /** Accepted Utility Factory submissions per client address. */
  RATE_LIMIT_SUBMIT_PER_HOUR: positiveInt.default(20),
  /** Refused (400) Utility Factory submissions per client address: their own budget, not the one above. */
  RATE_LIMIT_INVALID_SUBMIT_PER_HOUR: positiveInt.default(200),

  RPC_URL: z.url().optional(),
  /** The cluster RPC_URL serves, as sign-in messages name it (default: localnet for a local RPC, else mainnet). */
  SOLANA_CLUSTER: z.enum(['localnet', 'devnet', 'testnet', 'mainnet']).optional(),
  HELIUS_API_KEY: z.string().optional(),
  SOLANA_COMMITMENT: z.enum(['confirmed', 'finalized']).default('confirmed'),
  /** Signatures a round's reconciliation pages through per treasury address before it stops (and says so). */
  TREASURY_HISTORY_MAX_SIGNATURES: positiveInt.default(20_000),
  LOCAL_CHAIN_PORT: z.coerce.number().int().min(0).max(65535).default(8899),
  TREASURY_WALLET: wallet.optional(),
  USDC_MINT: wallet.default('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'),
  PAYER_KEY_FILE: z.string().optional(),

  EMAIL_TRANSPORT: z.enum(['sendgrid', 'log']).default('log'),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_API_URL: z.url().default('https://api.sendgrid.com'),
  FROM_EMAIL: z.email().default('noreply@stonedrabbitsnft.com'),
  /** True only when SENDGRID_API_URL dedupes by our idempotency key (the local mail sink does; SendGrid itself does not). */
  EMAIL_PROVIDER_DEDUPES: bool.default(false),
  EMAIL_SEND_TIMEOUT: durationMs.default(15_000),
  EMAIL_RETRY_INITIAL_INTERVAL: durationMs.default(10_000),
  EMAIL_RETRY_MAX_INTERVAL: durationMs.default(30 * 60_000),
  EMAIL_MAX_ATTEMPTS: positiveInt.default(12),
  EMAIL_SWEEP_INTERVAL: durationMs.default(60_000),
  /** How long a pending row is left to the code that enqueued it before the sweeper starts its delivery. */
  EMAIL_SWEEP_GRACE: durationMs.default(60_000),

  PURCHASE_WAIT: durationMs.default(20_000),
  /** How long GET /lottery/rounds/current may answer from memory (0: always read the database). */
  LOTTERY_CURRENT_CACHE: durationMs.default(1_000),
  /**
   * How long GET /lottery/tickets/:walletAddress answers may stay in Redis (0: off). Issuing a
   * wallet's tickets forgets its answers at once; this only bounds an answer nothing forgot.
   */
  LOTTERY_TICKETS_CACHE: durationMs.default(60_000),
  /** After a round's end: how long purchases still verifying get before the ticket set is frozen. */
  LOTTERY_GRACE_PERIOD: durationMs.default(60_000),
  /** How often the round re-checks for receipts still `pending` before it freezes. */
  LOTTERY_PENDING_POLL: durationMs.default(5_000),
  /** How long a purchase or burn keeps looking for its transaction on chain before it is rejected. */
  LOTTERY_VERIFY_WINDOW: durationMs.default(180_000),
  /** Submissions one wallet may have verifying at once (a burn claim's signatures count one each). */
  LOTTERY_MAX_PENDING_PER_WALLET: positiveInt.default(5),
  /** How long a drawn round waits for the admin's `payPrize` before its workflow ends. */
  LOTTERY_PRIZE_WINDOW: durationMs.default(90 * 24 * 3_600_000),
  /** The beacon is the first block at or after the digest memo's slot + this many slots (issue 19). */
  LOTTERY_BEACON_DELAY_SLOTS: positiveInt.default(32),
  /** Past the drawing date, how long an unrevealable seed may hold a round before it is cancelled and refunded. */
  LOTTERY_REVEAL_DEADLINE: durationMs.default(24 * 3_600_000),
  REVENUE_APPROVALS_REQUIRED: positiveInt.default(1),
  /** How long claims stay open after a distribution opens. */
  REVENUE_CLAIM_WINDOW: durationMs.default(30 * 24 * 3_600_000),
  /** How long POST /revenue-pass/claims waits for payouts before answering 202. */
  REVENUE_CLAIM_WAIT: durationMs.default(20_000),
  /** Pass mints per snapshot activity (progress is published after each chunk). */
  REVENUE_SNAPSHOT_CHUNK: positiveInt.default(2_000),
  UTILITY_REVIEW_SLA: durationMs.default(24 * 3_600_000),

  DATA_DIR: z.string().default('.data'),
});

export type Env = z.infer<typeof envSchema>;
/** Every variable the configuration reads. */
export const ENV_KEYS = Object.keys(envSchema.shape) as (keyof Env)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  if (!env.JWT_SECRET) problems.push('JWT_SECRET: required (at least 32 characters)');
  if (production && !env.RPC_URL)
    problems.push('RPC_URL: required in production (the local chain is refused)');
  if (production && !env.TREASURY_WALLET) problems.push('TREASURY_WALLET: required in production');
  if (production && !env.TEMPORAL_ADDRESS) problems.push('TEMPORAL_ADDRESS: required in production');
  if (production && !env.PAYER_KEY_FILE) {
    problems.push(
      'PAYER_KEY_FILE: required in production (the anchoring key: it signs the lottery commitment and digest memos, without which no draw verifies, and the payouts)',
    );
  }
  if (env.EMAIL_TRANSPORT === 'sendgrid' && !env.SENDGRID_API_KEY) {
    problems.push('SENDGRID_API_KEY: required when EMAIL_TRANSPORT=sendgrid');
  }
  if (workerMetricsPorts(env.WORKER_METRICS_PORT, env.WORKER_INDEX).business > 65535) {
    problems.push('WORKER_METRICS_PORT and WORKER_INDEX: the worker metrics ports pass 65535');
  }
  if (env.PORT + env.API_PROCESSES - 1 > 65535) {
    problems.push(`API_PROCESSES: ${env.API_PROCESSES} ports from PORT=${env.PORT} go past 65535`);
  }
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both or neither');
  }
  return problems;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  // Empty strings count as unset so `FOO=` in an env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const problems = crossFieldProblems(env);
  if (problems.length) throw new ConfigError(problems);
  return toConfig(env);
}

/** Without SOLANA_CLUSTER: the local chain (no RPC_URL, or one on this machine) is localnet, else mainnet. */
function defaultCluster(rpcUrl: string | undefined): 'localnet' | 'mainnet' {
  if (!rpcUrl) return 'localnet';
  const host = new URL(rpcUrl).hostname;
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host) ? 'localnet' : 'mainnet';
}

/** TRUST_PROXY as Express's `trust proxy` setting: false, a hop count, or an address list. */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'off') return false;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value;
}

/**
 * Worker `index`'s metrics ports from the base port: the Temporal SDK's Prometheus exporter
 * (`sdk`, its own HTTP server, which serves nothing else) and our prom-client business
 * metrics (`business`) beside it; each worker on a host gets the next pair.
 */
export function workerMetricsPorts(basePort: number, index: number): { sdk: number; business: number } {
  const sdk = basePort + 2 * index;
  return { sdk, business: sdk + 1 };
}

/** The local admin wallet's key file (`npm run sign-in -- --admin`); development only. */
export const devAdminKeyFile = (dataDir: string): string => path.join(dataDir, 'keys', 'admin-wallet.json');

/**
 * In development only, the local admin wallet (made by `npm start` or `sign-in --admin`) is an
 * admin, so trying the admin API needs no `.env` edit and restart. Never in test or production:
 * a key file lying around must not grant anything there. Its public key is the key file's last
 * 32 bytes (solana-keygen format); a file that is not one grants nothing.
 */
function devAdminWallet(env: Env): string[] {
  if (env.NODE_ENV !== 'development') return [];
  try {
    const bytes = JSON.parse(fs.readFileSync(devAdminKeyFile(env.DATA_DIR), 'utf8')) as unknown;
    if (!Array.isArray(bytes) || bytes.length !== 64) return [];
    return [bs58.encode(Uint8Array.from(bytes.slice(32) as number[]))];
  } catch {
    return [];
  }
}

function toConfig(env: Env) {
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    /** What `npm start` runs: API processes on ports port..port+apis-1, and workers. */
    processes: { workers: env.WORKERS, apis: env.API_PROCESSES },
    /** This worker's index among those `npm start` runs (0 when run alone). */
    workerIndex: env.WORKER_INDEX,
    workerMaxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    appUrl: env.APP_URL.replace(/\/$/, ''),
    /** Holder links in e-mails (the render context reads it: config is passed as the context). */
    frontendUrl: (env.FRONTEND_URL ?? env.APP_URL).replace(/\/$/, ''),
    localMailSinkPort: env.LOCAL_MAIL_SINK_PORT,
    bodyLimit: env.BODY_LIMIT,
    bulkBodyLimit: env.BULK_BODY_LIMIT,
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    dataDir: env.DATA_DIR,
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      /** True when we run our own dev server (TEMPORAL_ADDRESS unset). */
      local: env.TEMPORAL_ADDRESS === undefined,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: env.TEMPORAL_TLS || Boolean(env.TEMPORAL_API_KEY) || Boolean(env.TEMPORAL_TLS_CERT_PATH),
      tlsCertPath: env.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: env.TEMPORAL_TLS_KEY_PATH,
      apiKey: env.TEMPORAL_API_KEY,
      uiUrl: env.TEMPORAL_UI_URL.replace(/\/$/, ''),
      workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
    },
    /** This worker's metrics endpoints (bound on every interface, like the API). */
    workerMetrics: {
      ...workerMetricsPorts(env.WORKER_METRICS_PORT, env.WORKER_INDEX),
    },
    auth: {
      jwtSecret: env.JWT_SECRET as string,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      tokenTtlMs: env.JWT_TTL,
      domain: env.AUTH_DOMAIN,
      challengeTtlMs: env.AUTH_CHALLENGE_TTL,
      adminWallets: [...env.ADMIN_WALLETS, ...devAdminWallet(env)],
      adminEmails: env.ADMIN_EMAILS,
    },
    rateLimits: {
      apiPerMinute: env.RATE_LIMIT_API_PER_MINUTE,
      authIpPerMinute: env.RATE_LIMIT_AUTH_IP_PER_MINUTE,
      authWalletPerMinute: env.RATE_LIMIT_AUTH_WALLET_PER_MINUTE,
      authFailuresPerIpPerHour: env.RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR,
      submitPerHour: env.RATE_LIMIT_SUBMIT_PER_HOUR,
      invalidSubmitPerHour: env.RATE_LIMIT_INVALID_SUBMIT_PER_HOUR,
    },
    solana: {
      rpcUrl: env.RPC_URL,
      cluster: env.SOLANA_CLUSTER ?? defaultCluster(env.RPC_URL),
      heliusApiKey: env.HELIUS_API_KEY,
      commitment: env.SOLANA_COMMITMENT,
      localChainPort: env.LOCAL_CHAIN_PORT,
      treasuryWallet: env.TREASURY_WALLET,
      usdcMint: env.USDC_MINT,
      payerKeyFile: env.PAYER_KEY_FILE,
      treasuryHistoryMaxSignatures: env.TREASURY_HISTORY_MAX_SIGNATURES,
    },
    email: {
      transport: env.EMAIL_TRANSPORT,
      sendgridApiKey: env.SENDGRID_API_KEY,
      sendgridApiUrl: env.SENDGRID_API_URL.replace(/\/$/, ''),
      from: env.FROM_EMAIL,
      providerDedupes: env.EMAIL_PROVIDER_DEDUPES,
      sendTimeoutMs: env.EMAIL_SEND_TIMEOUT,
      retry: {
        initialIntervalMs: env.EMAIL_RETRY_INITIAL_INTERVAL,
        maximumIntervalMs: env.EMAIL_RETRY_MAX_INTERVAL,
        maximumAttempts: env.EMAIL_MAX_ATTEMPTS,
      },
      sweepIntervalMs: env.EMAIL_SWEEP_INTERVAL,
      sweepGraceMs: env.EMAIL_SWEEP_GRACE,
    },
    lottery: {
      purchaseWaitMs: env.PURCHASE_WAIT,
      currentRoundCacheMs: env.LOTTERY_CURRENT_CACHE,
      walletTicketsCacheMs: env.LOTTERY_TICKETS_CACHE,
      gracePeriodMs: env.LOTTERY_GRACE_PERIOD,
      pendingPollMs: env.LOTTERY_PENDING_POLL,
      verifyWindowMs: env.LOTTERY_VERIFY_WINDOW,
      maxPendingPerWallet: env.LOTTERY_MAX_PENDING_PER_WALLET,
      prizeWindowMs: env.LOTTERY_PRIZE_WINDOW,
      beaconDelaySlots: env.LOTTERY_BEACON_DELAY_SLOTS,
      revealDeadlineMs: env.LOTTERY_REVEAL_DEADLINE,
    },
    revenue: {
      approvalsRequired: env.REVENUE_APPROVALS_REQUIRED,
      claimWindowMs: env.REVENUE_CLAIM_WINDOW,
      claimWaitMs: env.REVENUE_CLAIM_WAIT,
      snapshotChunkSize: env.REVENUE_SNAPSHOT_CHUNK,
    },
    utility: { reviewSlaMs: env.UTILITY_REVIEW_SLA },
  };
}

export type Config = ReturnType<typeof toConfig>;

/** A summary safe to log: no secret values, only whether they are set. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    env: config.env,
    port: config.port,
    database: redactUrl(config.database.url),
    redis: redactUrl(config.redis.url),
    temporal: `${config.temporal.address}/${config.temporal.namespace}`,
    rpc: config.solana.rpcUrl ? redactUrl(config.solana.rpcUrl) : 'local chain',
    email: config.email.transport,
    jwtSecret: config.auth.jwtSecret ? 'set' : 'missing',
  };
}

export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/key|token|secret/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
