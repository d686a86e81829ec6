/**
 * What the demo runs against (the running stack, or a test system) and the small tools every
 * part of it shares: JSON over HTTP to the API, fresh funded wallets, waiting for the chain,
 * and the one-line step report with the dashboard page and the Temporal UI run.
 */
import { Keypair, LAMPORTS_PER_SOL, type Connection, type PublicKey } from '@solana/web3.js';
import { topUpSol } from '../../chain/local-keys';
import { workflowUiUrl } from '../../temporal/workflow-ids';
import { SignInRefused, signInWithKeypair } from '../sign-in';

export interface DemoSetup {
  /** The API's base URL (the dashboard is served under `<apiUrl>/admin`). */
  apiUrl: string;
  /** Where the Temporal Web UI is and the namespace the runs live in. */
  temporal: { uiUrl: string; namespace: string };
  /** The local chain's RPC URL; `connection` talks to it. */
  rpcUrl: string;
  connection: Connection;
  treasury: PublicKey;
  usdcMint: PublicKey;
  /** Mints the demo's NFTs and USDC: the local chain's payer, the USDC-like mint's authority. */
  faucet: Keypair;
  /** An admin wallet of the running API (development: the local admin wallet). */
  admin: Keypair;
  /** Lists Stoned Rabbits mints in nft_mints (no API route does: the hash list is loaded by ops). */
  listStonedRabbits(mints: string[]): Promise<void>;
  /** Where each step's line goes. */
  print(line: string): void;
}

/** A step that could not be done, said so that the operator knows what to do. */
export class DemoError extends Error {}

export interface ApiAnswer {
  status: number;
  /** The JSON answer; each step reads it as the shape its route documents. */
  body: unknown;
}

export interface Demo extends DemoSetup {
  call(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<ApiAnswer>;
  /** Like `call`, but anything but `expected` is a DemoError naming the step and the API's error. */
  expect(
    what: string,
    expected: number,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<unknown>;
  /** Re-sends an idempotent request while it answers 202 (decided later), then expects 200. */
  decided(what: string, path: string, body: unknown, token: string): Promise<unknown>;
  adminToken: string;
  signIn(keys: Keypair): Promise<string>;
  /** A new keypair holding `sol` SOL from the local chain's airdrop. */
  freshWallet(sol?: number): Promise<Keypair>;
  /** Resolves once `signature` is confirmed on chain without error; a DemoError if it failed or never lands. */
  confirmedOnChain(what: string, signature: string): Promise<void>;
  step(area: string, text: string, links: { page: string; workflowId?: string }): void;
}

const SOL = BigInt(LAMPORTS_PER_SOL);
const RETRY_MS = 500;
const DECIDE_WITHIN_MS = 90_000;

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The API's error of an answer (`code: message`), or its body. */
export const errorText = (answer: ApiAnswer) => {
  const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
  return error ? `${error.code ?? 'error'}: ${error.message ?? ''}` : JSON.stringify(answer.body);
};

export async function openDemo(setup: DemoSetup): Promise<Demo> {
  const api = setup.apiUrl.replace(/\/$/, '');
  const call: Demo['call'] = async (method, path, body, token) => {
    const res = await fetch(`${api}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const expectStatus: Demo['expect'] = async (what, expected, method, path, body, token) => {
    const answer = await call(method, path, body, token);
    if (answer.status !== expected)
      throw new DemoError(`${what}: ${method} ${path} answered ${answer.status} (${errorText(answer)})`);
    return answer.body;
  };
  // Sign-ins are rate limited per IP (RATE_LIMIT_AUTH_IP_PER_MINUTE): a demo run right after
  // another waits for the limit, says so, and goes on.
  const signIn = async (keys: Keypair): Promise<string> => {
    for (;;) {
      try {
        return await signInWithKeypair(api, keys);
      } catch (err) {
        if (!(err instanceof SignInRefused) || err.status !== 429 || err.retryAfterSeconds === null)
          throw new DemoError(`sign in as ${keys.publicKey.toBase58()}: ${(err as Error).message}`);
        setup.print(
          `… waiting ${err.retryAfterSeconds} s: sign-ins are rate limited (RATE_LIMIT_AUTH_IP_PER_MINUTE)`,
        );
        await pause(err.retryAfterSeconds * 1000);
      }
    }
  };

  const adminToken = await signIn(setup.admin);
  const me = await call('GET', '/auth/me', undefined, adminToken);
  if (me.status !== 200 || (me.body as { isAdmin?: boolean }).isAdmin !== true) {
    throw new DemoError(
      `the demo's admin wallet ${setup.admin.publicKey.toBase58()} is not an admin of the API at ${api}: ` +
        'run the stack with NODE_ENV=development (npm start does) so the local admin wallet is one, or list it in ADMIN_WALLETS',
    );
  }

  return {
    ...setup,
    apiUrl: api,
    call,
    expect: expectStatus,
    adminToken,
    signIn,
    async decided(what, path, body, token) {
      const deadline = Date.now() + DECIDE_WITHIN_MS;
      for (;;) {
        const answer = await call('POST', path, body, token);
        if (answer.status === 200) return answer.body;
        if (answer.status !== 202 || Date.now() > deadline)
          throw new DemoError(`${what}: POST ${path} answered ${answer.status} (${errorText(answer)})`);
        await pause(RETRY_MS);
      }
    },
    async freshWallet(sol = 1) {
      const keys = Keypair.generate();
      const lamports = BigInt(Math.round(sol * 1000)) * (SOL / 1000n);
      await topUpSol(setup.connection, keys.publicKey, lamports, lamports);
      return keys;
    },
    async confirmedOnChain(what, signature) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { value } = await setup.connection.getSignatureStatuses([signature], {
          searchTransactionHistory: true,
        });
        const status = value[0];
        if (status?.err)
          throw new DemoError(`${what}: ${signature} failed on chain (${JSON.stringify(status.err)})`);
        if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return;
        if (Date.now() > deadline)
          throw new DemoError(`${what}: ${signature} is not confirmed on chain after 30 s`);
        await pause(200);
      }
    },
    step(area, text, links) {
      const run = links.workflowId ? `  temporal ${workflowUiUrl(setup.temporal, links.workflowId)}` : '';
      setup.print(`✓ ${area.padEnd(8)} ${text}  dashboard ${api}/admin${links.page}${run}`);
    },
  };
}
