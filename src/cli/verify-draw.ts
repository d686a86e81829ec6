/**
 * `npm run verify-draw -- <roundId> [--api http://localhost:3000] [--rpc SOLANA_RPC_URL]`:
 * fetches the public proof of a drawn round and recomputes it from that data alone (seed
 * commitment, revealed seed, ordered ticket list → digest, beacon blockhash → winner). With
 * `--rpc` it needs nothing more from us: it reads both anchor memos from that Solana node
 * (text, slot, block time), checks the commitment memo is before the sales window it states,
 * the digest memo precedes the beacon, and the beacon is the rule's block (first finalized
 * block at or after digest slot + the delay the memo names) with the chain's blockhash.
 * Prints every check, then MATCH or MISMATCH naming the failed checks; exits 0 on MATCH,
 * 1 on MISMATCH, 2 when the proof (or the chain) cannot be read.
 */
import { Connection } from '@solana/web3.js';
import { beaconAtSlot } from '../chain/beacon';
import { isChainError } from '../chain/errors';
import { memosOfSigner, readMemo } from '../chain/memo';
import {
  beaconTargetSlot,
  memoFieldNamesRound,
  parseFreezeMemo,
  verifyAnchors,
  type AnchorChainFacts,
  type AnchorCheck,
  type DrawAnchors,
} from '../domain/lottery/anchors';
import { verifyDrawProof, type DrawProof, type DrawVerification } from '../domain/lottery/fair-draw';
import { verifierArgs } from './verifier-args';

/** A proof as the API serves it: the draw plus (since issue 19) its anchors and sales window. */
export type PublicDrawProof = DrawProof & { anchors?: DrawAnchors | null; startDate?: string };

/** One printed check: the draw's own three, then the anchors'. */
export interface NamedCheck {
  name: string;
  result: 'OK' | 'MISMATCH' | 'NOT_CHECKED';
  detail: string;
}

export interface DrawCheckResult {
  verdict: 'MATCH' | 'MISMATCH';
  verification: DrawVerification;
  /** With an RPC URL: whether the beacon blockhash is the chain's block at the beacon slot. */
  beaconOnChain?: 'OK' | 'MISMATCH';
  /** Every check in print order (anchor checks only for a proof that carries `anchors`). */
  checks: NamedCheck[];
  /** The names of the MISMATCH checks. */
  failed: string[];
}

function drawChecks(v: DrawVerification): NamedCheck[] {
  const detail = (result: string, ok: string) => (result === 'OK' ? ok : v.problems.join('; '));
  return [
    {
      name: 'seed hashes to the commitment',
      result: v.checks.commitment,
      detail: detail(v.checks.commitment, 'SHA-256(revealed seed) = commitment'),
    },
    {
      name: 'tickets hash to the digest',
      result: v.checks.digest,
      detail: detail(v.checks.digest, `digest ${String(v.ticketDigest)}`),
    },
    {
      name: 'winner recomputes',
      result: v.checks.winner,
      detail: detail(
        v.checks.winner,
        `index ${String(v.winnerIndex)}, ticket ${String(v.winnerTicketNumber)}`,
      ),
    },
  ];
}

function resultOf(
  verification: DrawVerification,
  anchorChecks: AnchorCheck[] | null,
  beaconOnChain?: 'OK' | 'MISMATCH',
): DrawCheckResult {
  const checks = [...drawChecks(verification), ...(anchorChecks ?? [])];
  const failed = checks.filter((c) => c.result === 'MISMATCH').map((c) => c.name);
  if (beaconOnChain === 'MISMATCH' && !failed.includes('beacon blockhash on chain'))
    failed.push('beacon blockhash on chain');
  const ok = verification.ok && failed.length === 0;
  return {
    verdict: ok ? 'MATCH' : 'MISMATCH',
    verification,
    ...(beaconOnChain ? { beaconOnChain } : {}),
    checks,
    failed,
  };
}

function verificationOf(proof: DrawProof): DrawVerification {
  try {
    return verifyDrawProof(proof);
  } catch (err) {
    return {
      ok: false,
      checks: { commitment: 'NOT_CHECKED', digest: 'NOT_CHECKED', winner: 'NOT_CHECKED' },
      winnerIndex: null,
      winnerTicketNumber: null,
      ticketDigest: null,
      problems: [`the proof is malformed: ${(err as Error).message}`],
    };
  }
}

/**
 * The verdict for a proof as `GET /api/v1/lottery/rounds/:id/proof` returns it, from the
 * proof alone: the anchors' chain parts are NOT_CHECKED (only `--rpc` can check them).
 */
export function checkDrawProof(proof: PublicDrawProof): DrawCheckResult {
  const anchorChecks = proof.anchors !== undefined ? verifyAnchors(proof) : null;
  return resultOf(verificationOf(proof), anchorChecks);
}

/** Reads both memos and the rule's beacon from the node; what it cannot find is null. */
async function anchorFacts(
  connection: Connection,
  anchors: DrawAnchors | null,
  roundId: string,
): Promise<AnchorChainFacts> {
  const memo = async (m: { signature: string } | null) => {
    if (!m) return null;
    const landed = await readMemo(connection, m.signature, 'finalized');
    return (
      landed && { slot: landed.slot, blockTime: landed.blockTime, texts: landed.texts, failed: landed.failed }
    );
  };
  const [commitMemo, digestMemo] = await Promise.all([
    memo(anchors?.commitMemo ?? null),
    memo(anchors?.digestMemo ?? null),
  ]);
  // The rule's target from the chain's own view of the digest memo (its slot and the delay it names).
  const freeze =
    digestMemo && anchors?.digestMemo && digestMemo.texts.includes(anchors.digestMemo.text)
      ? parseFreezeMemo(anchors.digestMemo.text)
      : null;
  let ruleBeacon: AnchorChainFacts['ruleBeacon'] = null;
  if (digestMemo && freeze) {
    try {
      const beacon = await beaconAtSlot(
        connection,
        beaconTargetSlot(digestMemo.slot, freeze.beaconDelaySlots),
      );
      ruleBeacon = { slot: beacon.slot, blockhash: beacon.blockhash };
    } catch (error) {
      if (!(isChainError(error) && error.code === 'BeaconNotReady')) throw error;
    }
  }
  const signer =
    commitMemo && anchors?.commitMemo
      ? (await readMemo(connection, anchors.commitMemo.signature))?.signers[0]
      : undefined;
  const anchorMemosOfRound =
    signer && roundId
      ? await memosOfSigner(connection, signer, (memo) => memoFieldNamesRound(memo, roundId))
      : [];
  return { commitMemo, digestMemo, ruleBeacon, anchorMemosOfRound };
}

export async function fetchDrawProof(roundId: string, apiUrl: string): Promise<PublicDrawProof> {
  const url = `${apiUrl.replace(/\/$/, '')}/api/v1/lottery/rounds/${encodeURIComponent(roundId)}/proof`;
  const res = await fetch(url);
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body as PublicDrawProof;
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
export async function checkDrawProofOnChain(
  proof: PublicDrawProof,
  rpcUrl: string,
): Promise<DrawCheckResult> {
  const verification = verificationOf(proof);
  const chainHash = await blockhashAt(rpcUrl, proof.beaconSlot);
  const beaconOnChain = chainHash === proof.beaconBlockhash ? 'OK' : 'MISMATCH';
  if (beaconOnChain === 'MISMATCH') {
    verification.ok = false;
    verification.problems.push(
      `the beacon blockhash ${proof.beaconBlockhash} is not the chain's block at slot ${proof.beaconSlot} (${chainHash})`,
    );
  }
  const anchors = proof.anchors;
  const anchorChecks =
    anchors !== undefined
      ? verifyAnchors(proof, await anchorFacts(new Connection(rpcUrl, 'finalized'), anchors, proof.roundId))
      : null;
  return resultOf(verification, anchorChecks, beaconOnChain);
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

/** Every check on its own line, then the verdict naming the failed checks. */
export function formatResult(roundId: string, result: DrawCheckResult): string {
  const v = result.verification;
  const lines = [
    `round ${roundId}`,
    ...result.checks.map((c) => `  ${c.result.padEnd(11)} ${c.name}: ${c.detail}`),
    ...(result.beaconOnChain === undefined ? ['  NOT_CHECKED beacon on chain: no --rpc'] : []),
    `  recomputed winner index ${String(v.winnerIndex)}, ticket ${String(v.winnerTicketNumber)}`,
    result.verdict === 'MATCH'
      ? 'MATCH'
      : `MISMATCH: ${result.failed.length > 0 ? result.failed.join(', ') : v.problems.join('; ')}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { subject: roundId, api, rpc } = verifierArgs('verify-draw', 'roundId');
  try {
    const result = await verifyDrawFromApi(roundId, api, rpc);
    console.log(formatResult(roundId, result));
    process.exit(result.verdict === 'MATCH' ? 0 : 1);
  } catch (err) {
    console.error(`could not verify round ${roundId}: ${(err as Error).message}`);
    process.exit(2);
  }
}

if (require.main === module) void main();
