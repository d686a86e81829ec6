/**
 * `npm run verify-draw -- <roundId> [--api http://localhost:3000] [--rpc SOLANA_RPC_URL]`:
 * fetches the public proof of a drawn round and recomputes it from that data alone (seed
 * commitment, revealed seed, ordered ticket list → digest, beacon blockhash → winner). With
 * `--rpc` it also asks that Solana node for the block at the proof's beacon slot and checks
 * the blockhash is the chain's. Prints MATCH or MISMATCH with the reasons; exits 0 on MATCH,
 * 1 on MISMATCH, 2 when the proof (or the block) cannot be fetched.
 */
import { parseArgs } from 'node:util';
import { Connection } from '@solana/web3.js';
import { verifyDrawProof, type DrawProof, type DrawVerification } from '../domain/lottery/fair-draw';

export interface DrawCheckResult {
  verdict: 'MATCH' | 'MISMATCH';
  verification: DrawVerification;
  /** With an RPC URL: whether the beacon blockhash is the chain's block at the beacon slot. */
  beaconOnChain?: 'OK' | 'MISMATCH';
}

/** The verdict for a proof as `GET /api/v1/lottery/rounds/:id/proof` returns it. */
export function checkDrawProof(proof: DrawProof): DrawCheckResult {
  let verification: DrawVerification;
  try {
    verification = verifyDrawProof(proof);
  } catch (err) {
    verification = {
      ok: false,
      checks: { commitment: 'NOT_CHECKED', digest: 'NOT_CHECKED', winner: 'NOT_CHECKED' },
      winnerIndex: null,
      winnerTicketNumber: null,
      ticketDigest: null,
      problems: [`the proof is malformed: ${(err as Error).message}`],
    };
  }
  return { verdict: verification.ok ? 'MATCH' : 'MISMATCH', verification };
}

export async function fetchDrawProof(roundId: string, apiUrl: string): Promise<DrawProof> {
  const url = `${apiUrl.replace(/\/$/, '')}/api/v1/lottery/rounds/${encodeURIComponent(roundId)}/proof`;
  const res = await fetch(url);
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body as DrawProof;
}

/** The blockhash of the finalized block at `slot` on the node at `rpcUrl`. */
async function blockhashAt(rpcUrl: string, slot: number): Promise<string> {
  const block = await new Connection(rpcUrl, 'finalized').getBlock(slot, {
    commitment: 'finalized',
    maxSupportedTransactionVersion: 0,
    transactionDetails: 'none',
    rewards: false,
  });
  if (!block) throw new Error(`${rpcUrl} has no finalized block at slot ${slot}`);
  return block.blockhash;
}

/** The proof's own check, then (given an RPC URL) its beacon against the chain. */
export async function checkDrawProofOnChain(proof: DrawProof, rpcUrl: string): Promise<DrawCheckResult> {
  const result = checkDrawProof(proof);
  const chainHash = await blockhashAt(rpcUrl, proof.beaconSlot);
  if (chainHash === proof.beaconBlockhash) return { ...result, beaconOnChain: 'OK' };
  return {
    verdict: 'MISMATCH',
    beaconOnChain: 'MISMATCH',
    verification: {
      ...result.verification,
      ok: false,
      problems: [
        ...result.verification.problems,
        `the beacon blockhash ${proof.beaconBlockhash} is not the chain's block at slot ${proof.beaconSlot} (${chainHash})`,
      ],
    },
  };
}

/** Fetches and checks; the function the CLI and its test share. */
export async function verifyDrawFromApi(
  roundId: string,
  apiUrl: string,
  rpcUrl?: string,
): Promise<DrawCheckResult> {
  const proof = await fetchDrawProof(roundId, apiUrl);
  return rpcUrl ? checkDrawProofOnChain(proof, rpcUrl) : checkDrawProof(proof);
}

function formatResult(roundId: string, result: DrawCheckResult): string {
  const v = result.verification;
  const lines = [
    `${result.verdict} round ${roundId}`,
    `  commitment: ${v.checks.commitment}  digest: ${v.checks.digest}  winner: ${v.checks.winner}` +
      `  beacon on chain: ${result.beaconOnChain ?? 'not checked (no --rpc)'}`,
    `  recomputed winner index ${String(v.winnerIndex)}, ticket ${String(v.winnerTicketNumber)}`,
    ...v.problems.map((p) => `  - ${p}`),
  ];
  return lines.join('\n');
}

const parseCliArgs = () =>
  parseArgs({ options: { api: { type: 'string' }, rpc: { type: 'string' } }, allowPositionals: true });

async function main(): Promise<void> {
  const usage = 'usage: npm run verify-draw -- <roundId> [--api URL] [--rpc SOLANA_RPC_URL]';
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs();
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = args;
  const api = values.api ?? process.env.APP_URL ?? 'http://localhost:3000';
  const [roundId] = positionals;
  if (!roundId || positionals.length > 1) {
    console.error(usage);
    process.exit(2);
  }
  try {
    const result = await verifyDrawFromApi(roundId, api, values.rpc);
    console.log(formatResult(roundId, result));
    process.exit(result.verdict === 'MATCH' ? 0 : 1);
  } catch (err) {
    console.error(`could not verify round ${roundId}: ${(err as Error).message}`);
    process.exit(2);
  }
}

if (require.main === module) void main();
