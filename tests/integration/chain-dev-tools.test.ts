/**
 * The local-chain environment the start script asks for, and the dev CLI's actions, checked
 * with the project's own verification: what a newcomer does by hand really verifies.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PublicKey } from '@solana/web3.js';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { burnNft, mintNfts, payTreasury, transferNft } from '../../src/chain/dev-tools';
import { registerNftMints } from '../../src/db/nft-mints';
import { ensureLocalChainEnv, ensureLocalKeys, loadLocalKeypair } from '../../src/chain/local-keys';
import { readKeypairFile } from '../../src/chain/payer-key';
import { connectRpc } from '../../src/chain/rpc';
import { snapshotHolders } from '../../src/chain/snapshot';
import { verifyBurns } from '../../src/chain/verify-burns';
import { verifyPayment } from '../../src/chain/verify-payment';
import { NftMintSchema } from '../../src/db/entities';
import { assertBurnableMints } from '../../src/db/lottery/tickets';
import { startTestSystem, testConfig, type TestSystem } from '../support/harness';

describe('local chain environment and dev tools', () => {
  let chain: LocalChain;
  let dataDir: string;
  let system: TestSystem;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-env-'));
    system = await startTestSystem({ RPC_URL: chain.url, DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await system.close();
    await chain.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('ensureLocalChainEnv: keys made once (owner-only files), funded, USDC mint created, idempotent', async () => {
    const env = await ensureLocalChainEnv(system.config);
    const keys = ensureLocalKeys(system.config);
    expect(env).toEqual({
      RPC_URL: chain.url,
      TREASURY_WALLET: keys.treasury.address,
      USDC_MINT: keys['usdc-mint'].address,
      PAYER_KEY_FILE: path.join(dataDir, 'chain', 'keys', 'payer.json'),
    });
    expect(fs.statSync(env.PAYER_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(readKeypairFile(env.PAYER_KEY_FILE).publicKey.toBase58()).toBe(keys.payer.address);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'chain', 'local-env.json'), 'utf8'))).toEqual(env);

    const connection = connectRpc(chain.url);
    const mint = await connection.getParsedAccountInfo(new PublicKey(env.USDC_MINT));
    expect((mint.value?.data as { parsed: { info: { decimals: number } } }).parsed.info.decimals).toBe(6);
    expect(await connection.getBalance(new PublicKey(keys.payer.address))).toBeGreaterThan(999e9);

    // a second call (a restart) changes nothing and mints nothing more
    const supply = (await connection.getTokenSupply(new PublicKey(env.USDC_MINT))).value.amount;
    expect(await ensureLocalChainEnv(system.config)).toEqual(env);
    expect((await connection.getTokenSupply(new PublicKey(env.USDC_MINT))).value.amount).toBe(supply);

    const production = { ...system.config, isProduction: true };
    await expect(ensureLocalChainEnv(production)).rejects.toThrow(/refused in production/);
  });

  test('pay, mint, list, burn, transfer: each verifies with the project’s own checks', async () => {
    const env = await ensureLocalChainEnv(system.config);
    const config = testConfig({ DATA_DIR: dataDir, ...env });
    const connection = connectRpc(chain.url);
    const wallet = loadLocalKeypair(config, 'test-wallet');
    const payer = loadLocalKeypair(config, 'payer');
    const treasury = new PublicKey(env.TREASURY_WALLET);
    const usdcMint = new PublicKey(env.USDC_MINT);

    const usdc = await payTreasury(connection, wallet, treasury, 'USDC', 12_500_000n, usdcMint);
    const paid = await verifyPayment(connection, usdc, {
      wallet: wallet.publicKey.toBase58(),
      currency: 'USDC',
      treasury: env.TREASURY_WALLET,
      usdcMint: env.USDC_MINT,
      minAmountBaseUnits: 12_500_000n,
    });
    expect(paid.amountBaseUnits).toBe(12_500_000n);

    const rabbits = await mintNfts(connection, payer, wallet.publicKey, 3, { concurrency: 2 });
    const passes = await mintNfts(connection, payer, wallet.publicKey, 2);
    const em = system.resources.orm.em.fork() as EntityManager;
    expect(await registerNftMints(em, rabbits, 'stoned-rabbits', 'Stoned Rabbit')).toBe(3);
    expect(await registerNftMints(em, passes, 'revenue-pass', 'Revenue Pass')).toBe(2);
    expect(await registerNftMints(em, rabbits, 'stoned-rabbits', 'Stoned Rabbit')).toBe(0);
    // numbered after what the (shared) table already lists
    const listed = await em.find(NftMintSchema, { mintAddress: { $in: rabbits } });
    const numbers = listed
      .map((r) => Number(/^Stoned Rabbit #(\d+)$/.exec(r.name ?? '')?.[1]))
      .sort((a, b) => a - b);
    expect(numbers).toHaveLength(3);
    expect(numbers[2]! - numbers[0]!).toBe(2);
    expect(listed.every((r) => r.collection === 'stoned-rabbits' && r.burnedSignature === null)).toBe(true);
    const supply = await connection.getParsedAccountInfo(new PublicKey(rabbits[0]!));
    expect((supply.value?.data as { parsed: { info: object } }).parsed.info).toMatchObject({
      decimals: 0,
      supply: '1',
      mintAuthority: null,
    });

    const burn = await burnNft(connection, wallet, new PublicKey(rabbits[0]!));
    const burned = await verifyBurns(connection, burn, wallet.publicKey.toBase58());
    expect(burned.mints).toEqual([rabbits[0]]);
    await assertBurnableMints(em, burned.mints, burn);

    const buyer = new PublicKey(ensureLocalKeys(config).treasury.address);
    await transferNft(connection, wallet, new PublicKey(passes[0]!), buyer);
    const snapshot = await snapshotHolders(connection, passes, { strategy: 'program-scan' });
    expect(snapshot.holders.map((h) => [h.mint, h.owner])).toEqual([
      [passes[0], buyer.toBase58()],
      [passes[1], wallet.publicKey.toBase58()],
    ]);
  });

  test('the chain CLI prints what it is asked, without bigint-buffer’s "Failed to load bindings" warning', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', '..', 'src', 'cli', 'chain.ts'), 'keys'],
      { env: { ...process.env, DATA_DIR: dataDir } },
    );
    expect(stdout).toContain('test-wallet');
    expect(stderr).toBe('');
  });
});
