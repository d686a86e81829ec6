/**
 * Solana transaction wire format (legacy and v0), parsed by hand: the server needs the raw
 * pieces (keys, header, instructions, lookups) for every response and this is far cheaper
 * than round-tripping through web3.js or @solana/kit objects.
 */
import bs58 from 'bs58';

export type TransactionVersion = 'legacy' | 0;

export interface MessageHeader {
  numRequiredSignatures: number;
  numReadonlySignedAccounts: number;
  numReadonlyUnsignedAccounts: number;
}

export interface CompiledInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

export interface AddressTableLookup {
  accountKey: string;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

export interface ParsedMessage {
  version: TransactionVersion;
  header: MessageHeader;
  /** Static account keys, base58. */
  accountKeys: string[];
  /** The same keys as bytes (views into the parsed buffer). */
  accountKeyBytes: Uint8Array[];
  recentBlockhash: string;
  instructions: CompiledInstruction[];
  addressTableLookups: AddressTableLookup[];
}

export interface ParsedTransaction {
  signatures: string[];
  message: ParsedMessage;
}

/** The bytes are not a well-formed transaction (maps to JSON-RPC -32602). */
export class WireFormatError extends Error {}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new WireFormatError('io error: failed to fill whole buffer');
    this.offset += 1;
    return value;
  }

  /** Solana's "short vec" length prefix: 1–3 bytes, 7 bits each. */
  compactU16(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.u8();
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (value > 0xffff) throw new WireFormatError('compact-u16 overflow');
        return value;
      }
    }
    throw new WireFormatError('compact-u16 too long');
  }

  take(length: number): Uint8Array {
    if (length > this.remaining) throw new WireFormatError('io error: failed to fill whole buffer');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  bytesArray(): number[] {
    const length = this.compactU16();
    return Array.from(this.take(length));
  }
}

export function parseTransaction(bytes: Uint8Array): ParsedTransaction {
  const reader = new Reader(bytes);
  const signatureCount = reader.compactU16();
  const signatures: string[] = [];
  for (let i = 0; i < signatureCount; i += 1) signatures.push(bs58.encode(reader.take(64)));
  const message = readMessage(reader);
  if (reader.remaining !== 0) throw new WireFormatError('trailing bytes after transaction');
  if (signatures.length !== message.header.numRequiredSignatures) {
    throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
  }
  return { signatures, message };
}

/** Parses a bare message (getFeeForMessage sends one). */
export function parseMessage(bytes: Uint8Array): ParsedMessage {
  const reader = new Reader(bytes);
  const message = readMessage(reader);
  if (reader.remaining !== 0) throw new WireFormatError('trailing bytes after message');
  return message;
}

function readMessage(reader: Reader): ParsedMessage {
  const first = reader.u8();
  let version: TransactionVersion = 'legacy';
  let numRequiredSignatures = first;
  if (first & 0x80) {
    const v = first & 0x7f;
    if (v !== 0) throw new WireFormatError(`Transaction version (${v}) is unsupported`);
    version = 0;
    numRequiredSignatures = reader.u8();
  }
  const header: MessageHeader = {
    numRequiredSignatures,
    numReadonlySignedAccounts: reader.u8(),
    numReadonlyUnsignedAccounts: reader.u8(),
  };
  const keyCount = reader.compactU16();
  const accountKeys: string[] = [];
  const accountKeyBytes: Uint8Array[] = [];
  for (let i = 0; i < keyCount; i += 1) {
    const key = reader.take(32);
    accountKeyBytes.push(key);
    accountKeys.push(bs58.encode(key));
  }
  const recentBlockhash = bs58.encode(reader.take(32));
  const instructionCount = reader.compactU16();
  const instructions: CompiledInstruction[] = [];
  for (let i = 0; i < instructionCount; i += 1) {
    const programIdIndex = reader.u8();
    const accounts = reader.bytesArray();
    const data = reader.take(reader.compactU16());
    instructions.push({ programIdIndex, accounts, data });
  }
  const addressTableLookups: AddressTableLookup[] = [];
  if (version === 0) {
    const lookupCount = reader.compactU16();
    for (let i = 0; i < lookupCount; i += 1) {
      const accountKey = bs58.encode(reader.take(32));
      addressTableLookups.push({
        accountKey,
        writableIndexes: reader.bytesArray(),
        readonlyIndexes: reader.bytesArray(),
      });
    }
  }
  if (accountKeys.length === 0 || header.numRequiredSignatures === 0) {
    throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
  }
  if (header.numRequiredSignatures + header.numReadonlyUnsignedAccounts > accountKeys.length) {
    throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
  }
  return {
    version,
    header,
    accountKeys,
    accountKeyBytes,
    recentBlockhash,
    instructions,
    addressTableLookups,
  };
}

/** Whether the static key at `index` is writable, per the message header rules. */
export function isStaticKeyWritable(message: ParsedMessage, index: number): boolean {
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = message.header;
  if (index < numRequiredSignatures) return index < numRequiredSignatures - numReadonlySignedAccounts;
  return index < message.accountKeys.length - numReadonlyUnsignedAccounts;
}
