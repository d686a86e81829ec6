/**
 * Development actions on a (local) chain, as a wallet would do them: mint NFTs, pay the
 * treasury, burn an NFT, transfer a pass. Used by the dev CLI (`npm run chain`) and
 * benchmarks; plain web3.js / spl-token instructions, nothing that verification trusts.
 */
import bs58 from 'bs58';
import {
  Keypair,
  SystemProgram,
  Transaction,
  type Connection,
  type PublicKey,
  type Signer,
} from '@solana/web3.js';
import {
  AuthorityType,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createBurnCheckedInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createSetAuthorityInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from './spl-token';
import { decimalsOf, type Currency } from '../domain/money';

/** Sends a legacy transaction (preflight on) and waits until it is confirmed (bounded). */
export async function sendAndConfirm(
  connection: Connection,
  tx: Transaction,
  signers: Signer[],
  timeoutMs = 60_000,
): Promise<string> {
  const latest = await connection.getLatestBlockhash('confirmed');
  tx.recentBlockhash = latest.blockhash;
  tx.lastValidBlockHeight = latest.lastValidBlockHeight;
  tx.feePayer ??= signers[0]?.publicKey;
  tx.sign(...signers);
  const signature = bs58.encode(tx.signature as Buffer);
  await connection.sendRawTransaction(tx.serialize(), { preflightCommitment: 'confirmed' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { value } = await connection.getSignatureStatuses([signature]);
    const status = value[0];
    if (status?.err) throw new Error(`transaction ${signature} failed: ${JSON.stringify(status.err)}`);
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized')
      return signature;
    if (Date.now() > deadline)
      throw new Error(`transaction ${signature} not confirmed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Mints `count` NFTs (decimals 0, supply 1, mint authority then removed) into `owner`'s
 * associated token accounts, `concurrency` transactions in flight. Returns the mints.
 */
export async function mintNfts(
  connection: Connection,
  payer: Keypair,
  owner: PublicKey,
  count: number,
  options: { concurrency?: number; onMinted?: (done: number) => void } = {},
): Promise<string[]> {
  const rent = await connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  const mints: string[] = new Array<string>(count);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      const mint = Keypair.generate();
      const account = getAssociatedTokenAddressSync(mint.publicKey, owner, true);
      const tx = new Transaction().add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          space: MINT_SIZE,
          lamports: rent,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeMint2Instruction(mint.publicKey, 0, payer.publicKey, null),
        createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, mint.publicKey),
        createMintToInstruction(mint.publicKey, account, payer.publicKey, 1n),
        createSetAuthorityInstruction(mint.publicKey, payer.publicKey, AuthorityType.MintTokens, null),
      );
      await sendAndConfirm(connection, tx, [payer, mint]);
      mints[index] = mint.publicKey.toBase58();
      done += 1;
      options.onMinted?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, count)) }, lane));
  return mints;
}

/** Pays `amountBaseUnits` of `currency` from `from` to `treasury` (USDC into the treasury's token account). */
export async function payTreasury(
  connection: Connection,
  from: Keypair,
  treasury: PublicKey,
  currency: Currency,
  amountBaseUnits: bigint,
  usdcMint: PublicKey,
): Promise<string> {
  const tx = new Transaction();
  if (currency === 'SOL') {
    tx.add(
      SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: treasury, lamports: amountBaseUnits }),
    );
  } else {
    const source = getAssociatedTokenAddressSync(usdcMint, from.publicKey, true);
    const destination = getAssociatedTokenAddressSync(usdcMint, treasury, true);
    tx.add(
      createAssociatedTokenAccountIdempotentInstruction(from.publicKey, destination, treasury, usdcMint),
      createTransferCheckedInstruction(
        source,
        usdcMint,
        destination,
        from.publicKey,
        amountBaseUnits,
        decimalsOf('USDC'),
      ),
    );
  }
  return sendAndConfirm(connection, tx, [from]);
}

/** Mints `amountBaseUnits` of the USDC-like mint (payer = mint authority) to `owner`'s token account, creating it. */
export async function mintUsdc(
  connection: Connection,
  payer: Keypair,
  usdcMint: PublicKey,
  owner: PublicKey,
  amountBaseUnits: bigint,
): Promise<string> {
  const account = getAssociatedTokenAddressSync(usdcMint, owner, true);
  const tx = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, usdcMint),
    createMintToInstruction(usdcMint, account, payer.publicKey, amountBaseUnits),
  );
  return sendAndConfirm(connection, tx, [payer]);
}

/** Burns `owner`'s NFT of `mint` (burnChecked of 1 from its associated token account). */
export async function burnNft(connection: Connection, owner: Keypair, mint: PublicKey): Promise<string> {
  const account = getAssociatedTokenAddressSync(mint, owner.publicKey, true);
  const tx = new Transaction().add(createBurnCheckedInstruction(account, mint, owner.publicKey, 1n, 0));
  return sendAndConfirm(connection, tx, [owner]);
}

/** Moves `from`'s NFT of `mint` to `to` (creating `to`'s token account). */
export async function transferNft(
  connection: Connection,
  from: Keypair,
  mint: PublicKey,
  to: PublicKey,
): Promise<string> {
  const source = getAssociatedTokenAddressSync(mint, from.publicKey, true);
  const destination = getAssociatedTokenAddressSync(mint, to, true);
  const tx = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(from.publicKey, destination, to, mint),
    createTransferCheckedInstruction(source, mint, destination, from.publicKey, 1n, 0),
  );
  return sendAndConfirm(connection, tx, [from]);
}
