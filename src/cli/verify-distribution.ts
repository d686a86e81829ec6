/**
 * `npm run verify-distribution -- <YYYY-MM> [--api http://localhost:3000] [--rpc SOLANA_RPC_URL]`:
 * fetches a month's public allocation and recomputes it from that data alone: total = Σ sources,
 * distribution = floor(total × share / 10 000), per-pass = floor(distribution / passes), dust,
 * every pass's amount, the canonical order, the SHA-256 digest and the memo text
 * (src/domain/revenue/allocation.ts). With `--rpc` it also reads that Solana node: the
 * distribution memo is on chain at its declared slot with exactly that text, and its signer
 * published no other distribution memo for the month; every paid claim is checked: passes are
 * grouped by payout signature (one payout may cover several passes of one wallet), and the
 * transaction, after the memo, must have moved exactly the sum of those passes' amounts from
 * the memo's signer (the payout wallet) to the snapshot owner. Prints each check with MATCH / MISMATCH and the verdict; exits 0 on MATCH, 1 on
 * MISMATCH, 2 when the allocation cannot be fetched.
 */
import type { Connection } from '@solana/web3.js';
import { memosOfSigner, readMemo } from '../chain/memo';
import { connectRpc } from '../chain/rpc';
import { treasuryPaymentsOf } from '../chain/treasury-payments';
import {
  DISTRIBUTION_MEMO_VERSION,
  verifyAllocation,
  type AllocationCheck,
  type PublishedAllocation,
} from '../domain/revenue/allocation';
import { verifierArgs } from './verifier-args';

/** Every check shown, by name; `ok: null` = not checked (with the reason in `detail`). */
export interface DistributionCheck {
  name: string;
  ok: boolean | null;
  detail: string;
}

export interface DistributionReport {
  month: string;
  verdict: 'MATCH' | 'MISMATCH';
  checks: DistributionCheck[];
}

export async function fetchAllocation(month: string, apiUrl: string): Promise<PublishedAllocation> {
  const url = `${apiUrl.replace(/\/$/, '')}/api/v1/revenue-pass/distributions/${encodeURIComponent(month)}/allocation`;
  const res = await fetch(url);
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body as PublishedAllocation;
}

interface PayoutGroup {
  signature: string;
  owners: Set<string>;
  passes: string[];
  expected: bigint;
}

/** Paid passes grouped by payout signature, in first-seen (canonical) order. */
function payoutGroups(allocation: PublishedAllocation): PayoutGroup[] {
  const groups = new Map<string, PayoutGroup>();
  for (const pass of allocation.passes) {
    if (pass.claimStatus !== 'paid') continue;
    const signature = pass.payoutSignature ?? '';
    const group = groups.get(signature) ?? { signature, owners: new Set(), passes: [], expected: 0n };
    group.owners.add(pass.owner);
    group.passes.push(pass.passMint);
    group.expected += BigInt(pass.amountBaseUnits);
    groups.set(signature, group);
  }
  return [...groups.values()];
}

/** What the chain shows of the month's distribution memo: its checks, and its signer and slot when it is there. */
interface MemoFacts {
  checks: DistributionCheck[];
  /** The memo's signer: the payout wallet, which must send every payout. */
  signer: string | null;
  slot: number | null;
}

/**
 * The distribution memo: on chain at the declared slot with exactly the declared text (which
 * `verifyAllocation` recomputed from the figures), and the only distribution memo its signer
 * published for the month, so the figures paid are the ones fixed at approval.
 */
async function checkMemoOnChain(connection: Connection, allocation: PublishedAllocation): Promise<MemoFacts> {
  const name = 'distribution memo on chain';
  const { memoSignature, memoSlot } = allocation;
  if (!memoSignature) {
    return {
      checks: [
        { name, ok: false, detail: 'the allocation names no memo transaction: the month was not anchored' },
      ],
      signer: null,
      slot: null,
    };
  }
  const landed = await readMemo(connection, memoSignature, 'confirmed');
  const problem = !landed
    ? `the chain does not know transaction ${memoSignature}`
    : landed.failed
      ? `transaction ${memoSignature} failed on chain`
      : landed.slot !== memoSlot
        ? `transaction ${memoSignature} is at slot ${landed.slot}, not the declared ${memoSlot}`
        : !landed.texts.includes(allocation.memo)
          ? `transaction ${memoSignature} says ${JSON.stringify(landed.texts.join(' | ').slice(0, 300))}, not the declared memo`
          : null;
  const signer = landed?.signers[0] ?? null;
  if (problem || !landed || !signer) {
    return { checks: [{ name, ok: false, detail: problem ?? 'no signer' }], signer: null, slot: null };
  }
  const tag = `${DISTRIBUTION_MEMO_VERSION} month=${allocation.month} `;
  const memos = await memosOfSigner(connection, signer, (field) => field.includes(tag));
  return {
    checks: [
      { name, ok: true, detail: `${memoSignature} at slot ${landed.slot}, signed by ${signer}` },
      {
        name: 'one distribution memo for the month',
        ok: memos.length === 1,
        detail:
          memos.length === 1
            ? `${signer} published one`
            : `${signer} published ${memos.length} distribution memos for ${allocation.month}: ${memos.join(', ')}`,
      },
    ],
    signer,
    slot: landed.slot,
  };
}

/**
 * One check per payout signature: the chain shows the owner received exactly the group's sum
 * from the transaction's signer, after the memo; and one that every payout came from the
 * payout wallet that signed the memo.
 */
async function checkPayoutsOnChain(
  connection: Connection,
  allocation: PublishedAllocation,
  memo: MemoFacts,
): Promise<DistributionCheck[]> {
  // A SOL month names no token: any valid key that is no mint stands in (no token transfer matches it).
  const usdcMint = allocation.tokenMint ?? '11111111111111111111111111111111';
  const checks: DistributionCheck[] = [];
  const senders = new Set<string>();
  for (const group of payoutGroups(allocation)) {
    const name = `payout ${group.signature || '(no signature)'} (${group.passes.length} pass${group.passes.length === 1 ? '' : 'es'})`;
    const [owner] = group.owners;
    if (!group.signature || owner === undefined) {
      checks.push({
        name,
        ok: false,
        detail: `paid passes without a payout signature: ${group.passes.join(', ')}`,
      });
      continue;
    }
    if (group.owners.size > 1) {
      checks.push({
        name,
        ok: false,
        detail: `one payout names several owners: ${[...group.owners].join(', ')}`,
      });
      continue;
    }
    try {
      const tx = await treasuryPaymentsOf(connection, group.signature, {
        treasury: owner,
        usdcMint,
        commitment: 'confirmed',
      });
      const sender = tx.feePayer;
      senders.add(sender);
      const received = tx.totals[allocation.currency].get(sender) ?? 0n;
      const beforeMemo = memo.slot !== null && tx.slot <= memo.slot;
      checks.push({
        name,
        ok: received === group.expected && !beforeMemo,
        detail:
          received !== group.expected
            ? `${owner} should have received ${group.expected} but the chain shows ${received} from ${sender}`
            : beforeMemo
              ? `paid at slot ${tx.slot}, not after the distribution memo (slot ${memo.slot})`
              : `${owner} received ${received} from ${sender}`,
      });
    } catch (err) {
      checks.push({
        name,
        ok: false,
        detail: `the chain does not show this payout: ${(err as Error).message}`,
      });
    }
  }
  const strangers = [...senders].filter((s) => s !== memo.signer);
  checks.push({
    name: 'every payout comes from the payout wallet that signed the memo',
    ok: memo.signer !== null ? strangers.length === 0 : senders.size <= 1,
    detail:
      senders.size === 0
        ? 'no paid claim yet'
        : memo.signer === null
          ? `no memo signer to compare with; payouts from ${[...senders].join(', ')}`
          : strangers.length === 0
            ? memo.signer
            : `payouts from ${strangers.join(', ')}, not ${memo.signer}`,
  });
  return checks;
}

/** The allocation's own checks and, given an RPC URL, its memo and payouts against the chain. */
export async function verifyDistribution(
  allocation: PublishedAllocation,
  rpcUrl?: string,
): Promise<DistributionReport> {
  const checks: DistributionCheck[] = verifyAllocation(allocation).map((c: AllocationCheck) => ({ ...c }));
  if (rpcUrl) {
    const connection = connectRpc(rpcUrl, { commitment: 'confirmed' });
    const memo = await checkMemoOnChain(connection, allocation);
    checks.push(...memo.checks, ...(await checkPayoutsOnChain(connection, allocation, memo)));
    checks.push({
      name: 'snapshot owners on chain at the snapshot slot',
      ok: null,
      detail:
        'not checked: JSON-RPC serves current accounts only, not their state at a past slot (an archive node or the ' +
        'pass transfers since the snapshot would be needed)',
    });
  } else {
    checks.push({ name: 'memo and payouts on chain', ok: null, detail: 'not checked (no --rpc)' });
  }
  const failed = checks.some((c) => c.ok === false);
  return { month: allocation.month, verdict: failed ? 'MISMATCH' : 'MATCH', checks };
}

export function formatReport(report: DistributionReport): string {
  const mark = (ok: boolean | null) => (ok === null ? 'SKIPPED ' : ok ? 'MATCH   ' : 'MISMATCH');
  const failed = report.checks.filter((c) => c.ok === false).map((c) => c.name);
  return [
    ...report.checks.map((c) => `${mark(c.ok)} ${c.name}: ${c.detail}`),
    failed.length === 0
      ? `${report.verdict} distribution ${report.month}`
      : `${report.verdict} distribution ${report.month}: failed ${failed.join('; ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { subject: month, api, rpc } = verifierArgs('verify-distribution', 'YYYY-MM');
  let allocation: PublishedAllocation;
  try {
    allocation = await fetchAllocation(month, api);
  } catch (err) {
    console.error(`could not fetch the ${month} allocation: ${(err as Error).message}`);
    process.exit(2);
  }
  const report = await verifyDistribution(allocation, rpc);
  console.log(formatReport(report));
  process.exit(report.verdict === 'MATCH' ? 0 : 1);
}

if (require.main === module) void main();
