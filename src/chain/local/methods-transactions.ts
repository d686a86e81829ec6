/** sendTransaction, simulateTransaction, getTransaction, getSignatureStatuses, requestAirdrop. */
import type { FailureReport } from './bank';
import type { LocalChainCore } from './chain';
import type { TransactionRecord } from './ledger';
import { STATUS_CACHE_SLOTS } from './clock';
import {
  encodeAccount,
  encodeTransactionWithMeta,
  parsedInnerInstructions,
  type AccountEncoding,
  type TransactionEncoding,
} from './encoding';
import {
  invalidParams,
  RPC_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  RPC_SIGNATURE_VERIFICATION_FAILURE,
  RPC_UNSUPPORTED_TRANSACTION_VERSION,
  RpcError,
  transactionErrorText,
} from './errors';
import {
  checkMinContextSlot,
  commitmentOf,
  configAt,
  decodeWire,
  enumOf,
  pubkeyAt,
  requireAtLeastConfirmed,
  signatureString,
  stringAt,
  toPubkey,
  unsignedAt,
  withContext,
  type Config,
  type RpcParams,
} from './params';
import { RawJson, type RpcMethod } from './rpc-server';
import { parseTransaction, WireFormatError, type ParsedTransaction } from './wire';

const MAX_SIGNATURE_STATUSES = 256;
const RESPONSE_CACHE_LIMIT = 50_000;

export function unsupportedVersionError(): RpcError {
  return new RpcError(
    RPC_UNSUPPORTED_TRANSACTION_VERSION,
    'Transaction version (0) is not supported by the requesting client. ' +
      'Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
  );
}

function parseWire(wire: Uint8Array): ParsedTransaction {
  try {
    return parseTransaction(wire);
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw invalidParams(
        error.message.includes('sanitize')
          ? `invalid transaction: ${error.message}`
          : `failed to deserialize solana_transaction::versioned::VersionedTransaction: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The `data` of a preflight failure (agave RpcSimulateTransactionResult). */
function simulationData(failure: FailureReport): Record<string, unknown> {
  return {
    accounts: null,
    err: failure.err,
    innerInstructions: null,
    loadedAccountsDataSize: 0,
    logs: failure.logs,
    replacementBlockhash: null,
    returnData: failure.returnData,
    unitsConsumed: failure.unitsConsumed,
  };
}

/** getTransaction / getBlock take `[sig, "json"]` (legacy) as well as a config object. */
function encodingConfig(params: RpcParams): Config {
  const raw = params[1];
  return typeof raw === 'string' ? { encoding: raw } : configAt(params, 1);
}

export function transactionMethods(core: LocalChainCore): Record<string, RpcMethod> {
  /** A known signature is valid by construction; only unknown ones pay for base58 validation. */
  const recordOf = (value: unknown): TransactionRecord | undefined => {
    const record = typeof value === 'string' ? core.ledger.get(value) : undefined;
    if (!record) signatureString(value);
    return record;
  };
  // A landed transaction never changes, so its encoded response is computed once.
  let responseCache = new Map<string, RawJson>();

  return {
    sendTransaction: (params) => {
      const encoded = stringAt(params, 0, 'transaction');
      const config = configAt(params, 1);
      const encoding = enumOf(config, 'encoding', ['base58', 'base64'] as const, 'base58');
      const skipPreflight = config.skipPreflight === true;
      if (config.preflightCommitment !== undefined) commitmentOf({ commitment: config.preflightCommitment });
      checkMinContextSlot(config, core.slot);
      const wire = decodeWire(encoded, encoding);
      const tx = parseWire(wire);
      const outcome = core.submit(wire, skipPreflight, tx);
      if (outcome.kind === 'landed') return outcome.signature;
      const { failure } = outcome;
      // Signature verification happens before preflight and regardless of skipPreflight.
      if (failure.err === 'SignatureFailure')
        throw new RpcError(RPC_SIGNATURE_VERIFICATION_FAILURE, 'Transaction signature verification failure');
      if (failure.err === 'SanitizeFailure')
        throw invalidParams(`invalid transaction: ${transactionErrorText(failure.err)}`);
      // Without preflight a leader would just drop it: the signature never lands.
      if (skipPreflight) return outcome.signature;
      throw new RpcError(
        RPC_SEND_TRANSACTION_PREFLIGHT_FAILURE,
        `Transaction simulation failed: ${transactionErrorText(failure.err)}`,
        simulationData(failure),
      );
    },

    simulateTransaction: (params) => {
      const encoded = stringAt(params, 0, 'transaction');
      const config = configAt(params, 1);
      const encoding = enumOf(config, 'encoding', ['base58', 'base64'] as const, 'base58');
      const sigVerify = config.sigVerify === true;
      const replaceRecentBlockhash = config.replaceRecentBlockhash === true;
      if (sigVerify && replaceRecentBlockhash)
        throw invalidParams('sigVerify may not be used with replaceRecentBlockhash');
      commitmentOf(config);
      checkMinContextSlot(config, core.slot);
      const accountsConfig = config.accounts as
        { addresses?: unknown; encoding?: unknown } | undefined | null;
      const wire = decodeWire(encoded, encoding);
      const tx = parseWire(wire);
      const slot = core.slot;
      const replacement = replaceRecentBlockhash
        ? { blockhash: core.blockhashes.hashOf(slot), lastValidBlockHeight: core.lastValidBlockHeight(slot) }
        : null;
      if (!replaceRecentBlockhash && !core.isBlockhashValid(tx.message.recentBlockhash)) {
        return withContext(slot, {
          accounts: null,
          err: 'BlockhashNotFound',
          innerInstructions: null,
          loadedAccountsDataSize: 0,
          logs: [],
          replacementBlockhash: null,
          returnData: null,
          unitsConsumed: 0,
        });
      }
      core.prepareBank(slot);
      const simulation = core.bank.simulate(tx, wire, sigVerify);
      if (sigVerify && simulation.err === 'SignatureFailure') {
        throw new RpcError(RPC_SIGNATURE_VERIFICATION_FAILURE, 'Transaction signature verification failure');
      }
      let accounts: unknown = null;
      if (accountsConfig) {
        const addresses = accountsConfig.addresses;
        if (!Array.isArray(addresses))
          throw invalidParams('Invalid params: accounts.addresses must be an array');
        const accountEncoding = enumOf<AccountEncoding>(
          { encoding: accountsConfig.encoding },
          'encoding',
          ['base64', 'base58', 'jsonParsed'],
          'base64',
        );
        accounts = addresses.map((address: unknown) => {
          const key = toPubkey(address);
          const account = simulation.postAccounts.get(key.address) ?? core.bank.account(key.bytes);
          return account && account.lamports() > 0n
            ? encodeAccount(account, accountEncoding, undefined, (mint) => core.bank.mintDecimals(mint))
            : null;
        });
      }
      const keys = [
        ...tx.message.accountKeys,
        ...simulation.loadedAddresses.writable,
        ...simulation.loadedAddresses.readonly,
      ];
      return withContext(slot, {
        accounts,
        err: simulation.err,
        innerInstructions:
          config.innerInstructions === true
            ? parsedInnerInstructions(simulation.innerInstructions, keys)
            : null,
        loadedAccountsDataSize: 0,
        logs: simulation.logs,
        replacementBlockhash: replacement,
        returnData: simulation.returnData,
        unitsConsumed: simulation.unitsConsumed,
      });
    },

    getTransaction: (params) => {
      const record = recordOf(params[0]);
      const config = encodingConfig(params);
      requireAtLeastConfirmed(config);
      const encoding = enumOf<TransactionEncoding>(
        config,
        'encoding',
        ['json', 'jsonParsed', 'base64', 'base58'],
        'json',
      );
      const maxVersion = config.maxSupportedTransactionVersion;
      if (maxVersion !== undefined && maxVersion !== null)
        unsignedAt([maxVersion], 0, 'maxSupportedTransactionVersion');
      if (!record) return null;
      const includeVersion = maxVersion !== undefined && maxVersion !== null;
      if (record.version === 0 && !includeVersion) throw unsupportedVersionError();
      const cacheKey = `${encoding}${includeVersion ? '+v' : ''}:${record.signature}`;
      let cached = responseCache.get(cacheKey);
      if (!cached) {
        const encoded = encodeTransactionWithMeta(core.parsed(record), record, encoding, includeVersion);
        cached = new RawJson(JSON.stringify({ blockTime: record.blockTime, slot: record.slot, ...encoded }));
        if (responseCache.size >= RESPONSE_CACHE_LIMIT) responseCache = new Map();
        responseCache.set(cacheKey, cached);
      }
      return cached;
    },

    getSignatureStatuses: (params) => {
      const signatures = params[0];
      if (!Array.isArray(signatures)) throw invalidParams('Invalid params: expected an array of signatures');
      if (signatures.length > MAX_SIGNATURE_STATUSES)
        throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`);
      const searchHistory = configAt(params, 1).searchTransactionHistory === true;
      const slot = core.slot;
      const statuses = signatures.map((value: unknown) => {
        const record = recordOf(value);
        if (!record) return null;
        // Without searchTransactionHistory mainnet only answers from its recent status cache.
        if (!searchHistory && slot - record.slot > STATUS_CACHE_SLOTS) return null;
        return core.signatureStatus(record);
      });
      return withContext(slot, statuses);
    },

    requestAirdrop: (params) => {
      const to = pubkeyAt(params, 0);
      const lamports = unsignedAt(params, 1, 'lamports');
      const config = configAt(params, 2);
      commitmentOf(config);
      return core.airdrop(to.bytes, BigInt(lamports));
    },
  };
}
