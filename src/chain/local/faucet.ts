/**
 * requestAirdrop pays from a faucet keypair with a real signed system transfer, so an
 * airdrop has a signature that getSignatureStatuses / getTransaction / confirmTransaction
 * can follow, exactly as on devnet.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import bs58 from 'bs58';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SYSTEM_PROGRAM = new Uint8Array(32);

export class Faucet {
  readonly publicKey: Uint8Array;
  readonly address: string;
  private readonly privateKey: KeyObject;

  constructor(seed: Uint8Array) {
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed)]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - 32));
    this.address = bs58.encode(this.publicKey);
  }

  /** A signed legacy transaction: SystemProgram.transfer(faucet → to, lamports). */
  transfer(to: Uint8Array, lamports: bigint, blockhash: string): Uint8Array {
    const data = Buffer.alloc(12);
    data.writeUInt32LE(2, 0); // SystemInstruction::Transfer
    data.writeBigUInt64LE(lamports, 4);
    const message = Buffer.concat([
      Buffer.from([1, 0, 1]), // 1 signer, 0 readonly signed, 1 readonly unsigned (system program)
      Buffer.from([3]),
      this.publicKey,
      to,
      SYSTEM_PROGRAM,
      bs58.decode(blockhash),
      Buffer.from([1, 2, 2, 0, 1, data.length]),
      data,
    ]);
    const signature = sign(null, message, this.privateKey);
    return new Uint8Array(Buffer.concat([Buffer.from([1]), signature, message]));
  }
}
