/** The demo makes wallets and moves value: only on a development stack and the local chain. */
import type { Config } from '../../config';
import { localRpcUrl } from '../../chain/local-keys';
import { DemoError } from './context';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/** The local chain's RPC URL; a DemoError with NODE_ENV=production or a non-local RPC_URL. */
export function localChainOnly(config: Pick<Config, 'isProduction' | 'solana'>): string {
  if (config.isProduction)
    throw new DemoError('the demo is for a local stack; refused with NODE_ENV=production');
  const rpcUrl = localRpcUrl(config);
  if (!LOOPBACK.includes(new URL(rpcUrl).hostname))
    throw new DemoError(`the demo runs on the local chain only; RPC_URL ${rpcUrl} is not local`);
  return rpcUrl;
}
