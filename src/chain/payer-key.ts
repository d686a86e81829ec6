/**
 * Key files in solana-keygen's format (a JSON array of the 64 secret-key bytes) and the
 * payout signer built from one. The secret stays in a private field: `PayerKey` serialises,
 * logs and inspects as its public key only, and errors about a key file name the file,
 * never its content (Node's JSON.parse quotes the text it failed on, so its message is
 * replaced).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { Keypair, type PublicKey, type Transaction, type VersionedTransaction } from '@solana/web3.js';
import { chainError } from './errors';

/** Reads a solana-keygen key file. Errors name the file and the problem, never the bytes. */
export function readKeypairFile(file: string): Keypair {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw chainError('PayerKeyUnavailable', `key file ${file} cannot be read (${code})`, { file });
  }
  let bytes: unknown;
  try {
    bytes = JSON.parse(text);
  } catch {
    throw chainError(
      'PayerKeyUnavailable',
      `key file ${file} is not JSON (expected an array of 64 numbers)`,
      { file },
    );
  }
  if (
    !Array.isArray(bytes) ||
    bytes.length !== 64 ||
    !bytes.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
  ) {
    throw chainError(
      'PayerKeyUnavailable',
      `key file ${file} is not an array of 64 bytes (solana-keygen format)`,
      { file },
    );
  }
  try {
    return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
  } catch {
    throw chainError('PayerKeyUnavailable', `key file ${file} does not hold a valid ed25519 key pair`, {
      file,
    });
  }
}

/** Writes `keypair` in solana-keygen's format, readable by the owner only; never overwrites. */
export function writeKeypairFile(file: string, keypair: Keypair): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(Array.from(keypair.secretKey)), { mode: 0o600, flag: 'wx' });
}

/** The keypair in `file`, made (owner-only) on first use; if another process made it first, theirs. */
export function ensureKeypairFile(file: string): Keypair {
  if (!fs.existsSync(file)) {
    try {
      writeKeypairFile(file, Keypair.generate());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readKeypairFile(file);
}

/** The key that signs payouts. Holds the secret privately; shows only its public key. */
export class PayerKey {
  /** The secret as a native key: Node's ed25519 signs in native code, web3.js's in JS (noble). */
  readonly #signingKey: crypto.KeyObject;
  readonly publicKey: PublicKey;

  private constructor(keypair: Keypair) {
    this.publicKey = keypair.publicKey;
    this.#signingKey = crypto.createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(keypair.secretKey.subarray(0, 32)).toString('base64url'),
        x: Buffer.from(keypair.publicKey.toBytes()).toString('base64url'),
      },
      format: 'jwk',
    });
  }

  static fromFile(file: string): PayerKey {
    return new PayerKey(readKeypairFile(file));
  }

  static fromKeypair(keypair: Keypair): PayerKey {
    return new PayerKey(keypair);
  }

  get address(): string {
    return this.publicKey.toBase58();
  }

  /** Signs `tx` as its only signer (its fee payer), as `tx.sign(keypair)` would. */
  signLegacy(tx: Transaction): void {
    tx.addSignature(this.publicKey, crypto.sign(null, tx.serializeMessage(), this.#signingKey));
  }

  signVersioned(tx: VersionedTransaction): void {
    tx.addSignature(this.publicKey, crypto.sign(null, tx.message.serialize(), this.#signingKey));
  }

  toJSON(): { publicKey: string } {
    return { publicKey: this.address };
  }

  toString(): string {
    return `PayerKey(${this.address})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
