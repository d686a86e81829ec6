/**
 * Solana pub/sub over the WebSocket: signature, slot, root and account subscriptions,
 * with agave's notification shapes. Signature subscriptions fire once and end, as on mainnet.
 */
import bs58 from 'bs58';
import type { LocalChainCore } from './chain';
import { FINALIZATION_DEPTH } from './clock';
import { encodeAccount, allAccountKeys, type AccountEncoding } from './encoding';
import {
  RPC_INVALID_PARAMS,
  RPC_INVALID_REQUEST,
  RPC_METHOD_NOT_FOUND,
  RPC_PARSE_ERROR,
  RpcError,
} from './errors';
import type { TransactionRecord } from './ledger';
import { commitmentOf, configAt, enumOf, pubkeyAt, signatureString, type RpcParams } from './params';
import type { WsConnection, WsHandler } from './ws-server';

interface SignatureSub {
  id: number;
  connection: WsConnection;
  signature: string;
  finalized: boolean;
}

interface AccountSub {
  id: number;
  connection: WsConnection;
  address: string;
  encoding: AccountEncoding;
}

type Sub =
  | { kind: 'signature'; sub: SignatureSub }
  | { kind: 'account'; sub: AccountSub }
  | { kind: 'slot' | 'root'; id: number; connection: WsConnection };

export class PubSub implements WsHandler {
  private nextId = 1;
  private readonly subs = new Map<number, Sub>();
  private readonly bySignature = new Map<string, Set<SignatureSub>>();
  /** Landed, waiting for FINALIZATION_DEPTH slots: id → slot of the transaction. */
  private readonly awaitingFinality = new Map<
    number,
    { sub: SignatureSub; slot: number; record: TransactionRecord }
  >();
  private readonly byAccount = new Map<string, Set<AccountSub>>();

  constructor(private readonly core: LocalChainCore) {
    core.addListener({
      onTransaction: (record) => this.transactionLanded(record),
      onSlots: (from, to) => this.slotsAdvanced(from, to),
    });
  }

  onMessage(connection: WsConnection, text: string): void {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      return connection.send(errorText(null, RPC_PARSE_ERROR, 'Parse error'));
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return connection.send(errorText(null, RPC_INVALID_REQUEST, 'Invalid request'));
    }
    const { method, params, id } = request as Record<string, unknown>;
    if (id === undefined) return; // notifications, e.g. web3.js's keep-alive "ping"
    const requestId = typeof id === 'string' || typeof id === 'number' ? id : null;
    const list: RpcParams = Array.isArray(params) ? params : [];
    try {
      this.core.sync();
      const after: (() => void)[] = [];
      const result = this.call(connection, String(method), list, after);
      connection.send(
        `{"jsonrpc":"2.0","result":${JSON.stringify(result)},"id":${JSON.stringify(requestId)}}`,
      );
      // Only after the client knows the subscription id can a notification be matched to it.
      for (const task of after) task();
    } catch (error) {
      const rpcError = error instanceof RpcError ? error : new RpcError(-32603, 'Internal error');
      connection.send(errorText(requestId, rpcError.code, rpcError.message));
    }
  }

  onClose(connection: WsConnection): void {
    for (const [id, sub] of this.subs) {
      const owner = sub.kind === 'signature' || sub.kind === 'account' ? sub.sub.connection : sub.connection;
      if (owner === connection) this.unsubscribe(id);
    }
  }

  private call(connection: WsConnection, method: string, params: RpcParams, after: (() => void)[]): unknown {
    switch (method) {
      case 'signatureSubscribe': {
        const signature = signatureString(params[0]);
        const commitment = commitmentOf(configAt(params, 1));
        const sub: SignatureSub = {
          id: this.nextId++,
          connection,
          signature,
          finalized: commitment === 'finalized' || commitment === 'max' || commitment === 'root',
        };
        this.subs.set(sub.id, { kind: 'signature', sub });
        const existing = this.core.ledger.get(signature);
        if (existing) after.push(() => this.signatureLanded(sub, existing));
        else addTo(this.bySignature, signature, sub);
        return sub.id;
      }
      case 'accountSubscribe': {
        const { address } = pubkeyAt(params, 0);
        const encoding = enumOf(
          configAt(params, 1),
          'encoding',
          ['base58', 'base64', 'jsonParsed'] as const,
          'base64',
        );
        const sub: AccountSub = { id: this.nextId++, connection, address, encoding };
        this.subs.set(sub.id, { kind: 'account', sub });
        addTo(this.byAccount, address, sub);
        return sub.id;
      }
      case 'slotSubscribe':
      case 'rootSubscribe': {
        const id = this.nextId++;
        this.subs.set(id, { kind: method === 'slotSubscribe' ? 'slot' : 'root', id, connection });
        return id;
      }
      case 'signatureUnsubscribe':
      case 'accountUnsubscribe':
      case 'slotUnsubscribe':
      case 'rootUnsubscribe': {
        const id = params[0];
        if (typeof id !== 'number') throw new RpcError(RPC_INVALID_PARAMS, 'Invalid params: subscription id');
        if (!this.subs.has(id)) throw new RpcError(RPC_INVALID_PARAMS, 'Invalid subscription id.');
        this.unsubscribe(id);
        return true;
      }
      default:
        throw new RpcError(RPC_METHOD_NOT_FOUND, 'Method not found');
    }
  }

  private unsubscribe(id: number): void {
    const sub = this.subs.get(id);
    if (!sub) return;
    this.subs.delete(id);
    this.awaitingFinality.delete(id);
    if (sub.kind === 'signature') removeFrom(this.bySignature, sub.sub.signature, sub.sub);
    if (sub.kind === 'account') removeFrom(this.byAccount, sub.sub.address, sub.sub);
  }

  private transactionLanded(record: TransactionRecord): void {
    const waiting = this.bySignature.get(record.signature);
    if (waiting) {
      this.bySignature.delete(record.signature);
      for (const sub of waiting) this.signatureLanded(sub, record);
    }
    if (this.byAccount.size > 0) {
      const keys = allAccountKeys(this.core.parsed(record), record);
      for (const key of keys) {
        const subs = this.byAccount.get(key);
        if (subs) for (const sub of subs) this.notifyAccount(sub, record.slot);
      }
    }
  }

  private signatureLanded(sub: SignatureSub, record: TransactionRecord): void {
    if (sub.finalized && this.core.slot - record.slot < FINALIZATION_DEPTH) {
      this.awaitingFinality.set(sub.id, { sub, slot: record.slot, record });
      return;
    }
    this.notifySignature(sub, record);
  }

  private notifySignature(sub: SignatureSub, record: TransactionRecord): void {
    this.subs.delete(sub.id);
    this.awaitingFinality.delete(sub.id);
    sub.connection.send(
      notification('signatureNotification', sub.id, {
        context: { slot: this.core.slot },
        value: { err: record.err },
      }),
    );
  }

  private notifyAccount(sub: AccountSub, slot: number): void {
    const account = this.core.bank.account(bs58.decode(sub.address));
    const value =
      account && account.lamports() > 0n
        ? encodeAccount(account, sub.encoding, undefined, (mint) => this.core.bank.mintDecimals(mint))
        : {
            data: ['', 'base64'],
            executable: false,
            lamports: 0,
            owner: '11111111111111111111111111111111',
            rentEpoch: 0,
            space: 0,
          };
    sub.connection.send(notification('accountNotification', sub.id, { context: { slot }, value }));
  }

  private slotsAdvanced(from: number, to: number): void {
    for (const [, waiting] of this.awaitingFinality) {
      if (to - waiting.slot >= FINALIZATION_DEPTH) this.notifySignature(waiting.sub, waiting.record);
    }
    for (const [id, sub] of this.subs) {
      if (sub.kind === 'slot')
        sub.connection.send(
          notification('slotNotification', id, {
            parent: Math.max(0, to - 1),
            root: Math.max(0, to - FINALIZATION_DEPTH),
            slot: to,
          }),
        );
      else if (
        sub.kind === 'root' &&
        to - FINALIZATION_DEPTH > from - FINALIZATION_DEPTH &&
        to >= FINALIZATION_DEPTH
      ) {
        sub.connection.send(notification('rootNotification', id, to - FINALIZATION_DEPTH));
      }
    }
  }
}

function notification(method: string, subscription: number, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params: { result, subscription } });
}

function errorText(id: string | number | null, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
