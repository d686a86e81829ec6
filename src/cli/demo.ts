/**
 * `npm run demo`: the whole story against the stack `npm start` runs (API at APP_URL, the
 * local chain, Temporal): a lottery round (create, two SOL and one USDC purchase, a burn,
 * close, draw, verify-draw MATCH, the prize paid), a Revenue Pass month (passes, hash list,
 * CSV month, approval, claims paid on chain) and a Utility Factory project (submit, review,
 * update, complete), one line per step with its dashboard page and Temporal UI run.
 *
 * Development only: refused with NODE_ENV=production or an RPC_URL that is not local. It
 * acts as the local admin wallet (<DATA_DIR>/keys/admin-wallet.json), an admin of a stack
 * running with NODE_ENV=development, and funds fresh wallets from the local chain's airdrop
 * and its payer (the USDC-like mint's authority). Exits 0 when every check passed, else 1.
 */
import { PublicKey } from '@solana/web3.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConfigError, devAdminKeyFile, loadConfig } from '../config';
import { openOrm } from '../db/orm';
import { registerNftMints } from '../db/nft-mints';
import { ensureLocalChainEnv, loadLocalKeypair } from '../chain/local-keys';
import { ensureKeypairFile } from '../chain/payer-key';
import { connectRpc } from '../chain/rpc';
import { localChainOnly } from './demo/local-only';
import { DemoError, runDemo } from './demo/run';

// The demo issues no tokens itself: a JWT secret is only needed to pass config validation.
const CONFIG_PLACEHOLDERS = { JWT_SECRET: 'demo-cli-does-not-sign-tokens-placeholder' };

async function main(): Promise<void> {
  const config = loadConfig({ ...CONFIG_PLACEHOLDERS, ...process.env });
  const rpcUrl = localChainOnly(config);
  const chainEnv = await ensureLocalChainEnv(config, { rpcUrl });
  const orm = await openOrm(config.database);
  const started = Date.now();
  try {
    const outcome = await runDemo({
      apiUrl: config.appUrl,
      temporal: config.temporal,
      rpcUrl,
      connection: connectRpc(rpcUrl, { commitment: 'confirmed' }),
      treasury: new PublicKey(chainEnv.TREASURY_WALLET),
      usdcMint: new PublicKey(chainEnv.USDC_MINT),
      faucet: loadLocalKeypair(config, 'payer'),
      admin: ensureKeypairFile(devAdminKeyFile(config.dataDir)),
      listStonedRabbits: async (mints) => {
        await registerNftMints(orm.em.fork() as EntityManager, mints, 'stoned-rabbits', 'Stoned Rabbit');
      },
      print: (line) => console.log(line),
    });
    console.log(
      `\nEvery check passed in ${Math.round((Date.now() - started) / 1000)} s: round ${outcome.lottery.roundId} verified MATCH and its prize paid, ` +
        `month ${outcome.revenue.month} claims paid on chain, project ${outcome.utility.projectId} ${outcome.utility.status}.`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof DemoError || err instanceof ConfigError) console.error(`✗ demo: ${err.message}`);
  else console.error(`✗ demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
