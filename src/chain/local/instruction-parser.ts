/**
 * jsonParsed instructions for the programs this project touches (system, SPL Token and
 * Token-2022, Associated Token Account, Memo), with agave's type and field names; any other
 * instruction comes back "partially decoded" (accounts + base58 data), as on mainnet.
 */
import bs58 from 'bs58';
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, uiTokenAmount } from './token';

export const SYSTEM_PROGRAM_ID = '11111111111111111111111111111111';
export const ASSOCIATED_TOKEN_PROGRAM_ID = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
export const MEMO_PROGRAM_IDS = new Set([
  'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr',
  'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo',
]);

export type UiInstruction =
  | { parsed: unknown; program: string; programId: string; stackHeight: number | null }
  | { accounts: string[]; data: string; programId: string; stackHeight: number | null };

type Parsed = { type: string; info: Record<string, unknown> };

export function parseInstruction(
  programId: string,
  accounts: string[],
  data: Uint8Array,
  stackHeight: number | null,
): UiInstruction {
  try {
    const result = parseKnown(programId, accounts, data);
    if (result) return { parsed: result.parsed, program: result.program, programId, stackHeight };
  } catch {
    // malformed data for a known program: fall through to the raw form, like agave
  }
  return { accounts, data: bs58.encode(data), programId, stackHeight };
}

function parseKnown(
  programId: string,
  accounts: string[],
  data: Uint8Array,
): { program: string; parsed: unknown } | null {
  if (programId === SYSTEM_PROGRAM_ID) {
    const parsed = parseSystem(accounts, data);
    return parsed && { program: 'system', parsed };
  }
  if (programId === TOKEN_PROGRAM_ID || programId === TOKEN_2022_PROGRAM_ID) {
    const parsed = parseToken(accounts, data);
    return parsed && { program: programId === TOKEN_PROGRAM_ID ? 'spl-token' : 'spl-token-2022', parsed };
  }
  if (programId === ASSOCIATED_TOKEN_PROGRAM_ID) {
    const parsed = parseAssociatedToken(accounts, data);
    return parsed && { program: 'spl-associated-token-account', parsed };
  }
  if (MEMO_PROGRAM_IDS.has(programId)) {
    return { program: 'spl-memo', parsed: Buffer.from(data).toString('utf8') };
  }
  return null;
}

class DataReader {
  private offset = 0;
  private readonly view: DataView;
  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  skip(count: number): this {
    this.offset += count;
    return this;
  }
  u8(): number {
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    return value;
  }
  u64(): bigint {
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return value;
  }
  pubkey(): string {
    if (this.offset + 32 > this.data.length) throw new RangeError('short data');
    const key = bs58.encode(this.data.subarray(this.offset, this.offset + 32));
    this.offset += 32;
    return key;
  }
  /** COption<Pubkey> in SPL Token instructions: 1-byte tag. */
  optionalPubkey(): string | null {
    return this.u8() === 1 ? this.pubkey() : null;
  }
}

function account(accounts: string[], index: number): string {
  const key = accounts[index];
  if (key === undefined) throw new RangeError('missing account');
  return key;
}

function parseSystem(accounts: string[], data: Uint8Array): Parsed | null {
  if (data.length < 4) return null;
  const reader = new DataReader(data);
  const tag = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
  reader.skip(4);
  switch (tag) {
    case 0: {
      const lamports = reader.u64();
      const space = reader.u64();
      const owner = reader.pubkey();
      return {
        type: 'createAccount',
        info: {
          source: account(accounts, 0),
          newAccount: account(accounts, 1),
          lamports: Number(lamports),
          space: Number(space),
          owner,
        },
      };
    }
    case 1:
      return { type: 'assign', info: { account: account(accounts, 0), owner: reader.pubkey() } };
    case 2:
      return {
        type: 'transfer',
        info: {
          source: account(accounts, 0),
          destination: account(accounts, 1),
          lamports: Number(reader.u64()),
        },
      };
    case 4:
      return {
        type: 'advanceNonce',
        info: {
          nonceAccount: account(accounts, 0),
          recentBlockhashesSysvar: account(accounts, 1),
          nonceAuthority: account(accounts, 2),
        },
      };
    case 5:
      return {
        type: 'withdrawFromNonce',
        info: {
          nonceAccount: account(accounts, 0),
          destination: account(accounts, 1),
          recentBlockhashesSysvar: account(accounts, 2),
          rentSysvar: account(accounts, 3),
          nonceAuthority: account(accounts, 4),
          lamports: Number(reader.u64()),
        },
      };
    case 6:
      return {
        type: 'initializeNonce',
        info: {
          nonceAccount: account(accounts, 0),
          recentBlockhashesSysvar: account(accounts, 1),
          rentSysvar: account(accounts, 2),
          nonceAuthority: reader.pubkey(),
        },
      };
    case 7:
      return {
        type: 'authorizeNonce',
        info: {
          nonceAccount: account(accounts, 0),
          nonceAuthority: account(accounts, 1),
          newAuthorized: reader.pubkey(),
        },
      };
    case 8:
      return { type: 'allocate', info: { account: account(accounts, 0), space: Number(reader.u64()) } };
    default:
      return null;
  }
}

/** agave parse_signers: a single authority, or a multisig account followed by its signers. */
function withSigners(
  info: Record<string, unknown>,
  accounts: string[],
  lastNonSigner: number,
  name: string,
  multisigName: string,
): Record<string, unknown> {
  if (accounts.length > lastNonSigner + 1) {
    info[multisigName] = account(accounts, lastNonSigner);
    info.signers = accounts.slice(lastNonSigner + 1);
  } else {
    info[name] = account(accounts, lastNonSigner);
  }
  return info;
}

const AUTHORITY_TYPES = ['mintTokens', 'freezeAccount', 'accountOwner', 'closeAccount'];

function parseToken(accounts: string[], data: Uint8Array): Parsed | null {
  if (data.length === 0) return null;
  const reader = new DataReader(data);
  const tag = reader.u8();
  switch (tag) {
    case 0:
    case 20: {
      const decimals = reader.u8();
      const mintAuthority = reader.pubkey();
      const freezeAuthority = reader.optionalPubkey();
      const info: Record<string, unknown> = { mint: account(accounts, 0), decimals, mintAuthority };
      if (freezeAuthority) info.freezeAuthority = freezeAuthority;
      if (tag === 0) info.rentSysvar = account(accounts, 1);
      return { type: tag === 0 ? 'initializeMint' : 'initializeMint2', info };
    }
    case 1:
      return {
        type: 'initializeAccount',
        info: {
          account: account(accounts, 0),
          mint: account(accounts, 1),
          owner: account(accounts, 2),
          rentSysvar: account(accounts, 3),
        },
      };
    case 3:
      return {
        type: 'transfer',
        info: withSigners(
          {
            source: account(accounts, 0),
            destination: account(accounts, 1),
            amount: reader.u64().toString(),
          },
          accounts,
          2,
          'authority',
          'multisigAuthority',
        ),
      };
    case 4:
      return {
        type: 'approve',
        info: withSigners(
          { source: account(accounts, 0), delegate: account(accounts, 1), amount: reader.u64().toString() },
          accounts,
          2,
          'owner',
          'multisigOwner',
        ),
      };
    case 5:
      return {
        type: 'revoke',
        info: withSigners({ source: account(accounts, 0) }, accounts, 1, 'owner', 'multisigOwner'),
      };
    case 6: {
      const authorityType = AUTHORITY_TYPES[reader.u8()] ?? 'unknown';
      const newAuthority = reader.optionalPubkey();
      const owned = authorityType === 'mintTokens' || authorityType === 'freezeAccount' ? 'mint' : 'account';
      return {
        type: 'setAuthority',
        info: withSigners(
          { [owned]: account(accounts, 0), authorityType, newAuthority },
          accounts,
          1,
          'authority',
          'multisigAuthority',
        ),
      };
    }
    case 7:
      return {
        type: 'mintTo',
        info: withSigners(
          { mint: account(accounts, 0), account: account(accounts, 1), amount: reader.u64().toString() },
          accounts,
          2,
          'mintAuthority',
          'multisigMintAuthority',
        ),
      };
    case 8:
      return {
        type: 'burn',
        info: withSigners(
          { account: account(accounts, 0), mint: account(accounts, 1), amount: reader.u64().toString() },
          accounts,
          2,
          'authority',
          'multisigAuthority',
        ),
      };
    case 9:
      return {
        type: 'closeAccount',
        info: withSigners(
          { account: account(accounts, 0), destination: account(accounts, 1) },
          accounts,
          2,
          'owner',
          'multisigOwner',
        ),
      };
    case 10:
    case 11:
      return {
        type: tag === 10 ? 'freezeAccount' : 'thawAccount',
        info: withSigners(
          { account: account(accounts, 0), mint: account(accounts, 1) },
          accounts,
          2,
          'freezeAuthority',
          'multisigFreezeAuthority',
        ),
      };
    case 12: {
      const amount = reader.u64();
      const decimals = reader.u8();
      return {
        type: 'transferChecked',
        info: withSigners(
          {
            source: account(accounts, 0),
            mint: account(accounts, 1),
            destination: account(accounts, 2),
            tokenAmount: uiTokenAmount(amount, decimals),
          },
          accounts,
          3,
          'authority',
          'multisigAuthority',
        ),
      };
    }
    case 13: {
      const amount = reader.u64();
      const decimals = reader.u8();
      return {
        type: 'approveChecked',
        info: withSigners(
          {
            source: account(accounts, 0),
            mint: account(accounts, 1),
            delegate: account(accounts, 2),
            tokenAmount: uiTokenAmount(amount, decimals),
          },
          accounts,
          3,
          'owner',
          'multisigOwner',
        ),
      };
    }
    case 14: {
      const amount = reader.u64();
      const decimals = reader.u8();
      return {
        type: 'mintToChecked',
        info: withSigners(
          {
            mint: account(accounts, 0),
            account: account(accounts, 1),
            tokenAmount: uiTokenAmount(amount, decimals),
          },
          accounts,
          2,
          'mintAuthority',
          'multisigMintAuthority',
        ),
      };
    }
    case 15: {
      const amount = reader.u64();
      const decimals = reader.u8();
      return {
        type: 'burnChecked',
        info: withSigners(
          {
            account: account(accounts, 0),
            mint: account(accounts, 1),
            tokenAmount: uiTokenAmount(amount, decimals),
          },
          accounts,
          2,
          'authority',
          'multisigAuthority',
        ),
      };
    }
    case 16:
      return {
        type: 'initializeAccount2',
        info: {
          account: account(accounts, 0),
          mint: account(accounts, 1),
          owner: reader.pubkey(),
          rentSysvar: account(accounts, 2),
        },
      };
    case 17:
      return { type: 'syncNative', info: { account: account(accounts, 0) } };
    case 18:
      return {
        type: 'initializeAccount3',
        info: { account: account(accounts, 0), mint: account(accounts, 1), owner: reader.pubkey() },
      };
    case 21:
      return { type: 'getAccountDataSize', info: { mint: account(accounts, 0) } };
    case 22:
      return { type: 'initializeImmutableOwner', info: { account: account(accounts, 0) } };
    default:
      return null;
  }
}

function parseAssociatedToken(accounts: string[], data: Uint8Array): Parsed | null {
  const tag = data.length === 0 ? 0 : data[0];
  if (tag !== 0 && tag !== 1) return null;
  return {
    type: tag === 0 ? 'create' : 'createIdempotent',
    info: {
      source: account(accounts, 0),
      account: account(accounts, 1),
      wallet: account(accounts, 2),
      mint: account(accounts, 3),
      systemProgram: account(accounts, 4),
      tokenProgram: account(accounts, 5),
    },
  };
}
