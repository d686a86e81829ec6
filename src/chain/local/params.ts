/** Positional JSON-RPC params and config objects, validated with agave's error texts. */
import bs58 from 'bs58';
import { invalidParams, RPC_MIN_CONTEXT_SLOT_NOT_REACHED, RpcError } from './errors';

export type RpcParams = readonly unknown[];
export type Config = Record<string, unknown>;

export const API_VERSION = '2.2.20';

export function configAt(params: RpcParams, index: number): Config {
  const value = params[index];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParams(`Invalid params: expected a config object at position ${index}`);
  return value as Config;
}

export function stringAt(params: RpcParams, index: number, what: string): string {
  const value = params[index];
  if (typeof value !== 'string') throw invalidParams(`Invalid params: ${what} must be a string`);
  return value;
}

export function unsignedAt(params: RpcParams, index: number, what: string): number {
  const value = params[index];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParams(`Invalid params: ${what} must be a non-negative integer`);
  }
  return value;
}

export interface Pubkey {
  address: string;
  bytes: Uint8Array;
}

export function toPubkey(value: unknown): Pubkey {
  if (typeof value !== 'string') throw invalidParams('Invalid param: Invalid');
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(value);
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (bytes.length !== 32) throw invalidParams('Invalid param: WrongSize');
  return { address: value, bytes };
}

export function pubkeyAt(params: RpcParams, index: number): Pubkey {
  return toPubkey(params[index]);
}

export function signatureString(value: unknown): string {
  if (typeof value !== 'string') throw invalidParams('Invalid param: Invalid');
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(value);
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (bytes.length !== 64) throw invalidParams('Invalid param: WrongSize');
  return value;
}

const COMMITMENTS = new Set([
  'processed',
  'confirmed',
  'finalized',
  'recent',
  'single',
  'singleGossip',
  'root',
  'max',
]);

/** Confirmed and finalized are served alike; only the names are checked. */
export function commitmentOf(config: Config): string {
  const value = config.commitment;
  if (value === undefined || value === null) return 'finalized';
  if (typeof value !== 'string' || !COMMITMENTS.has(value))
    throw invalidParams(`Invalid params: unknown commitment \`${String(value)}\``);
  return value;
}

export function requireAtLeastConfirmed(config: Config): void {
  const commitment = commitmentOf(config);
  if (commitment === 'processed' || commitment === 'recent') {
    throw invalidParams('Method does not support commitment below `confirmed`');
  }
}

export function checkMinContextSlot(config: Config, slot: number): void {
  const min = config.minContextSlot;
  if (min === undefined || min === null) return;
  if (typeof min !== 'number' || !Number.isSafeInteger(min) || min < 0)
    throw invalidParams('Invalid params: minContextSlot');
  if (min > slot) {
    throw new RpcError(RPC_MIN_CONTEXT_SLOT_NOT_REACHED, 'Minimum context slot has not been reached', {
      contextSlot: slot,
    });
  }
}

export function enumOf<T extends string>(config: Config, key: string, allowed: readonly T[], fallback: T): T {
  const value = config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(value)}\` for ${key}, expected one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

export function withContext<T>(
  slot: number,
  value: T,
): { context: { apiVersion: string; slot: number }; value: T } {
  return { context: { apiVersion: API_VERSION, slot }, value };
}

/** Transaction bytes from sendTransaction / simulateTransaction (default encoding base58, as agave). */
export function decodeWire(encoded: string, encoding: string): Uint8Array {
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw invalidParams('invalid base64 encoding: InvalidByte');
    return new Uint8Array(Buffer.from(encoded, 'base64'));
  }
  if (encoding === 'base58') {
    try {
      return bs58.decode(encoded);
    } catch {
      throw invalidParams('invalid base58 encoding: InvalidCharacter');
    }
  }
  throw invalidParams(
    `Invalid params: unsupported encoding: ${encoding}. Supported encodings: base58, base64`,
  );
}
