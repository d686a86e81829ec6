/** Request field schemas shared by every route: one definition of a wallet, a signature, a page. */
import bs58 from 'bs58';
import { z } from 'zod';

function base58Bytes(value: string): Uint8Array | undefined {
  try {
    return bs58.decode(value);
  } catch {
    return undefined;
  }
}

/** A base58 string that decodes to exactly `bytes` bytes. */
const base58OfLength = (bytes: number, what: string) =>
  z
    .string({ error: `must be a base58 ${what}` })
    .max(100, `must be a base58 ${what}`)
    .refine((v) => base58Bytes(v)?.length === bytes, `must be a base58 ${what} (${bytes} bytes)`);

export const walletAddress = base58OfLength(32, 'Solana address').meta({
  description: 'Base58 ed25519 public key (32 bytes)',
  example: '9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM',
});
export const mintAddress = base58OfLength(32, 'mint address');
export const txSignature = base58OfLength(64, 'transaction signature').meta({
  description: 'Base58 ed25519 signature (64 bytes)',
});

export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const email = z.email().max(255);

/** Base units as a decimal string of an unsigned integer (never a float). */
export const baseUnitsString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'must be a whole number of base units as a string, e.g. "1500000"')
  .refine((v) => BigInt(v) <= 2n ** 64n - 1n, 'is larger than the largest on-chain amount');
