/** Balance, account, program-account and token-account queries. */
import bs58 from 'bs58';
import type { Account } from 'litesvm/dist/internal';
import type { LocalChainCore } from './chain';
import { encodeAccount, type AccountEncoding, type DataSlice } from './encoding';
import { invalidParams } from './errors';
import {
  checkMinContextSlot,
  commitmentOf,
  configAt,
  enumOf,
  pubkeyAt,
  toPubkey,
  withContext,
  type Config,
  type RpcParams,
} from './params';
import type { RpcMethod } from './rpc-server';
import { decodeMint, decodeTokenAccount, isTokenAccountData, tokenProgramName, uiTokenAmount } from './token';

const MAX_MULTIPLE_ACCOUNTS = 100;
const MAX_FILTERS = 4;
const MAX_MEMCMP_BYTES = 128;
const LARGEST_ACCOUNTS_LIMIT = 20;
const ACCOUNT_ENCODINGS: readonly AccountEncoding[] = ['base58', 'base64', 'jsonParsed', 'binary'];

type Filter =
  { dataSize: number } | { memcmp: { offset: number; bytes: Uint8Array } } | { tokenAccountState: true };

interface KeyedAccount {
  address: Uint8Array;
  account: Account;
}

function dataSliceOf(config: Config): DataSlice | undefined {
  const slice = config.dataSlice as { offset?: unknown; length?: unknown } | undefined | null;
  if (slice === undefined || slice === null) return undefined;
  const { offset, length } = slice;
  if (
    typeof offset !== 'number' ||
    typeof length !== 'number' ||
    offset < 0 ||
    length < 0 ||
    !Number.isInteger(offset) ||
    !Number.isInteger(length)
  ) {
    throw invalidParams('Invalid params: dataSlice needs non-negative integer offset and length');
  }
  return { offset, length };
}

function accountEncodingOf(config: Config, fallback: AccountEncoding): AccountEncoding {
  if (config.encoding === 'base64+zstd')
    throw invalidParams(
      'Invalid params: base64+zstd encoding is not supported by the local chain; use base64',
    );
  return enumOf(config, 'encoding', ACCOUNT_ENCODINGS, fallback);
}

function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidParams('Invalid params: filters must be an array');
  if (raw.length > MAX_FILTERS) throw invalidParams(`Too many filters provided; max ${MAX_FILTERS}`);
  return raw.map((filter: unknown): Filter => {
    if (typeof filter !== 'object' || filter === null) throw invalidParams('Invalid params: filter');
    const f = filter as Record<string, unknown>;
    if ('dataSize' in f) {
      if (typeof f.dataSize !== 'number' || f.dataSize < 0) throw invalidParams('Invalid params: dataSize');
      return { dataSize: f.dataSize };
    }
    if ('memcmp' in f) {
      const memcmp = f.memcmp as { offset?: unknown; bytes?: unknown; encoding?: unknown } | null;
      if (
        !memcmp ||
        typeof memcmp.offset !== 'number' ||
        memcmp.offset < 0 ||
        typeof memcmp.bytes !== 'string'
      ) {
        throw invalidParams('Invalid params: memcmp needs offset and bytes');
      }
      let bytes: Uint8Array;
      const encoding = memcmp.encoding ?? 'base58';
      try {
        if (encoding === 'base58') bytes = bs58.decode(memcmp.bytes);
        else if (encoding === 'base64') bytes = new Uint8Array(Buffer.from(memcmp.bytes, 'base64'));
        else throw new Error('encoding');
      } catch {
        throw invalidParams(`Invalid param: invalid ${String(encoding)} data in memcmp filter`);
      }
      if (bytes.length > MAX_MEMCMP_BYTES) throw invalidParams('Invalid param: filter data too large');
      return { memcmp: { offset: memcmp.offset, bytes } };
    }
    if ('tokenAccountState' in f) return { tokenAccountState: true };
    throw invalidParams('Invalid params: unknown filter');
  });
}

function matches(data: Uint8Array, filters: Filter[]): boolean {
  for (const filter of filters) {
    if ('dataSize' in filter) {
      if (data.length !== filter.dataSize) return false;
    } else if ('memcmp' in filter) {
      const { offset, bytes } = filter.memcmp;
      if (offset + bytes.length > data.length) return false;
      for (let i = 0; i < bytes.length; i += 1) if (data[offset + i] !== bytes[i]) return false;
    } else if (!isTokenAccountData(data)) {
      return false;
    }
  }
  return true;
}

export function accountMethods(core: LocalChainCore): Record<string, RpcMethod> {
  const decimals = (mint: string): number | null => core.bank.mintDecimals(mint);

  /** Zero-lamport accounts do not exist as far as the RPC is concerned. */
  const liveAccount = (address: Uint8Array): Account | null => {
    const account = core.bank.account(address);
    return account && account.lamports() > 0n ? account : null;
  };

  const contextConfig = (params: RpcParams, index: number): Config => {
    const config = configAt(params, index);
    commitmentOf(config);
    checkMinContextSlot(config, core.slot);
    return config;
  };

  const keyed = (entry: KeyedAccount, encoding: AccountEncoding, slice: DataSlice | undefined) => ({
    account: encodeAccount(entry.account, encoding, slice, decimals),
    pubkey: bs58.encode(entry.address),
  });

  const programAccounts = (programId: Uint8Array, filters: Filter[]): KeyedAccount[] =>
    core.bank
      .programAccounts(programId)
      .filter((entry) => entry.account.lamports() > 0n && matches(entry.account.data(), filters));

  /** Token program owning `mint`, or an invalid-params error like agave's. */
  const tokenProgramOfMint = (mint: Uint8Array): Uint8Array => {
    const account = liveAccount(mint);
    if (!account) throw invalidParams('Invalid param: could not find mint');
    const owner = account.owner();
    if (!tokenProgramName(owner) || !decodeMint(account.data()))
      throw invalidParams('Invalid param: not a Token mint');
    return owner;
  };

  return {
    getBalance: (params) => {
      const key = pubkeyAt(params, 0);
      contextConfig(params, 1);
      return withContext(core.slot, Number(liveAccount(key.bytes)?.lamports() ?? 0n));
    },

    getAccountInfo: (params) => {
      const key = pubkeyAt(params, 0);
      const config = contextConfig(params, 1);
      const encoding = accountEncodingOf(config, 'binary');
      const account = liveAccount(key.bytes);
      return withContext(
        core.slot,
        account ? encodeAccount(account, encoding, dataSliceOf(config), decimals) : null,
      );
    },

    getMultipleAccounts: (params) => {
      const keys = params[0];
      if (!Array.isArray(keys)) throw invalidParams('Invalid params: expected an array of public keys');
      if (keys.length > MAX_MULTIPLE_ACCOUNTS)
        throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
      const config = contextConfig(params, 1);
      const encoding = accountEncodingOf(config, 'base64');
      const slice = dataSliceOf(config);
      const values = keys.map((value: unknown) => {
        const account = liveAccount(toPubkey(value).bytes);
        return account ? encodeAccount(account, encoding, slice, decimals) : null;
      });
      return withContext(core.slot, values);
    },

    getProgramAccounts: (params) => {
      const programId = pubkeyAt(params, 0);
      const config = contextConfig(params, 1);
      const encoding = accountEncodingOf(config, 'binary');
      const slice = dataSliceOf(config);
      const accounts = programAccounts(programId.bytes, parseFilters(config.filters)).map((entry) =>
        keyed(entry, encoding, slice),
      );
      return config.withContext === true ? withContext(core.slot, accounts) : accounts;
    },

    getTokenAccountsByOwner: (params) => {
      const owner = pubkeyAt(params, 0);
      const selector = configAt(params, 1);
      const config = contextConfig(params, 2);
      const encoding = accountEncodingOf(config, 'binary');
      const slice = dataSliceOf(config);
      const filters: Filter[] = [{ tokenAccountState: true }, { memcmp: { offset: 32, bytes: owner.bytes } }];
      let program: Uint8Array;
      if (typeof selector.mint === 'string') {
        const mint = toPubkey(selector.mint);
        program = tokenProgramOfMint(mint.bytes);
        filters.push({ memcmp: { offset: 0, bytes: mint.bytes } });
      } else if (typeof selector.programId === 'string') {
        program = toPubkey(selector.programId).bytes;
        if (!tokenProgramName(program)) throw invalidParams('Invalid param: unrecognized Token program id');
      } else {
        throw invalidParams('Invalid params: expected {mint} or {programId}');
      }
      return withContext(
        core.slot,
        programAccounts(program, filters).map((entry) => keyed(entry, encoding, slice)),
      );
    },

    getTokenAccountBalance: (params) => {
      const key = pubkeyAt(params, 0);
      contextConfig(params, 1);
      const account = liveAccount(key.bytes);
      if (!account) throw invalidParams('Invalid param: could not find account');
      const state = tokenProgramName(account.owner()) ? decodeTokenAccount(account.data()) : null;
      if (!state) throw invalidParams('Invalid param: not a Token account');
      const mintDecimals = decimals(state.mint);
      if (mintDecimals === null) throw invalidParams('Invalid param: could not find mint');
      return withContext(core.slot, uiTokenAmount(state.amount, mintDecimals));
    },

    getTokenSupply: (params) => {
      const mint = pubkeyAt(params, 0);
      contextConfig(params, 1);
      tokenProgramOfMint(mint.bytes);
      const state = decodeMint((liveAccount(mint.bytes) as Account).data());
      if (!state) throw invalidParams('Invalid param: not a Token mint');
      return withContext(core.slot, uiTokenAmount(state.supply, state.decimals));
    },

    getTokenLargestAccounts: (params) => {
      const mint = pubkeyAt(params, 0);
      contextConfig(params, 1);
      const program = tokenProgramOfMint(mint.bytes);
      const mintDecimals = decimals(mint.address) ?? 0;
      const holders = programAccounts(program, [
        { tokenAccountState: true },
        { memcmp: { offset: 0, bytes: mint.bytes } },
      ])
        .map((entry) => ({
          address: bs58.encode(entry.address),
          amount: decodeTokenAccount(entry.account.data())?.amount ?? 0n,
        }))
        .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))
        .slice(0, LARGEST_ACCOUNTS_LIMIT)
        .map(({ address, amount }) => ({ address, ...uiTokenAmount(amount, mintDecimals) }));
      return withContext(core.slot, holders);
    },
  };
}
