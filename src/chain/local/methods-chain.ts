/** Cluster, slot, block and fee methods. */
import type { LocalChainCore } from './chain';
import { LAMPORTS_PER_SIGNATURE } from './chain';
import { SLOTS_PER_EPOCH } from './clock';
import { encodeTransactionWithMeta, type TransactionDetails, type TransactionEncoding } from './encoding';
import { RPC_BLOCK_NOT_AVAILABLE, RpcError, invalidParams } from './errors';
import {
  API_VERSION,
  checkMinContextSlot,
  commitmentOf,
  configAt,
  enumOf,
  requireAtLeastConfirmed,
  stringAt,
  unsignedAt,
  withContext,
  type Config,
  type RpcParams,
} from './params';
import type { RpcMethod } from './rpc-server';
import { unsupportedVersionError } from './methods-transactions';
import { parseMessage, WireFormatError, type ParsedMessage } from './wire';

const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111';
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000;
const MAX_COMPUTE_UNITS = 1_400_000;
const MAX_GET_BLOCKS_RANGE = 500_000;

/** Base fee per signature plus the compute-unit-price priority fee, as the runtime charges. */
export function feeForMessage(message: ParsedMessage): number {
  let unitLimit: number | null = null;
  let microLamportsPerUnit = 0n;
  let otherInstructions = 0;
  for (const ix of message.instructions) {
    if (message.accountKeys[ix.programIdIndex] !== COMPUTE_BUDGET_PROGRAM) {
      otherInstructions += 1;
      continue;
    }
    const view = new DataView(ix.data.buffer, ix.data.byteOffset, ix.data.byteLength);
    if (ix.data[0] === 2 && ix.data.length >= 5) unitLimit = view.getUint32(1, true);
    if (ix.data[0] === 3 && ix.data.length >= 9) microLamportsPerUnit = view.getBigUint64(1, true);
  }
  const units = BigInt(
    Math.min(unitLimit ?? DEFAULT_UNITS_PER_INSTRUCTION * otherInstructions, MAX_COMPUTE_UNITS),
  );
  const priority = (microLamportsPerUnit * units + 999_999n) / 1_000_000n;
  return LAMPORTS_PER_SIGNATURE * message.header.numRequiredSignatures + Number(priority);
}

/** getBlock accepts `[slot, "json"]` (legacy) as well as a config object. */
function blockConfig(params: RpcParams): Config {
  const raw = params[1];
  return typeof raw === 'string' ? { encoding: raw } : configAt(params, 1);
}

export function chainMethods(core: LocalChainCore, identity: string): Record<string, RpcMethod> {
  const slotWithContextCheck = (params: RpcParams): number => {
    const config = configAt(params, 0);
    commitmentOf(config);
    checkMinContextSlot(config, core.slot);
    return core.slot;
  };

  const requireProducedSlot = (slot: number): void => {
    if (slot > core.slot) throw new RpcError(RPC_BLOCK_NOT_AVAILABLE, `Block not available for slot ${slot}`);
  };

  return {
    getHealth: () => 'ok',
    getVersion: () => ({ 'solana-core': API_VERSION, 'feature-set': 0 }),
    getGenesisHash: () => core.blockhashes.genesisHash,
    getIdentity: () => ({ identity }),
    getSlot: slotWithContextCheck,
    getBlockHeight: slotWithContextCheck,
    getSlotLeader: () => identity,
    getMaxRetransmitSlot: () => core.slot,
    getMaxShredInsertSlot: () => core.slot,
    getFirstAvailableBlock: () => 0,
    minimumLedgerSlot: () => 0,
    getTransactionCount: (params) => {
      slotWithContextCheck(params);
      return core.ledger.transactionCount;
    },
    getRecentPrioritizationFees: (params) => {
      if (params[0] !== undefined && !Array.isArray(params[0]))
        throw invalidParams('Invalid params: expected an array of addresses');
      return [];
    },
    getRecentPerformanceSamples: () => [],

    getEpochInfo: (params) => {
      const slot = slotWithContextCheck(params);
      return {
        absoluteSlot: slot,
        blockHeight: slot,
        epoch: core.epochOf(slot),
        slotIndex: slot % SLOTS_PER_EPOCH,
        slotsInEpoch: SLOTS_PER_EPOCH,
        transactionCount: core.ledger.transactionCount,
      };
    },
    getEpochSchedule: () => ({
      firstNormalEpoch: 0,
      firstNormalSlot: 0,
      leaderScheduleSlotOffset: SLOTS_PER_EPOCH,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      warmup: false,
    }),

    getLatestBlockhash: (params) => {
      const slot = slotWithContextCheck(params);
      return withContext(slot, {
        blockhash: core.blockhashes.hashOf(slot),
        lastValidBlockHeight: core.lastValidBlockHeight(slot),
      });
    },
    isBlockhashValid: (params) => {
      const blockhash = stringAt(params, 0, 'blockhash');
      const config = configAt(params, 1);
      commitmentOf(config);
      checkMinContextSlot(config, core.slot);
      return withContext(core.slot, core.isBlockhashValid(blockhash));
    },

    getBlockTime: (params) => {
      const slot = unsignedAt(params, 0, 'slot');
      requireProducedSlot(slot);
      return core.clock.blockTime(slot);
    },
    getBlocks: (params) => {
      const start = unsignedAt(params, 0, 'start slot');
      const end = typeof params[1] === 'number' ? unsignedAt(params, 1, 'end slot') : core.slot;
      const last = Math.min(end, core.slot);
      if (last - start > MAX_GET_BLOCKS_RANGE)
        throw invalidParams(`Slot range too large; max ${MAX_GET_BLOCKS_RANGE}`);
      const slots: number[] = [];
      for (let slot = start; slot <= last; slot += 1) slots.push(slot);
      return slots;
    },
    getBlocksWithLimit: (params) => {
      const start = unsignedAt(params, 0, 'start slot');
      const limit = unsignedAt(params, 1, 'limit');
      if (limit > MAX_GET_BLOCKS_RANGE) throw invalidParams(`Limit too large; max ${MAX_GET_BLOCKS_RANGE}`);
      const slots: number[] = [];
      for (let slot = start; slot <= core.slot && slots.length < limit; slot += 1) slots.push(slot);
      return slots;
    },
    getBlock: (params) => {
      const slot = unsignedAt(params, 0, 'slot');
      const config = blockConfig(params);
      requireAtLeastConfirmed(config);
      const encoding = enumOf<TransactionEncoding>(
        config,
        'encoding',
        ['json', 'jsonParsed', 'base64', 'base58'],
        'json',
      );
      const details = enumOf<TransactionDetails>(
        config,
        'transactionDetails',
        ['full', 'accounts', 'signatures', 'none'],
        'full',
      );
      const maxVersion = config.maxSupportedTransactionVersion;
      requireProducedSlot(slot);
      const block: Record<string, unknown> = {
        blockHeight: slot,
        blockTime: core.clock.blockTime(slot),
        blockhash: core.blockhashes.hashOf(slot),
        parentSlot: Math.max(0, slot - 1),
        previousBlockhash: core.blockhashes.previousHashOf(slot),
      };
      const signatures = core.ledger.signaturesInSlot(slot);
      if (details === 'signatures') block.signatures = [...signatures];
      if (details === 'full' || details === 'accounts') {
        block.transactions = signatures.map((signature) => {
          const record = core.ledger.get(signature);
          if (!record) throw new RpcError(-32603, 'Internal error');
          if (record.version === 0 && (maxVersion === undefined || maxVersion === null))
            throw unsupportedVersionError();
          return encodeTransactionWithMeta(
            core.parsed(record),
            record,
            encoding,
            maxVersion !== undefined && maxVersion !== null,
            details,
          );
        });
      }
      if (config.rewards !== false) block.rewards = [];
      return block;
    },

    getMinimumBalanceForRentExemption: (params) => {
      const length = unsignedAt(params, 0, 'data length');
      if (length > 10 * 1024 * 1024)
        throw invalidParams('Invalid params: data length exceeds the maximum account size');
      commitmentOf(configAt(params, 1));
      return Number(core.bank.minimumBalanceForRentExemption(length));
    },
    getFeeForMessage: (params) => {
      const encoded = stringAt(params, 0, 'message');
      const config = configAt(params, 1);
      commitmentOf(config);
      checkMinContextSlot(config, core.slot);
      let message: ParsedMessage;
      try {
        message = parseMessage(new Uint8Array(Buffer.from(encoded, 'base64')));
      } catch (error) {
        if (error instanceof WireFormatError) throw invalidParams(`invalid message: ${error.message}`);
        throw error;
      }
      // Like mainnet: null when the message's blockhash is no longer (or never was) valid.
      const fee = core.isBlockhashValid(message.recentBlockhash) ? feeForMessage(message) : null;
      return withContext(core.slot, fee);
    },
    getFeeCalculatorForBlockhash: (params) => {
      const blockhash = stringAt(params, 0, 'blockhash');
      const valid = core.isBlockhashValid(blockhash);
      return withContext(
        core.slot,
        valid ? { feeCalculator: { lamportsPerSignature: LAMPORTS_PER_SIGNATURE } } : null,
      );
    },
    getClusterNodes: () => [
      {
        pubkey: identity,
        gossip: null,
        tpu: null,
        rpc: null,
        version: API_VERSION,
        featureSet: 0,
        shredVersion: 0,
      },
    ],
  };
}
