/**
 * Sign-in with a browser wallet (Phantom-style provider, as Phantom, Solflare and
 * wallet-standard adapters inject it): connect, sign the API's Sign-In-With-Solana challenge
 * with `signMessage`, and trade the signature for a token — the same flow as the API's
 * README section "Signing in with a wallet".
 */
import bs58 from 'bs58';
import { api, unwrap } from '@/api/client';

export interface SolanaProvider {
  connect(): Promise<{ publicKey: { toString(): string } }>;
  signMessage(message: Uint8Array, display?: 'utf8'): Promise<{ signature: Uint8Array }>;
  disconnect?(): Promise<void>;
}

declare global {
  interface Window {
    solana?: SolanaProvider;
    phantom?: { solana?: SolanaProvider };
  }
}

export const findWallet = (): SolanaProvider | undefined => window.phantom?.solana ?? window.solana;

/** Runs the challenge flow with the wallet; returns the bearer token. */
export async function signInWithWallet(wallet: SolanaProvider): Promise<string> {
  const { publicKey } = await wallet.connect();
  const walletAddress = publicKey.toString();
  const { challenge } = await unwrap(api.POST('/api/v1/auth/request-challenge', { body: { walletAddress } }));
  const { signature } = await wallet.signMessage(new TextEncoder().encode(challenge), 'utf8');
  const { token } = await unwrap(
    api.POST('/api/v1/auth/verify-signature', {
      body: { walletAddress, challenge, signature: bs58.encode(signature) },
    }),
  );
  return token;
}
