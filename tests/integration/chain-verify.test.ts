/**
 * Payment and burn verification against real signed transactions on the local chain.
 */
import crypto from 'node:crypto';
import bs58 from 'bs58';
import {
  Keypair,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  PublicKey,
  type Connection,
} from '@solana/web3.js';
import {
  createApproveInstruction,
  createBurnCheckedInstruction,
  createBurnInstruction,
  createCloseAccountInstruction,
  TOKEN_PROGRAM_ID,
  createTransferCheckedInstruction,
  createTransferInstruction,
  createInitializeMintInstruction,
  createInitializeTransferFeeConfigInstruction,
  ExtensionType,
  getMintLen,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { connectRpc } from '../../src/chain/rpc';
import { verifyPayment, type ExpectedPayment } from '../../src/chain/verify-payment';
import { treasuryPaymentsOf } from '../../src/chain/treasury-payments';
import { verifyBurns } from '../../src/chain/verify-burns';
import { assertBurnableMints, markMintsBurned } from '../../src/db/lottery/tickets';
import { isDomainError } from '../../src/domain/errors';
import { NftMintSchema } from '../../src/db/entities';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestSystem, type TestSystem } from '../support/harness';
import { BPF_LOADER_2, cpiForwarderElf } from '../support/sbpf-cpi-burn';
import {
  SOL,
  chainFailure,
  fundedKeypair,
  lookupTable,
  newMint,
  newNft,
  sendLegacy,
  sendV0,
  tokenAccountWith,
  viaForwarder,
} from '../support/chain-fixtures';

const USDC = 1_000_000n;

describe('chain verification (local chain, real transactions)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let mintAuthority: Keypair;
  let wallet: Keypair;
  let treasury: PublicKey;
  let usdcMint: PublicKey;
  let walletUsdc: PublicKey;
  let treasuryUsdc: PublicKey;

  const expectSol = (minAmountBaseUnits: bigint, over: Partial<ExpectedPayment> = {}): ExpectedPayment => ({
    wallet: wallet.publicKey.toBase58(),
    currency: 'SOL',
    treasury: treasury.toBase58(),
    usdcMint: usdcMint.toBase58(),
    minAmountBaseUnits,
    ...over,
  });
  const expectUsdc = (minAmountBaseUnits: bigint, over: Partial<ExpectedPayment> = {}): ExpectedPayment => ({
    ...expectSol(minAmountBaseUnits),
    currency: 'USDC',
    ...over,
  });
  const solTransfer = (to: PublicKey, lamports: bigint, from = wallet) =>
    SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports });
  const usdcTransfer = (toAccount: PublicKey, amount: bigint, mint = usdcMint, fromAccount = walletUsdc) =>
    createTransferCheckedInstruction(fromAccount, mint, toAccount, wallet.publicKey, amount, 6);

  /** Our forwarder program (tests/support/sbpf-cpi-burn.ts): makes the burn an inner instruction. */
  const forwarder = Keypair.generate().publicKey;
  const innerBurn = (tokenAccount: PublicKey, mint: PublicKey, authority: PublicKey, checked: boolean) => {
    const data = Buffer.alloc(checked ? 10 : 9);
    data.writeUInt8(checked ? 15 : 8, 0);
    data.writeBigUInt64LE(1n, 1);
    if (checked) data.writeUInt8(0, 9);
    return new TransactionInstruction({
      programId: forwarder,
      keys: [
        { pubkey: TOKEN_PROGRAM_ID, isSigner: false, isWritable: false },
        { pubkey: tokenAccount, isSigner: false, isWritable: true },
        { pubkey: mint, isSigner: false, isWritable: true },
        { pubkey: authority, isSigner: true, isWritable: false },
      ],
      data,
    });
  };

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    chain.setAccount(forwarder.toBase58(), {
      lamports: 1_000_000_000n,
      data: cpiForwarderElf(),
      owner: BPF_LOADER_2,
      executable: true,
    });
    connection = connectRpc(chain.url);
    mintAuthority = fundedKeypair(chain, 100);
    wallet = fundedKeypair(chain, 100);
    treasury = Keypair.generate().publicKey;
    chain.airdrop(treasury.toBase58(), SOL); // an existing, rent-exempt treasury
    usdcMint = await newMint(connection, mintAuthority, 6);
    walletUsdc = await tokenAccountWith(connection, mintAuthority, usdcMint, wallet.publicKey, 1_000n * USDC);
    treasuryUsdc = await tokenAccountWith(connection, mintAuthority, usdcMint, treasury, 0n);
  });

  afterAll(async () => {
    await chain.close();
  });

  describe('verifyPayment', () => {
    test('SOL, legacy transaction: the treasury lamports that arrived, the signer and the slot', async () => {
      const signature = await sendLegacy(connection, [solTransfer(treasury, SOL / 2n)], [wallet]);
      const payment = await verifyPayment(connection, signature, expectSol(SOL / 2n));
      expect(payment).toMatchObject({
        signature,
        payer: wallet.publicKey.toBase58(),
        feePayer: wallet.publicKey.toBase58(),
        currency: 'SOL',
        amountBaseUnits: SOL / 2n,
        version: 'legacy',
      });
      const landed = await connection.getTransaction(signature, {
        maxSupportedTransactionVersion: 0,
        commitment: 'confirmed',
      });
      expect(payment.slot).toBe(landed!.slot);
      expect(payment.blockTime).toBe(landed!.blockTime);
    });

    test('SOL, version-0 transaction whose treasury key comes from a lookup table', async () => {
      const table = await lookupTable(chain, connection, wallet, [treasury]);
      const signature = await sendV0(connection, wallet, [solTransfer(treasury, 3n * SOL)], [table]);
      const landed = await connection.getTransaction(signature, {
        maxSupportedTransactionVersion: 0,
        commitment: 'confirmed',
      });
      // the treasury really is loaded from the table, not a static key
      expect(landed!.meta!.loadedAddresses!.writable.map((k) => k.toBase58())).toEqual([treasury.toBase58()]);
      const payment = await verifyPayment(connection, signature, expectSol(3n * SOL));
      expect(payment).toMatchObject({
        amountBaseUnits: 3n * SOL,
        version: 0,
        payer: wallet.publicKey.toBase58(),
      });
    });

    test('USDC, legacy: the raw balance of the treasury-owned account of the configured mint', async () => {
      const signature = await sendLegacy(connection, [usdcTransfer(treasuryUsdc, 2_500_000n)], [wallet]);
      const payment = await verifyPayment(connection, signature, expectUsdc(2_500_000n));
      expect(payment).toMatchObject({ currency: 'USDC', amountBaseUnits: 2_500_000n, version: 'legacy' });
    });

    test('USDC, version-0 with the treasury token account and mint from a lookup table', async () => {
      const table = await lookupTable(chain, connection, wallet, [treasuryUsdc, usdcMint]);
      const signature = await sendV0(connection, wallet, [usdcTransfer(treasuryUsdc, 7n * USDC)], [table]);
      const payment = await verifyPayment(connection, signature, expectUsdc(7n * USDC));
      expect(payment).toMatchObject({ currency: 'USDC', amountBaseUnits: 7n * USDC, version: 0 });
    });

    test('more than the minimum is reported exactly (the caller decides about the excess)', async () => {
      const signature = await sendLegacy(connection, [solTransfer(treasury, SOL + 1n)], [wallet]);
      expect((await verifyPayment(connection, signature, expectSol(SOL))).amountBaseUnits).toBe(SOL + 1n);
    });

    test('underpaid: PaymentTooSmall with the chain figure and the required one', async () => {
      const sol = await sendLegacy(connection, [solTransfer(treasury, SOL / 10n)], [wallet]);
      const error = await chainFailure(
        verifyPayment(connection, sol, expectSol(SOL / 2n)),
        'PaymentTooSmall',
      );
      expect(error.message).toContain('0.1 SOL (100000000 base units)');
      expect(error.message).toContain('0.5 SOL (500000000 base units)');
      expect(error.transient).toBe(false);
      expect(error.details).toMatchObject({ receivedBaseUnits: '100000000', requiredBaseUnits: '500000000' });

      const usdc = await sendLegacy(connection, [usdcTransfer(treasuryUsdc, 999_999n)], [wallet]);
      const usdcError = await chainFailure(
        verifyPayment(connection, usdc, expectUsdc(USDC)),
        'PaymentTooSmall',
      );
      expect(usdcError.message).toContain('0.999999 USDC (999999 base units)');
    });

    test('paid to another wallet: WrongRecipient', async () => {
      const other = Keypair.generate().publicKey;
      const signature = await sendLegacy(connection, [solTransfer(other, SOL)], [wallet]);
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(SOL)),
        'WrongRecipient',
      );
      expect(error.message).toContain(treasury.toBase58());
    });

    test('treasury present but paying out, not receiving: WrongRecipient with its balances', async () => {
      // the treasury only appears as a read-only account of a memo-less transfer elsewhere
      const other = Keypair.generate().publicKey;
      const ix = solTransfer(other, SOL);
      ix.keys.push({ pubkey: treasury, isSigner: false, isWritable: false });
      const signature = await sendLegacy(connection, [ix], [wallet]);
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(SOL)),
        'WrongRecipient',
      );
      expect(error.message).toMatch(/balance went from \d+ to \d+ lamports/);
    });

    test('fake mint with the same decimals sent to a treasury-owned account: WrongMint', async () => {
      const fakeMint = await newMint(connection, wallet, 6);
      const walletFake = await tokenAccountWith(connection, wallet, fakeMint, wallet.publicKey, 100n * USDC);
      const treasuryFake = await tokenAccountWith(connection, wallet, fakeMint, treasury, 0n);
      const signature = await sendLegacy(
        connection,
        [usdcTransfer(treasuryFake, 10n * USDC, fakeMint, walletFake)],
        [wallet],
      );
      const error = await chainFailure(
        verifyPayment(connection, signature, expectUsdc(10n * USDC)),
        'WrongMint',
      );
      expect(error.message).toContain(fakeMint.toBase58());
      expect(error.message).toContain(usdcMint.toBase58());
    });

    test('USDC to a token account owned by someone else: WrongRecipient naming the owner', async () => {
      const attacker = Keypair.generate().publicKey;
      const attackerUsdc = await tokenAccountWith(connection, mintAuthority, usdcMint, attacker, 0n);
      const signature = await sendLegacy(connection, [usdcTransfer(attackerUsdc, 5n * USDC)], [wallet]);
      const error = await chainFailure(
        verifyPayment(connection, signature, expectUsdc(5n * USDC)),
        'WrongRecipient',
      );
      expect(error.message).toContain(attacker.toBase58());
      expect(error.message).toContain(attackerUsdc.toBase58());
    });

    test('a SOL payment checked as USDC (and vice versa): PaymentMethodMismatch with the chain’s figure', async () => {
      const sol = await sendLegacy(connection, [solTransfer(treasury, SOL)], [wallet]);
      const asUsdc = await chainFailure(
        verifyPayment(connection, sol, expectUsdc(1n)),
        'PaymentMethodMismatch',
      );
      expect(asUsdc.transient).toBe(false);
      expect(asUsdc.message).toContain('paid the treasury 1 SOL (1000000000 base units), not USDC');
      expect(asUsdc.details).toMatchObject({
        wallet: wallet.publicKey.toBase58(),
        submittedCurrency: 'USDC',
        chainCurrency: 'SOL',
        chainAmountBaseUnits: SOL.toString(),
      });
      const usdc = await sendLegacy(connection, [usdcTransfer(treasuryUsdc, USDC)], [wallet]);
      const asSol = await chainFailure(
        verifyPayment(connection, usdc, expectSol(1n)),
        'PaymentMethodMismatch',
      );
      expect(asSol.details).toMatchObject({
        submittedCurrency: 'SOL',
        chainCurrency: 'USDC',
        chainAmountBaseUnits: USDC.toString(),
      });
    });

    test('failed transaction (landed with an error, fee charged): TransactionFailed', async () => {
      const poor = fundedKeypair(chain, 1);
      const latest = await connection.getLatestBlockhash('confirmed');
      const tx = new Transaction({ ...latest, feePayer: poor.publicKey }).add(
        solTransfer(treasury, 5n * SOL, poor),
      );
      tx.sign(poor);
      const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
      await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(SOL, { wallet: poor.publicKey.toBase58() })),
        'TransactionFailed',
      );
      expect(error.message).toContain('InstructionError');
      expect(error.transient).toBe(false);
    });

    test('submitted by a wallet that did not pay: NotPaidByWallet naming who paid, what and how much', async () => {
      const signature = await sendLegacy(connection, [solTransfer(treasury, SOL)], [wallet]);
      const claimant = Keypair.generate().publicKey.toBase58();
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(SOL, { wallet: claimant })),
        'NotPaidByWallet',
      );
      expect(error.transient).toBe(false);
      expect(error.message).toContain(`not paid by ${claimant}`);
      expect(error.message).toContain(`${wallet.publicKey.toBase58()} paid 1 SOL (1000000000 base units)`);
      expect(error.details).toMatchObject({
        wallet: claimant,
        payers: [wallet.publicKey.toBase58()],
        paidBy: { SOL: { [wallet.publicKey.toBase58()]: SOL.toString() }, USDC: {} },
      });
    });

    test('unknown signature: NotFoundYet, transient', async () => {
      const unknown = bs58.encode(crypto.randomBytes(64));
      const error = await chainFailure(verifyPayment(connection, unknown, expectSol(SOL)), 'NotFoundYet');
      expect(error.transient).toBe(true);
    });

    test('malformed signature or wallet: permanent, naming the field', async () => {
      await chainFailure(verifyPayment(connection, 'not-a-signature', expectSol(SOL)), 'InvalidSignature');
      const error = await chainFailure(
        verifyPayment(connection, bs58.encode(crypto.randomBytes(64)), expectSol(SOL, { wallet: 'nope' })),
        'InvalidAddress',
      );
      expect(error.message).toContain('wallet');
    });
  });

  describe('attribution: the wallet whose own funds moved to the treasury', () => {
    test('co-signed SOL payment, fee payer Q ≠ payer P: P is credited, Q gets NotPaidByWallet naming P', async () => {
      const p = fundedKeypair(chain, 5);
      const q = fundedKeypair(chain, 5);
      const signature = await sendLegacy(connection, [solTransfer(treasury, 2n * SOL, p)], [q, p]);
      const paid = await verifyPayment(
        connection,
        signature,
        expectSol(2n * SOL, { wallet: p.publicKey.toBase58() }),
      );
      expect(paid).toMatchObject({
        payer: p.publicKey.toBase58(),
        feePayer: q.publicKey.toBase58(),
        signers: [q.publicKey.toBase58(), p.publicKey.toBase58()],
        amountBaseUnits: 2n * SOL,
        paidBy: { SOL: { [p.publicKey.toBase58()]: (2n * SOL).toString() }, USDC: {} },
      });
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(1n, { wallet: q.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
      expect(error.message).toContain(`${p.publicKey.toBase58()} paid 2 SOL (2000000000 base units)`);
      expect(error.details).toMatchObject({
        wallet: q.publicKey.toBase58(),
        payers: [p.publicKey.toBase58()],
      });
    });

    test('two payers in one transaction: each is credited its own part, to the lamport', async () => {
      const a = fundedKeypair(chain, 5);
      const b = fundedKeypair(chain, 5);
      const signature = await sendLegacy(
        connection,
        [solTransfer(treasury, SOL + 7n, a), solTransfer(treasury, 3n, b), solTransfer(treasury, 5n, a)],
        [a, b],
      );
      const forA = await verifyPayment(
        connection,
        signature,
        expectSol(1n, { wallet: a.publicKey.toBase58() }),
      );
      const forB = await verifyPayment(
        connection,
        signature,
        expectSol(1n, { wallet: b.publicKey.toBase58() }),
      );
      expect(forA.amountBaseUnits).toBe(SOL + 12n);
      expect(forB.amountBaseUnits).toBe(3n);
      const all = { [a.publicKey.toBase58()]: (SOL + 12n).toString(), [b.publicKey.toBase58()]: '3' };
      expect(forA.paidBy).toEqual({ SOL: all, USDC: {} });
      expect(forB.paidBy).toEqual(forA.paidBy);
      await chainFailure(
        verifyPayment(connection, signature, expectSol(4n, { wallet: b.publicKey.toBase58() })),
        'PaymentTooSmall',
      );

      const facts = await treasuryPaymentsOf(connection, signature, {
        treasury: treasury.toBase58(),
        usdcMint: usdcMint.toBase58(),
      });
      expect(facts.transfers.map((t) => [t.payer, t.amountBaseUnits, t.kind, t.outerIndex])).toEqual([
        [a.publicKey.toBase58(), SOL + 7n, 'transfer', 0],
        [b.publicKey.toBase58(), 3n, 'transfer', 1],
        [a.publicKey.toBase58(), 5n, 'transfer', 2],
      ]);
      expect(facts.totals.SOL).toEqual(
        new Map([
          [a.publicKey.toBase58(), SOL + 12n],
          [b.publicKey.toBase58(), 3n],
        ]),
      );
      expect(facts.feePayer).toBe(a.publicKey.toBase58());
    });

    test('transferWithSeed: credited to the seed-derived account whose lamports moved, not to its base', async () => {
      const base = fundedKeypair(chain, 5);
      const seed = 'tickets';
      const derived = await PublicKey.createWithSeed(base.publicKey, seed, SystemProgram.programId);
      const signature = await sendLegacy(
        connection,
        [
          SystemProgram.createAccountWithSeed({
            fromPubkey: base.publicKey,
            newAccountPubkey: derived,
            basePubkey: base.publicKey,
            seed,
            lamports: Number(2n * SOL),
            space: 0,
            programId: SystemProgram.programId,
          }),
          SystemProgram.transfer({
            fromPubkey: derived,
            basePubkey: base.publicKey,
            toPubkey: treasury,
            lamports: SOL,
            seed,
            programId: SystemProgram.programId,
          }),
        ],
        [base],
      );
      const paid = await verifyPayment(connection, signature, expectSol(SOL, { wallet: derived.toBase58() }));
      expect(paid.paidBy).toEqual({ SOL: { [derived.toBase58()]: SOL.toString() }, USDC: {} });
      await chainFailure(
        verifyPayment(connection, signature, expectSol(1n, { wallet: base.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
      const facts = await treasuryPaymentsOf(connection, signature, {
        treasury: treasury.toBase58(),
        usdcMint: usdcMint.toBase58(),
      });
      expect(facts.transfers).toMatchObject([
        { kind: 'transferWithSeed', source: derived.toBase58(), authority: base.publicKey.toBase58() },
      ]);
    });

    test('USDC paid by the owner with another fee payer: the owner is credited, the fee payer is not', async () => {
      const owner = fundedKeypair(chain, 1);
      const q = fundedKeypair(chain, 1);
      const ownerUsdc = await tokenAccountWith(
        connection,
        mintAuthority,
        usdcMint,
        owner.publicKey,
        10n * USDC,
      );
      const signature = await sendLegacy(
        connection,
        [createTransferCheckedInstruction(ownerUsdc, usdcMint, treasuryUsdc, owner.publicKey, 4n * USDC, 6)],
        [q, owner],
      );
      const paid = await verifyPayment(
        connection,
        signature,
        expectUsdc(4n * USDC, { wallet: owner.publicKey.toBase58() }),
      );
      expect(paid).toMatchObject({
        payer: owner.publicKey.toBase58(),
        feePayer: q.publicKey.toBase58(),
        amountBaseUnits: 4n * USDC,
        paidBy: { SOL: {}, USDC: { [owner.publicKey.toBase58()]: (4n * USDC).toString() } },
      });
      const error = await chainFailure(
        verifyPayment(connection, signature, expectUsdc(1n, { wallet: q.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
      expect(error.message).toContain(`${owner.publicKey.toBase58()} paid 4 USDC (4000000 base units)`);
    });

    test('USDC spent by a delegate: credited to the owner (who never signed); the delegate gets NotPaidByWallet', async () => {
      const owner = fundedKeypair(chain, 1);
      const delegate = fundedKeypair(chain, 1);
      const ownerUsdc = await tokenAccountWith(
        connection,
        mintAuthority,
        usdcMint,
        owner.publicKey,
        10n * USDC,
      );
      await sendLegacy(
        connection,
        [createApproveInstruction(ownerUsdc, delegate.publicKey, owner.publicKey, 6n * USDC)],
        [owner],
      );
      const signature = await sendLegacy(
        connection,
        [
          createTransferCheckedInstruction(
            ownerUsdc,
            usdcMint,
            treasuryUsdc,
            delegate.publicKey,
            6n * USDC,
            6,
          ),
        ],
        [delegate],
      );
      const paid = await verifyPayment(
        connection,
        signature,
        expectUsdc(6n * USDC, { wallet: owner.publicKey.toBase58() }),
      );
      expect(paid).toMatchObject({
        payer: owner.publicKey.toBase58(),
        feePayer: delegate.publicKey.toBase58(),
        signers: [delegate.publicKey.toBase58()],
        amountBaseUnits: 6n * USDC,
      });
      const error = await chainFailure(
        verifyPayment(connection, signature, expectUsdc(1n, { wallet: delegate.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
      expect(error.message).toContain(`not paid by ${delegate.publicKey.toBase58()}`);
      expect(error.details).toMatchObject({
        payers: [owner.publicKey.toBase58()],
        paidBy: { USDC: { [owner.publicKey.toBase58()]: (6n * USDC).toString() } },
      });
      const facts = await treasuryPaymentsOf(connection, signature, {
        treasury: treasury.toBase58(),
        usdcMint: usdcMint.toBase58(),
      });
      expect(facts.transfers).toMatchObject([
        {
          currency: 'USDC',
          payer: owner.publicKey.toBase58(),
          authority: delegate.publicKey.toBase58(),
          source: ownerUsdc.toBase58(),
          destination: treasuryUsdc.toBase58(),
          kind: 'transferChecked',
        },
      ]);
    });

    test('SOL and USDC by different payers in one transaction: each currency attributed on its own', async () => {
      const solPayer = fundedKeypair(chain, 5);
      const usdcPayer = fundedKeypair(chain, 1);
      const usdcPayerAccount = await tokenAccountWith(
        connection,
        mintAuthority,
        usdcMint,
        usdcPayer.publicKey,
        5n * USDC,
      );
      const signature = await sendLegacy(
        connection,
        [
          solTransfer(treasury, SOL, solPayer),
          createTransferInstruction(usdcPayerAccount, treasuryUsdc, usdcPayer.publicKey, 3n * USDC),
        ],
        [solPayer, usdcPayer],
      );
      const usdc = await verifyPayment(
        connection,
        signature,
        expectUsdc(3n * USDC, { wallet: usdcPayer.publicKey.toBase58() }),
      );
      expect(usdc.paidBy).toEqual({
        SOL: { [solPayer.publicKey.toBase58()]: SOL.toString() },
        USDC: { [usdcPayer.publicKey.toBase58()]: (3n * USDC).toString() },
      });
      // the SOL payer submitting it as USDC paid the other currency: a mismatch, not "not paid"
      await chainFailure(
        verifyPayment(connection, signature, expectUsdc(1n, { wallet: solPayer.publicKey.toBase58() })),
        'PaymentMethodMismatch',
      );
    });

    test('inner (CPI) transfers into the treasury are credited: System transfer and token transfer', async () => {
      const p = fundedKeypair(chain, 5);
      const pUsdc = await tokenAccountWith(connection, mintAuthority, usdcMint, p.publicKey, 5n * USDC);
      const signature = await sendLegacy(
        connection,
        [
          viaForwarder(forwarder, solTransfer(treasury, SOL / 4n, p)),
          viaForwarder(forwarder, createTransferInstruction(pUsdc, treasuryUsdc, p.publicKey, 2n * USDC)),
        ],
        [p],
      );
      const landed = await connection.getTransaction(signature, {
        maxSupportedTransactionVersion: 0,
        commitment: 'confirmed',
      });
      // both really are CPIs: no top-level System or Token instruction
      expect(landed!.meta!.innerInstructions!.map((set) => set.index)).toEqual([0, 1]);
      expect(landed!.meta!.logMessages).toContain(`Program ${SystemProgram.programId.toBase58()} invoke [2]`);

      const sol = await verifyPayment(
        connection,
        signature,
        expectSol(SOL / 4n, { wallet: p.publicKey.toBase58() }),
      );
      expect(sol.amountBaseUnits).toBe(SOL / 4n);
      const usdc = await verifyPayment(
        connection,
        signature,
        expectUsdc(2n * USDC, { wallet: p.publicKey.toBase58() }),
      );
      expect(usdc.amountBaseUnits).toBe(2n * USDC);
      const facts = await treasuryPaymentsOf(connection, signature, {
        treasury: treasury.toBase58(),
        usdcMint: usdcMint.toBase58(),
      });
      expect(facts.transfers.map((t) => [t.currency, t.inner, t.outerIndex])).toEqual([
        ['SOL', true, 0],
        ['USDC', true, 1],
      ]);
    });

    test('version-0 co-signed payment with the treasury from a lookup table: the payer, not the fee payer', async () => {
      const p = fundedKeypair(chain, 5);
      const q = fundedKeypair(chain, 5);
      const table = await lookupTable(chain, connection, q, [treasury]);
      const signature = await sendV0(connection, q, [solTransfer(treasury, SOL, p)], [table], [p]);
      const paid = await verifyPayment(
        connection,
        signature,
        expectSol(SOL, { wallet: p.publicKey.toBase58() }),
      );
      expect(paid).toMatchObject({ version: 0, feePayer: q.publicKey.toBase58(), amountBaseUnits: SOL });
      await chainFailure(
        verifyPayment(connection, signature, expectSol(1n, { wallet: q.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
    });

    test('Token-2022 mint: transferChecked credited; a transfer fee withheld from the treasury is refused, not credited', async () => {
      const newToken2022Mint = async (feeBasisPoints: number | null): Promise<PublicKey> => {
        const mint = Keypair.generate();
        const extensions = feeBasisPoints === null ? [] : [ExtensionType.TransferFeeConfig];
        const space = getMintLen(extensions);
        const authority = mintAuthority.publicKey;
        await sendLegacy(
          connection,
          [
            SystemProgram.createAccount({
              fromPubkey: authority,
              newAccountPubkey: mint.publicKey,
              space,
              lamports: await connection.getMinimumBalanceForRentExemption(space),
              programId: TOKEN_2022_PROGRAM_ID,
            }),
            ...(feeBasisPoints === null
              ? []
              : [
                  createInitializeTransferFeeConfigInstruction(
                    mint.publicKey,
                    authority,
                    authority,
                    feeBasisPoints,
                    1_000_000n,
                    TOKEN_2022_PROGRAM_ID,
                  ),
                ]),
            createInitializeMintInstruction(mint.publicKey, 6, authority, null, TOKEN_2022_PROGRAM_ID),
          ],
          [mintAuthority, mint],
        );
        return mint.publicKey;
      };
      const accountOf = async (mint: PublicKey, owner: PublicKey, amount: bigint) => {
        const account = await getOrCreateAssociatedTokenAccount(
          connection,
          mintAuthority,
          mint,
          owner,
          true,
          'confirmed',
          undefined,
          TOKEN_2022_PROGRAM_ID,
        );
        if (amount > 0n) {
          await mintTo(
            connection,
            mintAuthority,
            mint,
            account.address,
            mintAuthority,
            amount,
            [],
            undefined,
            TOKEN_2022_PROGRAM_ID,
          );
        }
        return account.address;
      };
      const p = fundedKeypair(chain, 1);
      for (const [fee, outcome] of [
        [null, 'credited'],
        [100, 'refused'],
      ] as const) {
        const mint = await newToken2022Mint(fee);
        const from = await accountOf(mint, p.publicKey, 10n * USDC);
        const to = await accountOf(mint, treasury, 0n);
        const signature = await sendLegacy(
          connection,
          [
            createTransferCheckedInstruction(
              from,
              mint,
              to,
              p.publicKey,
              5n * USDC,
              6,
              [],
              TOKEN_2022_PROGRAM_ID,
            ),
          ],
          [p],
        );
        const expected = expectUsdc(1n, { wallet: p.publicKey.toBase58(), usdcMint: mint.toBase58() });
        if (outcome === 'credited') {
          expect((await verifyPayment(connection, signature, expected)).amountBaseUnits).toBe(5n * USDC);
        } else {
          // 1% withheld: the treasury's account rose by 4.95 USDC, the instruction says 5
          const error = await chainFailure(
            verifyPayment(connection, signature, expected),
            'UnverifiableAmount',
          );
          expect(error.details).toMatchObject({
            transferredInBaseUnits: '5000000',
            riseBaseUnits: '4950000',
          });
        }
      }
    });

    test('lamports that reach the treasury without a wallet’s System transfer are nobody’s payment', async () => {
      // closing a token account sends its rent to the treasury: not a payment by anyone
      const p = fundedKeypair(chain, 1);
      const empty = await tokenAccountWith(connection, mintAuthority, usdcMint, p.publicKey, 0n);
      const signature = await sendLegacy(
        connection,
        [createCloseAccountInstruction(empty, treasury, p.publicKey)],
        [p],
      );
      const error = await chainFailure(
        verifyPayment(connection, signature, expectSol(1n, { wallet: p.publicKey.toBase58() })),
        'NotPaidByWallet',
      );
      expect(error.message).toContain('not by a System transfer from any wallet');
      expect(error.details).toMatchObject({ payers: [] });
    });
  });

  describe('verifyBurns', () => {
    test('burn of amount 1 by the owner: the mint, its token account and owner', async () => {
      const { mint, tokenAccount } = await newNft(connection, mintAuthority, wallet.publicKey);
      const signature = await sendLegacy(
        connection,
        [createBurnInstruction(tokenAccount, mint, wallet.publicKey, 1n)],
        [wallet],
      );
      const result = await verifyBurns(connection, signature, wallet.publicKey.toBase58());
      expect(result.mints).toEqual([mint.toBase58()]);
      expect(result.burns).toEqual([
        {
          mint: mint.toBase58(),
          tokenAccount: tokenAccount.toBase58(),
          owner: wallet.publicKey.toBase58(),
          kind: 'burn',
          inner: false,
        },
      ]);
      expect(result.slot).toBeGreaterThan(0);
    });

    test('burnChecked, several NFTs in one transaction', async () => {
      const a = await newNft(connection, mintAuthority, wallet.publicKey);
      const b = await newNft(connection, mintAuthority, wallet.publicKey);
      const signature = await sendLegacy(
        connection,
        [
          createBurnCheckedInstruction(a.tokenAccount, a.mint, wallet.publicKey, 1n, 0),
          createBurnCheckedInstruction(b.tokenAccount, b.mint, wallet.publicKey, 1n, 0),
        ],
        [wallet],
      );
      const result = await verifyBurns(connection, signature, wallet.publicKey.toBase58());
      expect(result.mints).toEqual([a.mint.toBase58(), b.mint.toBase58()]);
      expect(result.burns.map((x) => x.kind)).toEqual(['burnChecked', 'burnChecked']);
    });

    test('burn in a version-0 transaction with the accounts from a lookup table', async () => {
      const nft = await newNft(connection, mintAuthority, wallet.publicKey);
      const table = await lookupTable(chain, connection, wallet, [nft.tokenAccount, nft.mint]);
      const signature = await sendV0(
        connection,
        wallet,
        [createBurnCheckedInstruction(nft.tokenAccount, nft.mint, wallet.publicKey, 1n, 0)],
        [table],
      );
      const result = await verifyBurns(connection, signature, wallet.publicKey.toBase58());
      expect(result.mints).toEqual([nft.mint.toBase58()]);
    });

    test('burn and burnChecked as inner instructions, invoked by another program (as inside a Metaplex burn)', async () => {
      const a = await newNft(connection, mintAuthority, wallet.publicKey);
      const b = await newNft(connection, mintAuthority, wallet.publicKey);
      const signature = await sendLegacy(
        connection,
        [
          innerBurn(a.tokenAccount, a.mint, wallet.publicKey, false),
          innerBurn(b.tokenAccount, b.mint, wallet.publicKey, true),
        ],
        [wallet],
      );
      const landed = await connection.getTransaction(signature, {
        maxSupportedTransactionVersion: 0,
        commitment: 'confirmed',
      });
      // the burns really are CPIs: no top-level token instruction, two inner ones
      expect(landed!.meta!.innerInstructions!.map((set) => set.index)).toEqual([0, 1]);
      expect(landed!.meta!.logMessages).toContain(`Program ${TOKEN_PROGRAM_ID.toBase58()} invoke [2]`);
      const result = await verifyBurns(connection, signature, wallet.publicKey.toBase58());
      expect(result.burns).toEqual([
        {
          mint: a.mint.toBase58(),
          tokenAccount: a.tokenAccount.toBase58(),
          owner: wallet.publicKey.toBase58(),
          kind: 'burn',
          inner: true,
        },
        {
          mint: b.mint.toBase58(),
          tokenAccount: b.tokenAccount.toBase58(),
          owner: wallet.publicKey.toBase58(),
          kind: 'burnChecked',
          inner: true,
        },
      ]);
    });

    test('inner burn authorised by another signer: WrongBurnAuthority', async () => {
      const owner = fundedKeypair(chain, 1);
      const nft = await newNft(connection, mintAuthority, owner.publicKey);
      const signature = await sendLegacy(
        connection,
        [innerBurn(nft.tokenAccount, nft.mint, owner.publicKey, true)],
        [wallet, owner],
      );
      const error = await chainFailure(
        verifyBurns(connection, signature, wallet.publicKey.toBase58()),
        'WrongBurnAuthority',
      );
      expect(error.message).toMatch(/^inner burnChecked/);
    });

    test('burn authorised by another signer than the claiming wallet: WrongBurnAuthority', async () => {
      const owner = fundedKeypair(chain, 1);
      const nft = await newNft(connection, mintAuthority, owner.publicKey);
      // the claimant pays the fee and signs, but the burn's authority is the owner
      const signature = await sendLegacy(
        connection,
        [createBurnInstruction(nft.tokenAccount, nft.mint, owner.publicKey, 1n)],
        [wallet, owner],
      );
      const error = await chainFailure(
        verifyBurns(connection, signature, wallet.publicKey.toBase58()),
        'WrongBurnAuthority',
      );
      expect(error.message).toContain(owner.publicKey.toBase58());
      // the owner, who did authorise it, is fine
      const result = await verifyBurns(connection, signature, owner.publicKey.toBase58());
      expect(result.mints).toEqual([nft.mint.toBase58()]);
    });

    test('burn by a delegate of someone else’s NFT: WrongBurnAuthority (not the owner)', async () => {
      const owner = fundedKeypair(chain, 1);
      const delegate = fundedKeypair(chain, 1);
      const nft = await newNft(connection, mintAuthority, owner.publicKey);
      await sendLegacy(
        connection,
        [createApproveInstruction(nft.tokenAccount, delegate.publicKey, owner.publicKey, 1n)],
        [owner],
      );
      const signature = await sendLegacy(
        connection,
        [createBurnInstruction(nft.tokenAccount, nft.mint, delegate.publicKey, 1n)],
        [delegate],
      );
      const error = await chainFailure(
        verifyBurns(connection, signature, delegate.publicKey.toBase58()),
        'WrongBurnAuthority',
      );
      expect(error.message).toContain(`owned by ${owner.publicKey.toBase58()}`);
      await chainFailure(verifyBurns(connection, signature, owner.publicKey.toBase58()), 'NotSignedByWallet');
    });

    test('burn of an amount other than 1: BurnAmountNotOne; no burn at all: NoBurn', async () => {
      const fungible = await newMint(connection, mintAuthority, 0);
      const account = await tokenAccountWith(connection, mintAuthority, fungible, wallet.publicKey, 5n);
      const signature = await sendLegacy(
        connection,
        [createBurnInstruction(account, fungible, wallet.publicKey, 2n)],
        [wallet],
      );
      await chainFailure(verifyBurns(connection, signature, wallet.publicKey.toBase58()), 'BurnAmountNotOne');

      const transfer = await sendLegacy(connection, [solTransfer(treasury, 1000n)], [wallet]);
      await chainFailure(verifyBurns(connection, transfer, wallet.publicKey.toBase58()), 'NoBurn');
    });

    test('failed burn transaction: TransactionFailed; unknown signature: NotFoundYet', async () => {
      const nft = await newNft(connection, mintAuthority, wallet.publicKey);
      const latest = await connection.getLatestBlockhash('confirmed');
      const tx = new Transaction({ ...latest, feePayer: wallet.publicKey }).add(
        createBurnInstruction(nft.tokenAccount, nft.mint, wallet.publicKey, 2n), // more than it holds
      );
      tx.sign(wallet);
      const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
      await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
      await chainFailure(
        verifyBurns(connection, signature, wallet.publicKey.toBase58()),
        'TransactionFailed',
      );
      await chainFailure(
        verifyBurns(connection, bs58.encode(crypto.randomBytes(64)), wallet.publicKey.toBase58()),
        'NotFoundYet',
      );
    });
  });

  // src/chain returns the burns it saw; whether a mint may earn tickets is src/db's answer.
  describe('burned mints against nft_mints (PostgreSQL, src/db/lottery/tickets)', () => {
    /** The DomainError `code` that `promise` must fail with. */
    async function refused(promise: Promise<unknown>, code: string) {
      const error = await promise.then(
        () => {
          throw new Error(`expected ${code}, but the call succeeded`);
        },
        (e: unknown) => e,
      );
      if (!isDomainError(error)) throw error;
      expect(error.code).toBe(code);
    }

    let system: TestSystem;
    let em: EntityManager;
    const listed = Keypair.generate().publicKey.toBase58();
    const pass = Keypair.generate().publicKey.toBase58();
    const unlisted = Keypair.generate().publicKey.toBase58();
    const sigA = bs58.encode(crypto.randomBytes(64));
    const sigB = bs58.encode(crypto.randomBytes(64));

    beforeAll(async () => {
      system = await startTestSystem({ RPC_URL: chain.url });
      em = system.resources.orm.em.fork() as EntityManager;
      await em.insertMany(NftMintSchema, [
        { mintAddress: listed, collection: 'stoned-rabbits' },
        { mintAddress: pass, collection: 'revenue-pass' },
      ]);
    });
    afterAll(async () => {
      await system.close();
    });

    test('outside the collection: NotInCollection (unlisted, or a Revenue Pass)', async () => {
      await refused(assertBurnableMints(em, [unlisted], sigA), 'NotInCollection');
      await refused(assertBurnableMints(em, [pass], sigA), 'NotInCollection');
      await assertBurnableMints(em, [listed], sigA);
    });

    test('marked once: the same signature again is fine, another one is AlreadyUsed; races have one winner', async () => {
      const fresh = Keypair.generate().publicKey.toBase58();
      await em.insert(NftMintSchema, { mintAddress: fresh, collection: 'stoned-rabbits' });
      const orm = system.resources.orm;
      const claim = (signature: string) =>
        orm.em
          .fork()
          .transactional((tx) =>
            markMintsBurned(tx as EntityManager, { mints: [listed, fresh], signature, wallet: listed }),
          );
      const outcomes = await Promise.allSettled([claim(sigA), claim(sigB)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'AlreadyUsed' });
      const winner = outcomes[0]!.status === 'fulfilled' ? sigA : sigB;
      await claim(winner); // idempotent for the winner
      const rows = await orm.em.fork().find(NftMintSchema, { mintAddress: { $in: [listed, fresh] } });
      expect(rows.map((r) => r.burnedSignature)).toEqual([winner, winner]);
    });
  });
});
