/**
 * What activities need from Solana, built once per process from config: the RPC connection
 * (and bare JSON-RPC over the same transport for the payout path's hot calls),
 * the commitment, the configured treasury and USDC mint, and the payout signer (read from
 * PAYER_KEY_FILE on first use, so processes that never pay out need no key file).
 */
import { inspect } from 'node:util';
import type { Connection } from '@solana/web3.js';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { chainError } from './errors';
import { PayerKey } from './payer-key';
import {
  createChainConnection,
  createChainRpc,
  rpcEndpoint,
  type RpcClient,
  type ChainCommitment,
  type RpcEndpoint,
  type RpcOptions,
} from './rpc';

export interface ChainDeps {
  connection: Connection;
  /** Bare JSON-RPC to the same endpoint (src/chain/signed-transaction.ts's hot calls). */
  rpc: RpcClient;
  /** Where the connection points, safe to log (no path, no query). */
  endpoint: Pick<RpcEndpoint, 'label' | 'local'>;
  commitment: ChainCommitment;
  /** TREASURY_WALLET, if configured. */
  treasury: string | undefined;
  usdcMint: string;
  /** TREASURY_HISTORY_MAX_SIGNATURES: how far back a treasury history fetch pages, per address. */
  treasuryHistoryMaxSignatures: number;
  /** The payout signer; throws a permanent PayerKeyUnavailable if PAYER_KEY_FILE is unset or unusable. */
  payer(): PayerKey;
}

export function createChainDeps(
  config: Pick<Config, 'solana'>,
  logger?: Pick<Logger, 'debug' | 'warn'>,
  rpcOptions: RpcOptions = {},
): ChainDeps {
  const endpoint = rpcEndpoint(config);
  let payer: PayerKey | undefined;
  // The connection holds the full RPC URL (perhaps with an API key): shown, deps say only where it points.
  const summary = () => ({
    rpc: endpoint.label,
    local: endpoint.local,
    commitment: config.solana.commitment,
    treasury: config.solana.treasuryWallet ?? null,
    usdcMint: config.solana.usdcMint,
  });
  return {
    connection: createChainConnection(config, { logger, ...rpcOptions }),
    rpc: createChainRpc(config, { logger, ...rpcOptions }),
    endpoint: { label: endpoint.label, local: endpoint.local },
    commitment: config.solana.commitment,
    treasury: config.solana.treasuryWallet,
    usdcMint: config.solana.usdcMint,
    treasuryHistoryMaxSignatures: config.solana.treasuryHistoryMaxSignatures,
    payer() {
      if (payer) return payer;
      const file = config.solana.payerKeyFile;
      if (!file)
        throw chainError('PayerKeyUnavailable', 'PAYER_KEY_FILE is not set: payouts cannot be signed');
      payer = PayerKey.fromFile(file);
      return payer;
    },
    toJSON: summary,
    [inspect.custom]: () => `ChainDeps ${inspect(summary())}`,
  } as ChainDeps;
}
