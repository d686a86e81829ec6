/**
 * Sign-In-With-Solana messages in the wallet-standard text layout (the same text Phantom
 * and other wallets render for `signIn`), built and parsed without I/O.
 */
export interface SiwsFields {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  version: '1';
  chainId: string;
  nonce: string;
  issuedAt: string;
  expirationTime: string;
}

export function buildSiwsMessage(f: SiwsFields): string {
  return [
    `${f.domain} wants you to sign in with your Solana account:`,
    f.address,
    '',
    f.statement,
    '',
    `URI: ${f.uri}`,
    `Version: ${f.version}`,
    `Chain ID: ${f.chainId}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${f.issuedAt}`,
    `Expiration Time: ${f.expirationTime}`,
  ].join('\n');
}

/** The nonce of a message we could have issued, or undefined if the text has none. */
export function siwsNonce(message: string): string | undefined {
  return /\nNonce: ([A-Za-z0-9]{8,64})\n/.exec(message)?.[1];
}
