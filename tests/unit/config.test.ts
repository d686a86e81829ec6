import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Keypair } from '@solana/web3.js';
import { ConfigError, describeConfig, devAdminKeyFile, ENV_KEYS, loadConfig } from '../../src/config';

const SECRET = 'x'.repeat(40);
const WALLET = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';

describe('config', () => {
  it('starts on local defaults with only a JWT secret', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config.port).toBe(3000);
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', local: true, namespace: 'default' });
    expect(config.database.url).toBe('postgresql://postgres@127.0.0.1:5432/stoned_rabbits');
    expect(config.email.transport).toBe('log');
    expect(config.auth.tokenTtlMs).toBe(7 * 86_400_000);
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        ADMIN_WALLETS: 'not-a-wallet',
        JWT_TTL: 'soon',
        EMAIL_TRANSPORT: 'pigeon',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/ADMIN_WALLETS/);
    expect(problems).toMatch(/JWT_TTL: "soon" is not a duration/);
    expect(problems).toMatch(/EMAIL_TRANSPORT/);
  });

  it('requires a JWT secret, and production settings in production', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET: required/);
    const err = (() => {
      try {
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RPC_URL/),
        expect.stringMatching(/^TREASURY_WALLET/),
        expect.stringMatching(/^TEMPORAL_ADDRESS/),
        expect.stringMatching(/^PAYER_KEY_FILE/),
      ]),
    );
  });

  it('refuses production without the anchoring key (PAYER_KEY_FILE); development and test keep running without it', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      RPC_URL: 'https://rpc.example',
      TREASURY_WALLET: WALLET,
      TEMPORAL_ADDRESS: 'temporal:7233',
    };
    let error: unknown;
    try {
      loadConfig(production);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^PAYER_KEY_FILE: required in production \(the anchoring key: .*memos/),
    ]);
    expect(loadConfig({ ...production, PAYER_KEY_FILE: '/run/secrets/payer.json' }).solana.payerKeyFile).toBe(
      '/run/secrets/payer.json',
    );
    for (const NODE_ENV of ['development', 'test'])
      expect(loadConfig({ NODE_ENV, JWT_SECRET: SECRET }).solana.payerKeyFile).toBeUndefined();
  });

  it('requires a SendGrid key only for the sendgrid transport', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, EMAIL_TRANSPORT: 'sendgrid' })).toThrow(/SENDGRID_API_KEY/);
    expect(
      loadConfig({ JWT_SECRET: SECRET, EMAIL_TRANSPORT: 'sendgrid', SENDGRID_API_KEY: 'SG.placeholder' })
        .email.transport,
    ).toBe('sendgrid');
  });

  it('makes the local admin wallet an admin in development only, never in test or production', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-admin-'));
    try {
      const base = { JWT_SECRET: SECRET, DATA_DIR: dataDir, ADMIN_WALLETS: WALLET };
      // no key file yet: nothing added
      expect(loadConfig({ ...base, NODE_ENV: 'development' }).auth.adminWallets).toEqual([WALLET]);
      const admin = Keypair.generate();
      fs.mkdirSync(path.dirname(devAdminKeyFile(dataDir)), { recursive: true });
      fs.writeFileSync(devAdminKeyFile(dataDir), JSON.stringify(Array.from(admin.secretKey)));
      const address = admin.publicKey.toBase58();
      expect(loadConfig({ ...base, NODE_ENV: 'development' }).auth.adminWallets).toEqual([WALLET, address]);
      expect(loadConfig({ ...base, NODE_ENV: 'test' }).auth.adminWallets).toEqual([WALLET]);
      const production = loadConfig({
        ...base,
        NODE_ENV: 'production',
        RPC_URL: 'https://rpc.example',
        TREASURY_WALLET: WALLET,
        TEMPORAL_ADDRESS: 'temporal:7233',
        PAYER_KEY_FILE: path.join(dataDir, 'payer.json'),
      });
      expect(production.auth.adminWallets).toEqual([WALLET]);
      // a file that is not a key grants nothing
      fs.writeFileSync(devAdminKeyFile(dataDir), '[1,2,3]');
      expect(loadConfig({ ...base, NODE_ENV: 'development' }).auth.adminWallets).toEqual([WALLET]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('points e-mail links at FRONTEND_URL, by default APP_URL', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, APP_URL: 'https://api.example/' });
    expect(config.frontendUrl).toBe('https://api.example');
    expect(
      loadConfig({
        JWT_SECRET: SECRET,
        APP_URL: 'https://api.example',
        FRONTEND_URL: 'https://site.example/',
      }).frontendUrl,
    ).toBe('https://site.example');
    expect(() => loadConfig({ JWT_SECRET: SECRET, FRONTEND_URL: 'not a url' })).toThrow(/FRONTEND_URL/);
  });

  it('bounds the worker cache explicitly: 100 by default, never below its 100 concurrent workflow tasks', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).workerMaxCachedWorkflows).toBe(100);
    expect(
      loadConfig({ JWT_SECRET: SECRET, WORKER_MAX_CACHED_WORKFLOWS: '400' }).workerMaxCachedWorkflows,
    ).toBe(400);
    expect(() => loadConfig({ JWT_SECRET: SECRET, WORKER_MAX_CACHED_WORKFLOWS: '99' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS/,
    );
  });

  it('runs one worker and one API process by default; several on request, within port range', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).processes).toEqual({ workers: 1, apis: 1 });
    expect(loadConfig({ JWT_SECRET: SECRET, WORKERS: '3', API_PROCESSES: '2' }).processes).toEqual({
      workers: 3,
      apis: 2,
    });
    expect(() => loadConfig({ JWT_SECRET: SECRET, WORKERS: '0' })).toThrow(/WORKERS/);
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_PROCESSES: 'two' })).toThrow(/API_PROCESSES/);
    expect(() => loadConfig({ JWT_SECRET: SECRET, PORT: '65535', API_PROCESSES: '2' })).toThrow(
      /API_PROCESSES: 2 ports from PORT=65535 go past 65535/,
    );
    expect(loadConfig({ JWT_SECRET: SECRET, WORKER_INDEX: '1' }).workerIndex).toBe(1);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, PORT: '', RPC_URL: '' }).port).toBe(3000);
  });

  it('never shows secrets in the loggable summary', () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      DATABASE_URL: 'postgresql://app:hunter2@db:5432/sr',
      RPC_URL: 'https://rpc.example/?api-key=abc123',
    });
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc123');
  });

  it('.env.example lists every variable the configuration reads', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(ENV_KEYS.filter((k) => !listed.has(k))).toEqual([]);
  });
});
