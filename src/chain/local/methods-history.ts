/**
 * getSignaturesForAddress: the signatures of landed transactions that name an address
 * (static keys and keys loaded from lookup tables, as agave indexes them), newest first,
 * paged with `before` / `until` and `limit`, in agave's result shape.
 */
import type { LocalChainCore } from './chain';
import { invalidParams } from './errors';
import { MEMO_PROGRAM_IDS } from './instruction-parser';
import type { TransactionRecord } from './ledger';
import { checkMinContextSlot, configAt, pubkeyAt, requireAtLeastConfirmed, signatureString } from './params';
import type { RpcMethod } from './rpc-server';

const MAX_LIMIT = 1000;

/**
 * Address → records in landing order, built lazily: a chain restored with many transactions
 * pays for the index only when someone asks for a history, then catches up on each query.
 */
class AddressHistory {
  private readonly byAddress = new Map<string, TransactionRecord[]>();
  private indexed = 0;

  constructor(private readonly core: LocalChainCore) {}

  of(address: string): readonly TransactionRecord[] {
    const fresh = this.core.ledger.recordsFrom(this.indexed);
    for (const record of fresh) {
      const tx = this.core.parsed(record);
      const keys = new Set([
        ...tx.message.accountKeys,
        ...record.loadedAddresses.writable,
        ...record.loadedAddresses.readonly,
      ]);
      for (const key of keys) {
        const list = this.byAddress.get(key);
        if (list) list.push(record);
        else this.byAddress.set(key, [record]);
      }
    }
    this.indexed += fresh.length;
    return this.byAddress.get(address) ?? [];
  }
}

/** agave's `memo` field: each top-level memo as "[<byte length>] <text>", joined by "; ". */
function memoOf(core: LocalChainCore, record: TransactionRecord): string | null {
  const tx = core.parsed(record);
  const memos = tx.message.instructions
    .filter((ix) => MEMO_PROGRAM_IDS.has(tx.message.accountKeys[ix.programIdIndex] ?? ''))
    .map((ix) => `[${ix.data.length}] ${Buffer.from(ix.data).toString('utf8')}`);
  return memos.length > 0 ? memos.join('; ') : null;
}

function limitOf(value: unknown): number {
  if (value === undefined || value === null) return MAX_LIMIT;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_LIMIT)
    throw invalidParams(`Invalid limit; max ${MAX_LIMIT}`);
  return value;
}

const optionalSignature = (value: unknown): string | null =>
  value === undefined || value === null ? null : signatureString(value);

/**
 * Where a newest-first walk starts: the end without `before`; just below it when it names
 * this address; below its slot when it is some other landed transaction; nowhere when the
 * chain does not know it.
 */
function startBelow(
  records: readonly TransactionRecord[],
  beforeRecord: TransactionRecord | null,
  before: string | null,
): number {
  if (before === null) return records.length - 1;
  if (!beforeRecord) return -1;
  for (let i = records.length - 1; i >= 0; i -= 1) {
    const record = records[i]!;
    if (record.signature === before) return i - 1;
    if (record.slot < beforeRecord.slot) return i;
  }
  return -1;
}

export function historyMethods(core: LocalChainCore): Record<string, RpcMethod> {
  const history = new AddressHistory(core);
  return {
    getSignaturesForAddress: (params) => {
      const address = pubkeyAt(params, 0).address;
      const config = configAt(params, 1);
      requireAtLeastConfirmed(config);
      checkMinContextSlot(config, core.slot);
      const limit = limitOf(config.limit);
      const before = optionalSignature(config.before);
      const until = optionalSignature(config.until);
      const records = history.of(address);
      const index = startBelow(records, before === null ? null : (core.ledger.get(before) ?? null), before);
      const stop = until === null ? null : (core.ledger.get(until) ?? null);
      const page: unknown[] = [];
      for (let i = index; i >= 0 && page.length < limit; i -= 1) {
        const record = records[i]!;
        if (stop && (record.signature === stop.signature || record.slot < stop.slot)) break;
        page.push({
          signature: record.signature,
          slot: record.slot,
          err: record.err,
          memo: memoOf(core, record),
          blockTime: record.blockTime,
          confirmationStatus: core.signatureStatus(record).confirmationStatus,
        });
      }
      return page;
    },
  };
}
