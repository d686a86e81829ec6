/** The JSON-RPC method table served by the local chain. */
import type { LocalChainCore } from './chain';
import { accountMethods } from './methods-accounts';
import { chainMethods } from './methods-chain';
import { historyMethods } from './methods-history';
import { transactionMethods } from './methods-transactions';
import type { MethodTable, RpcMethod } from './rpc-server';

export function buildMethodTable(core: LocalChainCore): MethodTable {
  const methods: Record<string, RpcMethod> = {
    ...chainMethods(core, core.faucet.address),
    ...accountMethods(core),
    ...transactionMethods(core),
    ...historyMethods(core),
  };
  return new Map(Object.entries(methods));
}
