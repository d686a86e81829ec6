/**
 * SPL Token / Token-2022 account layouts and the RPC's UiTokenAmount, read straight from
 * account bytes (the base layouts are identical in both programs).
 */
import bs58 from 'bs58';

export const TOKEN_PROGRAM_ID = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM_ID = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const TOKEN_PROGRAM_BYTES = bs58.decode(TOKEN_PROGRAM_ID);
export const TOKEN_2022_PROGRAM_BYTES = bs58.decode(TOKEN_2022_PROGRAM_ID);

export const TOKEN_ACCOUNT_SIZE = 165;
export const MINT_SIZE = 82;
const ACCOUNT_TYPE_OFFSET = 165; // Token-2022 extension accounts: 1 = mint, 2 = account

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** The token program name the RPC's jsonParsed uses, or null for non-token owners. */
export function tokenProgramName(owner: Uint8Array): 'spl-token' | 'spl-token-2022' | null {
  if (bytesEqual(owner, TOKEN_PROGRAM_BYTES)) return 'spl-token';
  if (bytesEqual(owner, TOKEN_2022_PROGRAM_BYTES)) return 'spl-token-2022';
  return null;
}

export interface TokenAccountState {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: 'initialized' | 'frozen';
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
}

export interface MintState {
  mintAuthority: string | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: string | null;
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function optionalKey(data: Uint8Array, dv: DataView, tagOffset: number): string | null {
  return dv.getUint32(tagOffset, true) === 1
    ? bs58.encode(data.subarray(tagOffset + 4, tagOffset + 36))
    : null;
}

export function isTokenAccountData(data: Uint8Array): boolean {
  return (
    data.length === TOKEN_ACCOUNT_SIZE ||
    (data.length > TOKEN_ACCOUNT_SIZE && data[ACCOUNT_TYPE_OFFSET] === 2)
  );
}

export function isMintData(data: Uint8Array): boolean {
  return data.length === MINT_SIZE || (data.length > TOKEN_ACCOUNT_SIZE && data[ACCOUNT_TYPE_OFFSET] === 1);
}

/** Decodes an initialized token account; null for anything else. */
export function decodeTokenAccount(data: Uint8Array): TokenAccountState | null {
  if (!isTokenAccountData(data)) return null;
  const dv = view(data);
  const stateByte = data[108];
  if (stateByte !== 1 && stateByte !== 2) return null;
  return {
    mint: bs58.encode(data.subarray(0, 32)),
    owner: bs58.encode(data.subarray(32, 64)),
    amount: dv.getBigUint64(64, true),
    delegate: optionalKey(data, dv, 72),
    state: stateByte === 2 ? 'frozen' : 'initialized',
    isNative: dv.getUint32(109, true) === 1 ? dv.getBigUint64(113, true) : null,
    delegatedAmount: dv.getBigUint64(121, true),
    closeAuthority: optionalKey(data, dv, 129),
  };
}

export function decodeMint(data: Uint8Array): MintState | null {
  if (!isMintData(data)) return null;
  const dv = view(data);
  const isInitialized = data[45] === 1;
  if (!isInitialized) return null;
  return {
    mintAuthority: optionalKey(data, dv, 0),
    supply: dv.getBigUint64(36, true),
    decimals: data[44] ?? 0,
    isInitialized,
    freezeAuthority: optionalKey(data, dv, 46),
  };
}

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

/** Decimal string with trailing zeros trimmed, like agave's real_number_string_trimmed. */
export function uiAmountString(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const digits = amount.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  return {
    amount: amount.toString(),
    decimals,
    uiAmount: Number(amount) / 10 ** decimals,
    uiAmountString: uiAmountString(amount, decimals),
  };
}

/**
 * Transaction-meta token balances go through agave's protobuf store, which turns a zero
 * uiAmount into null; mainnet getTransaction shows `"uiAmount": null` for empty accounts.
 */
export function uiTokenAmountForMeta(amount: bigint, decimals: number): UiTokenAmount {
  const ui = uiTokenAmount(amount, decimals);
  return ui.uiAmount === 0 ? { ...ui, uiAmount: null } : ui;
}

/** jsonParsed `parsed` for a token account or mint, or null if not a token-program layout. */
export function parseTokenAccountData(
  data: Uint8Array,
  mintDecimals: (mint: string) => number | null,
): { type: string; info: Record<string, unknown> } | null {
  const account = decodeTokenAccount(data);
  if (account) {
    const decimals = mintDecimals(account.mint);
    if (decimals === null) return null;
    const info: Record<string, unknown> = {
      isNative: account.isNative !== null,
      mint: account.mint,
      owner: account.owner,
      state: account.state,
      tokenAmount: uiTokenAmount(account.amount, decimals),
    };
    if (account.delegate) {
      info.delegate = account.delegate;
      info.delegatedAmount = uiTokenAmount(account.delegatedAmount, decimals);
    }
    if (account.isNative !== null) info.rentExemptReserve = uiTokenAmount(account.isNative, 9);
    if (account.closeAuthority) info.closeAuthority = account.closeAuthority;
    return { type: 'account', info };
  }
  const mint = decodeMint(data);
  if (mint) {
    return {
      type: 'mint',
      info: {
        decimals: mint.decimals,
        freezeAuthority: mint.freezeAuthority,
        isInitialized: mint.isInitialized,
        mintAuthority: mint.mintAuthority,
        supply: mint.supply.toString(),
      },
    };
  }
  return null;
}
