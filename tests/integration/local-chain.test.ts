/**
 * The local chain seen only through plain @solana/web3.js and @solana/spl-token clients:
 * if these pass, project code written against mainnet RPC shapes works against it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AddressLookupTableProgram,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
  type ParsedInstruction,
} from '@solana/web3.js';
import {
  AccountLayout,
  TOKEN_PROGRAM_ID,
  burn,
  burnChecked,
  createMint,
  getAccount,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  transfer,
  transferChecked,
} from '@solana/spl-token';
import { startLocalChain, type LocalChain } from '../../src/chain/local';

const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');

/** Polls `probe` until it returns a value other than undefined, or fails at the deadline. */
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
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function rawRpc(url: string, body: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return response.json();
}

async function fundedKeypair(connection: Connection, lamports = 10 * LAMPORTS_PER_SOL): Promise<Keypair> {
  const keypair = Keypair.generate();
  const signature = await connection.requestAirdrop(keypair.publicKey, lamports);
  const latest = await connection.getLatestBlockhash();
  await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
  return keypair;
}

describe('local chain (web3.js clients only)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let payer: Keypair;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    connection = new Connection(chain.url, 'confirmed');
    payer = await fundedKeypair(connection, 100 * LAMPORTS_PER_SOL);
  });

  afterAll(async () => {
    await chain.close();
  });

  test('airdrop lands as a real transaction and shows in getBalance', async () => {
    const wallet = Keypair.generate();
    const signature = await connection.requestAirdrop(wallet.publicKey, 3 * LAMPORTS_PER_SOL);
    const latest = await connection.getLatestBlockhash();
    const confirmation = await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
    expect(confirmation.value.err).toBeNull();
    expect(await connection.getBalance(wallet.publicKey)).toBe(3 * LAMPORTS_PER_SOL);

    const tx = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(tx?.transaction.message.staticAccountKeys[1]?.toBase58()).toBe(wallet.publicKey.toBase58());
    expect(tx?.meta?.postBalances[1]).toBe(3 * LAMPORTS_PER_SOL);

    // the in-process helper does the same
    chain.airdrop(wallet.publicKey.toBase58(), LAMPORTS_PER_SOL);
    expect(await connection.getBalance(wallet.publicKey)).toBe(4 * LAMPORTS_PER_SOL);
  });

  test('getSignaturesForAddress: newest first, paged with before/until/limit, in the RPC shape', async () => {
    const recipient = Keypair.generate().publicKey;
    const pay = async (lamports: number, memo?: string) => {
      const tx = new Transaction().add(
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports }),
      );
      if (memo)
        tx.add(new TransactionInstruction({ programId: MEMO_PROGRAM_ID, keys: [], data: Buffer.from(memo) }));
      return sendAndConfirmTransaction(connection, tx, [payer], { commitment: 'confirmed' });
    };
    const first = await pay(LAMPORTS_PER_SOL);
    const second = await pay(2 * LAMPORTS_PER_SOL, 'hello');
    const third = await pay(3 * LAMPORTS_PER_SOL);

    const all = await connection.getSignaturesForAddress(recipient);
    expect(all.map((s) => s.signature)).toEqual([third, second, first]);
    const tx = await connection.getTransaction(second, {
      commitment: 'confirmed',
      maxSupportedTransactionVersion: 0,
    });
    expect(all[1]).toEqual({
      signature: second,
      slot: tx!.slot,
      err: null,
      memo: '[5] hello',
      blockTime: tx!.blockTime,
      confirmationStatus: expect.stringMatching(/^(confirmed|finalized)$/),
    });
    expect(all[0]!.memo).toBeNull();

    expect(
      (await connection.getSignaturesForAddress(recipient, { limit: 1 })).map((s) => s.signature),
    ).toEqual([third]);
    expect(
      (await connection.getSignaturesForAddress(recipient, { before: third, limit: 1 })).map(
        (s) => s.signature,
      ),
    ).toEqual([second]);
    expect(
      (await connection.getSignaturesForAddress(recipient, { until: first })).map((s) => s.signature),
    ).toEqual([third, second]);
    expect(
      (await connection.getSignaturesForAddress(recipient, { before: third, until: first })).map(
        (s) => s.signature,
      ),
    ).toEqual([second]);
    // The payer's own history holds the same transactions (every account a transaction names).
    expect(
      (await connection.getSignaturesForAddress(payer.publicKey, { limit: 3 })).map((s) => s.signature),
    ).toEqual([third, second, first]);
    expect(await connection.getSignaturesForAddress(Keypair.generate().publicKey)).toEqual([]);

    const raw = (params: unknown[]) =>
      rawRpc(chain.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSignaturesForAddress', params }));
    expect(await raw([recipient.toBase58(), { limit: 1001 }])).toMatchObject({
      error: { code: -32602, message: 'Invalid limit; max 1000' },
    });
    expect(await raw(['not-an-address'])).toMatchObject({ error: { code: -32602 } });
    expect(await raw([recipient.toBase58(), { commitment: 'processed' }])).toMatchObject({
      error: { code: -32602, message: 'Method does not support commitment below `confirmed`' },
    });
  });

  test('legacy SOL transfer: getTransaction reports fee and pre/post balances', async () => {
    const recipient = Keypair.generate().publicKey;
    const before = await connection.getBalance(payer.publicKey);
    const tx = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: recipient,
        lamports: LAMPORTS_PER_SOL,
      }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);

    const fetched = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(fetched).not.toBeNull();
    const meta = fetched!.meta!;
    expect(fetched!.version).toBe('legacy');
    expect(meta.err).toBeNull();
    expect(meta.fee).toBe(5000);
    expect(meta.preBalances.slice(0, 2)).toEqual([before, 0]);
    expect(meta.postBalances.slice(0, 2)).toEqual([before - LAMPORTS_PER_SOL - 5000, LAMPORTS_PER_SOL]);
    expect(meta.logMessages).toEqual([
      'Program 11111111111111111111111111111111 invoke [1]',
      'Program 11111111111111111111111111111111 success',
    ]);
    expect(meta.loadedAddresses).toEqual({ writable: [], readonly: [] });
    expect(meta.computeUnitsConsumed).toBeGreaterThan(0);
    expect(fetched!.blockTime).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(fetched!.slot).toBeLessThanOrEqual(await connection.getSlot());
    expect(fetched!.transaction.signatures[0]).toBe(signature);

    const status = await connection.getSignatureStatus(signature);
    expect(status.value).toMatchObject({ slot: fetched!.slot, err: null, confirmationStatus: 'confirmed' });

    const blockTime = await connection.getBlockTime(fetched!.slot);
    expect(blockTime).toBe(fetched!.blockTime);
    const signatures = await connection.getBlockSignatures(fetched!.slot);
    expect(signatures.signatures).toContain(signature);
    const block = await connection.getBlock(fetched!.slot, {
      maxSupportedTransactionVersion: 0,
      transactionDetails: 'none',
    });
    expect(block?.blockhash).toEqual(expect.any(String));
    // every slot has a block here; slot 0's parent is itself, with the genesis hash before it
    const parentSlot = Math.max(0, fetched!.slot - 1);
    expect(block?.parentSlot).toBe(parentSlot);
    const parent = await connection.getBlock(parentSlot, {
      maxSupportedTransactionVersion: 0,
      transactionDetails: 'none',
    });
    expect(block?.previousBlockhash).toBe(fetched!.slot === 0 ? chain.genesisHash : parent?.blockhash);
    const full = await connection.getBlock(fetched!.slot, { maxSupportedTransactionVersion: 0 });
    expect(full?.transactions.map((t) => t.transaction.signatures[0])).toContain(signature);
  });

  test('v0 VersionedTransaction with a lookup table: version, loadedAddresses and balances', async () => {
    const recipient = Keypair.generate().publicKey;
    const slot = await connection.getSlot();
    const [createIx, table] = AddressLookupTableProgram.createLookupTable({
      authority: payer.publicKey,
      payer: payer.publicKey,
      recentSlot: slot,
    });
    const extendIx = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: [recipient],
    });
    await sendAndConfirmTransaction(connection, new Transaction().add(createIx, extendIx), [payer]);
    // a table's new entries are usable from the next slot on
    await eventually(async () => ((await connection.getSlot()) > slot + 1 ? true : undefined), 'next slot');
    const lookup = (await connection.getAddressLookupTable(table)).value!;
    expect(lookup.state.addresses.map((a) => a.toBase58())).toEqual([recipient.toBase58()]);

    const latest = await connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipient,
          lamports: 2 * LAMPORTS_PER_SOL,
        }),
      ],
    }).compileToV0Message([lookup]);
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const signature = await connection.sendRawTransaction(tx.serialize());
    const confirmation = await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
    expect(confirmation.value.err).toBeNull();

    const fetched = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(fetched!.version).toBe(0);
    expect(fetched!.meta!.loadedAddresses!.writable.map((a) => a.toBase58())).toEqual([recipient.toBase58()]);
    const keys = fetched!.transaction.message.getAccountKeys({
      accountKeysFromLookups: fetched!.meta!.loadedAddresses!,
    });
    const recipientIndex = keys
      .keySegments()
      .flat()
      .findIndex((k) => k.equals(recipient));
    expect(fetched!.meta!.preBalances[recipientIndex]).toBe(0);
    expect(fetched!.meta!.postBalances[recipientIndex]).toBe(2 * LAMPORTS_PER_SOL);

    // mainnet refuses a v0 transaction to a client that did not opt in
    await expect(connection.getTransaction(signature, { commitment: 'confirmed' } as never)).rejects.toThrow(
      /Transaction version \(0\) is not supported/,
    );
  });

  test('SPL token: mint, ATA, mintTo, transfer, transferChecked with pre/post token balances', async () => {
    const mint = await createMint(connection, payer, payer.publicKey, null, 6);
    const alice = Keypair.generate();
    const bob = Keypair.generate();
    const aliceAta = await getOrCreateAssociatedTokenAccount(connection, payer, mint, alice.publicKey);
    const bobAta = await getOrCreateAssociatedTokenAccount(connection, payer, mint, bob.publicKey);
    await mintTo(connection, payer, mint, aliceAta.address, payer, 5_000_000n);
    expect((await getAccount(connection, aliceAta.address)).amount).toBe(5_000_000n);

    const transferSig = await transfer(
      connection,
      payer,
      aliceAta.address,
      bobAta.address,
      alice,
      1_250_000n,
    );
    const transferTx = await connection.getTransaction(transferSig, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    const pre = transferTx!.meta!.preTokenBalances!;
    const post = transferTx!.meta!.postTokenBalances!;
    const aliceIndex = transferTx!.transaction.message.staticAccountKeys.findIndex((k) =>
      k.equals(aliceAta.address),
    );
    expect(pre.find((b) => b.accountIndex === aliceIndex)).toEqual({
      accountIndex: aliceIndex,
      mint: mint.toBase58(),
      owner: alice.publicKey.toBase58(),
      programId: TOKEN_PROGRAM_ID.toBase58(),
      uiTokenAmount: { amount: '5000000', decimals: 6, uiAmount: 5, uiAmountString: '5' },
    });
    expect(post.find((b) => b.owner === bob.publicKey.toBase58())?.uiTokenAmount).toEqual({
      amount: '1250000',
      decimals: 6,
      uiAmount: 1.25,
      uiAmountString: '1.25',
    });
    // an empty token account shows uiAmount null, as mainnet's stored metadata does
    expect(pre.find((b) => b.owner === bob.publicKey.toBase58())?.uiTokenAmount).toEqual({
      amount: '0',
      decimals: 6,
      uiAmount: null,
      uiAmountString: '0',
    });

    const checkedSig = await transferChecked(
      connection,
      payer,
      bobAta.address,
      mint,
      aliceAta.address,
      bob,
      250_000n,
      6,
    );
    const checkedTx = await connection.getTransaction(checkedSig, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(checkedTx!.meta!.postTokenBalances!.map((b) => [b.owner, b.uiTokenAmount.amount]).sort()).toEqual(
      [
        [alice.publicKey.toBase58(), '4000000'],
        [bob.publicKey.toBase58(), '1000000'],
      ].sort(),
    );
    const parsed = await connection.getParsedTransaction(checkedSig, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    const ix = parsed!.transaction.message.instructions[0] as ParsedInstruction;
    expect(ix.program).toBe('spl-token');
    expect(ix.parsed).toMatchObject({
      type: 'transferChecked',
      info: { authority: bob.publicKey.toBase58(), tokenAmount: { amount: '250000' } },
    });

    expect((await connection.getTokenAccountBalance(aliceAta.address)).value).toEqual({
      amount: '4000000',
      decimals: 6,
      uiAmount: 4,
      uiAmountString: '4',
    });
    const byOwner = await connection.getTokenAccountsByOwner(alice.publicKey, { mint });
    expect(byOwner.value.map((a) => a.pubkey.toBase58())).toEqual([aliceAta.address.toBase58()]);
    const parsedByOwner = await connection.getParsedTokenAccountsByOwner(bob.publicKey, {
      programId: TOKEN_PROGRAM_ID,
    });
    expect(parsedByOwner.value[0]?.account.data.parsed).toMatchObject({
      type: 'account',
      info: { mint: mint.toBase58(), owner: bob.publicKey.toBase58() },
    });
    const mintInfo = await connection.getParsedAccountInfo(mint);
    expect((mintInfo.value?.data as { parsed: unknown }).parsed).toMatchObject({
      type: 'mint',
      info: { decimals: 6, supply: '5000000' },
    });
  });

  test('burn and burnChecked of an NFT-like token: parsed instructions and token balances', async () => {
    const owner = await fundedKeypair(connection);
    const mint = await createMint(connection, payer, payer.publicKey, null, 0);
    const ata = await getOrCreateAssociatedTokenAccount(connection, payer, mint, owner.publicKey);
    await mintTo(connection, payer, mint, ata.address, payer, 2n);

    const burnSig = await burn(connection, owner, ata.address, mint, owner, 1n);
    const burnTx = await connection.getParsedTransaction(burnSig, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    const burnIx = burnTx!.transaction.message.instructions[0] as ParsedInstruction;
    expect(burnIx.parsed).toEqual({
      type: 'burn',
      info: {
        account: ata.address.toBase58(),
        mint: mint.toBase58(),
        authority: owner.publicKey.toBase58(),
        amount: '1',
      },
    });
    expect(burnTx!.meta!.preTokenBalances![0]).toMatchObject({
      owner: owner.publicKey.toBase58(),
      mint: mint.toBase58(),
      uiTokenAmount: { amount: '2' },
    });
    expect(burnTx!.meta!.postTokenBalances![0]).toMatchObject({ uiTokenAmount: { amount: '1' } });
    expect(burnTx!.transaction.message.accountKeys[0]).toMatchObject({
      signer: true,
      writable: true,
      source: 'transaction',
    });

    const checkedSig = await burnChecked(connection, owner, ata.address, mint, owner, 1n, 0);
    const checkedTx = await connection.getParsedTransaction(checkedSig, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect((checkedTx!.transaction.message.instructions[0] as ParsedInstruction).parsed).toMatchObject({
      type: 'burnChecked',
      info: { authority: owner.publicKey.toBase58(), tokenAmount: { amount: '1', decimals: 0 } },
    });
    expect(checkedTx!.meta!.postTokenBalances![0]!.uiTokenAmount).toEqual({
      amount: '0',
      decimals: 0,
      uiAmount: null,
      uiAmountString: '0',
    });
    expect((await connection.getTokenSupply(mint)).value.amount).toBe('0');
  });

  test('memo instruction: logged and parsed', async () => {
    const memo = 'payout:2026-02:abc';
    const tx = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: LAMPORTS_PER_SOL,
      }),
      new TransactionInstruction({
        programId: MEMO_PROGRAM_ID,
        keys: [{ pubkey: payer.publicKey, isSigner: true, isWritable: false }],
        data: Buffer.from(memo),
      }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);
    const fetched = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(fetched!.meta!.logMessages).toContain(`Program log: ${memo}`);
    const parsed = await connection.getParsedTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(parsed!.transaction.message.instructions[1]).toMatchObject({ program: 'spl-memo', parsed: memo });
  });

  test('failures: preflight rejects without a trace; skipPreflight records meta.err and charges the fee', async () => {
    const poor = await fundedKeypair(connection, LAMPORTS_PER_SOL);
    const build = async (): Promise<Transaction> => {
      const tx = new Transaction({ ...(await connection.getLatestBlockhash()), feePayer: poor.publicKey });
      tx.add(
        SystemProgram.transfer({
          fromPubkey: poor.publicKey,
          toPubkey: payer.publicKey,
          lamports: 5 * LAMPORTS_PER_SOL,
        }),
      );
      tx.sign(poor);
      return tx;
    };

    const preflight = await connection
      .sendRawTransaction((await build()).serialize())
      .catch((error: unknown) => error);
    expect(preflight).toBeInstanceOf(SendTransactionError);
    expect((preflight as SendTransactionError).message).toContain(
      'Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1',
    );
    expect((preflight as SendTransactionError).logs?.join('\n')).toContain('Transfer: insufficient lamports');
    expect(await connection.getBalance(poor.publicKey)).toBe(LAMPORTS_PER_SOL);

    const failing = await build();
    const signature = await connection.sendRawTransaction(failing.serialize(), { skipPreflight: true });
    const status = await eventually(
      async () => (await connection.getSignatureStatus(signature)).value ?? undefined,
      'failed tx status',
    );
    expect(status.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    const fetched = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(fetched!.meta!.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(fetched!.meta!.fee).toBe(5000);
    expect(fetched!.meta!.preBalances[0]).toBe(LAMPORTS_PER_SOL);
    expect(fetched!.meta!.postBalances[0]).toBe(LAMPORTS_PER_SOL - 5000);
    expect(await connection.getBalance(poor.publicKey)).toBe(LAMPORTS_PER_SOL - 5000);

    // sending the same bytes again is a duplicate
    const duplicate = await connection
      .sendRawTransaction(failing.serialize())
      .catch((error: unknown) => error);
    expect((duplicate as Error).message).toContain('This transaction has already been processed');
  });

  test('unknown signature → null; signature status becomes finalized after 32 slots', async () => {
    const unknown = Keypair.generate().secretKey; // any 64 bytes
    const { default: bs58 } = await import('bs58');
    expect(
      await connection.getTransaction(bs58.encode(unknown), { maxSupportedTransactionVersion: 0 }),
    ).toBeNull();
    expect((await connection.getSignatureStatus(bs58.encode(unknown))).value).toBeNull();

    const signature = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: LAMPORTS_PER_SOL,
        }),
      ),
      [payer],
    );
    chain.warpSlots(40);
    const status = await connection.getSignatureStatus(signature, { searchTransactionHistory: true });
    expect(status.value).toMatchObject({ confirmationStatus: 'finalized', confirmations: null, err: null });
    const latest = await connection.getLatestBlockhash();
    const finalized = await connection.confirmTransaction({ signature, ...latest }, 'finalized');
    expect(finalized.value.err).toBeNull();
  });

  test('getProgramAccounts with dataSize + memcmp on the mint finds every holder; getTokenLargestAccounts ranks them', async () => {
    const mint = await createMint(connection, payer, payer.publicKey, null, 0);
    const holders = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
    const amounts = [3n, 7n, 1n];
    for (const [i, holder] of holders.entries()) {
      const ata = await getOrCreateAssociatedTokenAccount(connection, payer, mint, holder.publicKey);
      await mintTo(connection, payer, mint, ata.address, payer, amounts[i] ?? 0n);
    }
    const accounts = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: mint.toBase58() } }],
    });
    const owners = accounts
      .map((a) => AccountLayout.decode(a.account.data))
      .map((d) => [d.owner.toBase58(), d.amount]);
    expect(owners.sort()).toEqual(holders.map((h, i) => [h.publicKey.toBase58(), amounts[i]]).sort());

    const largest = await connection.getTokenLargestAccounts(mint);
    expect(largest.value.map((a) => a.amount)).toEqual(['7', '3', '1']);
    expect(largest.value[0]).toMatchObject({ decimals: 0, uiAmount: 7, uiAmountString: '7' });

    const none = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: Keypair.generate().publicKey.toBase58() } }],
    });
    expect(none).toEqual([]);
  });

  test('JSON-RPC framing: unknown method, malformed JSON, batch, and the server keeps serving', async () => {
    expect(await rawRpc(chain.url, '{"jsonrpc":"2.0","id":1,"method":"noSuchMethod","params":[]}')).toEqual({
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
      id: 1,
    });
    expect(await rawRpc(chain.url, '{"jsonrpc":"2.0","id":1,"method":')).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    expect(
      await rawRpc(chain.url, '{"jsonrpc":"2.0","id":2,"method":"getBalance","params":["not-a-key"]}'),
    ).toMatchObject({ error: { code: -32602 }, id: 2 });
    const batch = (await rawRpc(
      chain.url,
      '[{"jsonrpc":"2.0","id":"a","method":"getHealth"},{"jsonrpc":"2.0","id":"b","method":"getSlot"}]',
    )) as { id: string; result: unknown }[];
    expect(batch.map((r) => r.id)).toEqual(['a', 'b']);
    expect(batch[0]?.result).toBe('ok');
    expect(typeof batch[1]?.result).toBe('number');
    expect(await connection.getVersion()).toHaveProperty('solana-core');
    expect(await connection.getGenesisHash()).toBe(chain.genesisHash);
    expect((await connection.getEpochInfo()).absoluteSlot).toBeGreaterThan(0);
    expect(await connection.getMinimumBalanceForRentExemption(165)).toBe(2_039_280);
    expect(await connection.getRecentPrioritizationFees()).toEqual([]);
  });

  test('getTransaction base64 encoding returns the exact wire bytes', async () => {
    const tx = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: LAMPORTS_PER_SOL,
      }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);
    const response = (await rawRpc(
      chain.url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'getTransaction',
        params: [signature, { encoding: 'base64', maxSupportedTransactionVersion: 0 }],
      }),
    )) as { result: { transaction: [string, string]; meta: { fee: number }; version: string } };
    expect(response.result.transaction).toEqual([tx.serialize().toString('base64'), 'base64']);
    expect(response.result.meta.fee).toBe(5000);
    expect(response.result.version).toBe('legacy');
  });
});

describe('local chain blockhash expiry (fast slots)', () => {
  let chain: LocalChain;
  afterAll(async () => {
    await chain?.close();
  });

  test('a blockhash older than 150 slots is invalid and a transaction using it is rejected', async () => {
    chain = await startLocalChain({ port: 0, slotMs: 5 });
    const connection = new Connection(chain.url, 'confirmed');
    const payer = Keypair.generate();
    chain.airdrop(payer.publicKey.toBase58(), LAMPORTS_PER_SOL);
    const old = await connection.getLatestBlockhash();
    // valid for 150 blocks from the slot it was produced in
    expect(old.lastValidBlockHeight - 150).toBeLessThanOrEqual(await connection.getBlockHeight());
    expect(await connection.isBlockhashValid(old.blockhash)).toMatchObject({ value: true });

    await eventually(
      async () => ((await connection.getBlockHeight()) > old.lastValidBlockHeight ? true : undefined),
      'blockhash expiry',
    );
    expect((await connection.isBlockhashValid(old.blockhash)).value).toBe(false);

    const tx = new Transaction({ ...old, feePayer: payer.publicKey }).add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: LAMPORTS_PER_SOL / 2,
      }),
    );
    tx.sign(payer);
    await expect(connection.sendRawTransaction(tx.serialize())).rejects.toThrow(/Blockhash not found/);
    // without preflight it is accepted for forwarding but can never land, as on mainnet
    const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    expect(
      (await connection.getSignatureStatus(signature, { searchTransactionHistory: true })).value,
    ).toBeNull();
    expect(await connection.getBalance(payer.publicKey)).toBe(LAMPORTS_PER_SOL);
  });
});

describe('local chain persistence', () => {
  let dataDir: string;
  const chains: LocalChain[] = [];
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-chain-test-'));
  });
  afterAll(async () => {
    await Promise.all(chains.map((c) => c.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('restart with the same dataDir keeps balances, token state and transaction history', async () => {
    const first = await startLocalChain({ port: 0, dataDir });
    chains.push(first);
    let connection = new Connection(first.url, 'confirmed');
    const payer = await fundedKeypair(connection);
    const recipient = Keypair.generate().publicKey;
    const signature = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipient,
          lamports: LAMPORTS_PER_SOL,
        }),
      ),
      [payer],
    );
    const mint = await createMint(connection, payer, payer.publicKey, null, 2);
    const ata = await getOrCreateAssociatedTokenAccount(connection, payer, mint, recipient);
    await mintTo(connection, payer, mint, ata.address, payer, 1234n);
    const payerBalance = await connection.getBalance(payer.publicKey);
    const slotBefore = await connection.getSlot();
    const genesis = first.genesisHash;
    await first.close();

    const second = await startLocalChain({ port: 0, dataDir });
    chains.push(second);
    connection = new Connection(second.url, 'confirmed');
    expect(second.genesisHash).toBe(genesis);
    expect(await connection.getSlot()).toBeGreaterThan(slotBefore);
    expect(await connection.getBalance(recipient)).toBe(LAMPORTS_PER_SOL);
    expect(await connection.getBalance(payer.publicKey)).toBe(payerBalance);
    expect((await getAccount(connection, ata.address)).amount).toBe(1234n);
    const fetched = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: 'confirmed',
    });
    expect(fetched!.meta!.postBalances[1]).toBe(LAMPORTS_PER_SOL);
    expect(
      (await connection.getSignatureStatus(signature, { searchTransactionHistory: true })).value?.err,
    ).toBeNull();

    // and it keeps working
    await sendAndConfirmTransaction(
      connection,
      new Transaction().add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipient,
          lamports: LAMPORTS_PER_SOL,
        }),
      ),
      [payer],
    );
    expect(await connection.getBalance(recipient)).toBe(2 * LAMPORTS_PER_SOL);
  });
});
