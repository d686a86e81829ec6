/**
 * The command line every public verifier takes: `<subject> [--api URL] [--rpc SOLANA_RPC_URL]`
 * (`npm run verify-draw`, `npm run verify-distribution`). Bad arguments print the usage and
 * exit 2, the verifiers' "could not verify" code.
 */
import { parseArgs } from 'node:util';

export interface VerifierArgs {
  /** The round id or month to verify. */
  subject: string;
  /** Our API's base URL (--api, else APP_URL, else the local default). */
  api: string;
  /** A Solana RPC URL for the chain checks (--rpc); none = the proof's own checks only. */
  rpc: string | undefined;
}

export function verifierArgs(command: string, subjectName: string): VerifierArgs {
  const usage = `usage: npm run ${command} -- <${subjectName}> [--api URL] [--rpc SOLANA_RPC_URL]`;
  let parsed;
  try {
    parsed = parseArgs({
      options: { api: { type: 'string' }, rpc: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  const [subject] = positionals;
  if (!subject || positionals.length > 1) {
    console.error(usage);
    process.exit(2);
  }
  return { subject, api: values.api ?? process.env.APP_URL ?? 'http://localhost:3000', rpc: values.rpc };
}
