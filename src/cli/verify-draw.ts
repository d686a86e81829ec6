/**
 * `npm run verify-draw -- <roundId> [--api http://localhost:3000]`: fetches the public proof
 * of a drawn round and recomputes it from that data alone (seed commitment, revealed seed,
 * ordered ticket list → digest, beacon blockhash → winner). Prints MATCH or MISMATCH with
 * the reasons; exits 0 on MATCH, 1 on MISMATCH, 2 when the proof cannot be fetched.
 */
import { verifyDrawProof, type DrawProof, type DrawVerification } from '../domain/lottery/fair-draw';

export interface DrawCheckResult {
  verdict: 'MATCH' | 'MISMATCH';
  verification: DrawVerification;
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

/** Fetches and checks; the function the CLI and its test share. */
export async function verifyDrawFromApi(roundId: string, apiUrl: string): Promise<DrawCheckResult> {
  return checkDrawProof(await fetchDrawProof(roundId, apiUrl));
}

function formatResult(roundId: string, result: DrawCheckResult): string {
  const v = result.verification;
  const lines = [
    `${result.verdict} round ${roundId}`,
    `  commitment: ${v.checks.commitment}  digest: ${v.checks.digest}  winner: ${v.checks.winner}`,
    `  recomputed winner index ${String(v.winnerIndex)}, ticket ${String(v.winnerTicketNumber)}`,
    ...v.problems.map((p) => `  - ${p}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const apiAt = args.indexOf('--api');
  const api = apiAt >= 0 ? args[apiAt + 1] : (process.env.APP_URL ?? 'http://localhost:3000');
  const roundId = args.find((a, i) => !a.startsWith('--') && (apiAt < 0 || i !== apiAt + 1));
  if (!roundId || !api) {
    console.error('usage: npm run verify-draw -- <roundId> [--api URL]');
    process.exit(2);
  }
  try {
    const result = await verifyDrawFromApi(roundId, api);
    console.log(formatResult(roundId, result));
    process.exit(result.verdict === 'MATCH' ? 0 : 1);
  } catch (err) {
    console.error(`could not verify round ${roundId}: ${(err as Error).message}`);
    process.exit(2);
  }
}

if (require.main === module) void main();
