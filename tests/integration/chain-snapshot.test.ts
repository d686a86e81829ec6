/**
 * Holder snapshot and draw beacon on the local chain.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import { Keypair, PublicKey, type Connection } from '@solana/web3.js';
import {
  AccountLayout,
  MintLayout,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createBurnCheckedInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { connectRpc } from '../../src/chain/rpc';
import { snapshotHolders, snapshotStrategyFor, type SnapshotProgress } from '../../src/chain/snapshot';
import { beaconAtSlot, beaconAtTime } from '../../src/chain/beacon';
import {
  chainFailure,
  fundedKeypair,
  newNft,
  sendLegacy,
  tokenAccountWith,
  newMint,
} from '../support/chain-fixtures';

/** Polls `probe` until it returns a value, or fails at the deadline. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const randomAddress = () => new PublicKey(crypto.randomBytes(32));

describe('holder snapshot', () => {
  let chain: LocalChain;
  let connection: Connection;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    connection = connectRpc(chain.url);
  });
  afterAll(async () => {
    await chain.close();
  });

  test('owners of real passes after a transfer and a burn; both strategies agree', async () => {
    const authority = fundedKeypair(chain, 100);
    const owners = [fundedKeypair(chain, 1), fundedKeypair(chain, 1), fundedKeypair(chain, 1)];
    const passes = [];
    for (let i = 0; i < 9; i += 1) {
      const owner = owners[i % owners.length]!;
      passes.push({ ...(await newNft(connection, authority, owner.publicKey)), owner });
    }
    // pass 0 changes hands; pass 1 is burned; a semi-fungible "pass" has two holders
    const buyer = Keypair.generate().publicKey;
    const sold = passes[0]!;
    const buyerAccount = getAssociatedTokenAddressSync(sold.mint, buyer);
    await sendLegacy(
      connection,
      [
        createAssociatedTokenAccountIdempotentInstruction(
          sold.owner.publicKey,
          buyerAccount,
          buyer,
          sold.mint,
        ),
        createTransferCheckedInstruction(
          sold.tokenAccount,
          sold.mint,
          buyerAccount,
          sold.owner.publicKey,
          1n,
          0,
        ),
      ],
      [sold.owner],
    );
    const burned = passes[1]!;
    await sendLegacy(
      connection,
      [createBurnCheckedInstruction(burned.tokenAccount, burned.mint, burned.owner.publicKey, 1n, 0)],
      [burned.owner],
    );
    const shared = await newMint(connection, authority, 0);
    await tokenAccountWith(connection, authority, shared, owners[0]!.publicKey, 1n);
    const bigger = await tokenAccountWith(connection, authority, shared, owners[1]!.publicKey, 2n);
    const neverMinted = randomAddress().toBase58();

    const mints = [...passes.map((p) => p.mint.toBase58()), shared.toBase58(), neverMinted];
    const progress: SnapshotProgress[] = [];
    const perMint = await snapshotHolders(connection, mints, {
      strategy: 'per-mint',
      concurrency: 3,
      progressEvery: 4,
      onProgress: (p) => progress.push(p),
    });
    const scan = await snapshotHolders(connection, mints, { strategy: 'program-scan' });

    const expected = [
      { mint: sold.mint.toBase58(), owner: buyer.toBase58(), tokenAccount: buyerAccount.toBase58() },
      ...passes.slice(2).map((p) => ({
        mint: p.mint.toBase58(),
        owner: p.owner.publicKey.toBase58(),
        tokenAccount: p.tokenAccount.toBase58(),
      })),
      { mint: shared.toBase58(), owner: owners[1]!.publicKey.toBase58(), tokenAccount: bigger.toBase58() },
    ];
    for (const result of [perMint, scan]) {
      expect(result.holders).toEqual(expected);
      expect(result.missing).toEqual([burned.mint.toBase58(), neverMinted]);
      expect(result.multipleHolders).toEqual([shared.toBase58()]);
      expect(result.minContextSlot).toBeGreaterThanOrEqual(result.slot);
    }
    expect(progress[0]).toEqual({ done: 0, total: mints.length });
    expect(progress.at(-1)).toEqual({ done: mints.length, total: mints.length });
    expect(progress.map((p) => p.done)).toEqual([0, 4, 8, 11]);
    expect(snapshotStrategyFor({ local: true })).toBe('program-scan');
    expect(snapshotStrategyFor({ local: false })).toBe('per-mint');
  });

  test('a slot the chain has not reached: transient RpcUnavailable (minContextSlot not reached)', async () => {
    const future = (await connection.getSlot()) + 10_000;
    const error = await chainFailure(
      snapshotHolders(connection, [randomAddress().toBase58()], { atSlot: future, strategy: 'per-mint' }),
      'RpcUnavailable',
    );
    expect(error.transient).toBe(true);
  });

  test('10,000 passes: every owner, one scan, in seconds', async () => {
    const total = 10_000;
    const expected = new Map<string, { owner: string; tokenAccount: string }>();
    const mintData = Buffer.alloc(MintLayout.span);
    const accountData = Buffer.alloc(AccountLayout.span);
    for (let i = 0; i < total; i += 1) {
      const mint = randomAddress();
      const owner = randomAddress();
      const tokenAccount = randomAddress();
      MintLayout.encode(
        {
          mintAuthorityOption: 0,
          mintAuthority: PublicKey.default,
          supply: 1n,
          decimals: 0,
          isInitialized: true,
          freezeAuthorityOption: 0,
          freezeAuthority: PublicKey.default,
        },
        mintData,
      );
      chain.setAccount(mint.toBase58(), {
        lamports: 1_461_600,
        data: new Uint8Array(mintData),
        owner: TOKEN_PROGRAM_ID.toBase58(),
      });
      AccountLayout.encode(
        {
          mint,
          owner,
          amount: 1n,
          delegateOption: 0,
          delegate: PublicKey.default,
          state: 1,
          isNativeOption: 0,
          isNative: 0n,
          delegatedAmount: 0n,
          closeAuthorityOption: 0,
          closeAuthority: PublicKey.default,
        },
        accountData,
      );
      chain.setAccount(tokenAccount.toBase58(), {
        lamports: 2_039_280,
        data: new Uint8Array(accountData),
        owner: TOKEN_PROGRAM_ID.toBase58(),
      });
      expected.set(mint.toBase58(), { owner: owner.toBase58(), tokenAccount: tokenAccount.toBase58() });
    }
    const started = Date.now();
    const result = await snapshotHolders(connection, [...expected.keys()], { strategy: 'program-scan' });
    const elapsed = Date.now() - started;
    expect(result.holders).toHaveLength(total);
    expect(result.missing).toEqual([]);
    for (const holder of result.holders) {
      expect(expected.get(holder.mint)).toEqual({ owner: holder.owner, tokenAccount: holder.tokenAccount });
    }
    expect(elapsed).toBeLessThan(15_000);
  }, 120_000);
});

describe('draw beacon', () => {
  let chain: LocalChain;
  let connection: Connection;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0, slotMs: 20 });
    connection = connectRpc(chain.url);
    // a few seconds of history, so that block times span several seconds
    await eventually(async () => ((await connection.getSlot()) >= 150 ? true : undefined), 'slot 150');
  });
  afterAll(async () => {
    await chain.close();
  });

  test('at a slot: the finalized block there, with its blockhash; a future slot is not ready', async () => {
    const beacon = await beaconAtSlot(connection, 100);
    const block = await connection.getBlock(100, {
      maxSupportedTransactionVersion: 0,
      transactionDetails: 'none',
    });
    expect(beacon).toEqual({ slot: 100, blockhash: block!.blockhash, blockTime: block!.blockTime });
    expect(bs58.decode(beacon.blockhash)).toHaveLength(32);
    expect(await beaconAtSlot(connection, 100)).toEqual(beacon); // stable

    const future = (await connection.getSlot('finalized')) + 1_000;
    const error = await chainFailure(beaconAtSlot(connection, future), 'BeaconNotReady');
    expect(error.transient).toBe(true);
  });

  test('at a time: the first finalized block whose time is at or after it; a future time is not ready', async () => {
    const first = await connection.getBlockTime(0);
    const last = await connection.getBlockTime(140);
    expect(last! - first!).toBeGreaterThanOrEqual(2);
    const target = new Date((first! + 2) * 1000);
    const beacon = await beaconAtTime(connection, target);
    expect(beacon.blockTime).toBeGreaterThanOrEqual(first! + 2);
    expect(await connection.getBlockTime(beacon.slot - 1)).toBeLessThan(first! + 2);
    expect(beacon).toEqual(await beaconAtSlot(connection, beacon.slot));

    // before the first block: slot 0
    expect((await beaconAtTime(connection, new Date((first! - 100) * 1000))).slot).toBe(0);

    await chainFailure(beaconAtTime(connection, new Date(Date.now() + 3_600_000)), 'BeaconNotReady');
  });
});
