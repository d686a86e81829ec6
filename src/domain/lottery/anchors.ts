/**
 * Anchored draws (issue 19): the fixed text formats of the memos that publish a round's seed
 * commitment (before sales open) and its ticket-set digest (at the freeze), and the rule that
 * fixes the beacon from the digest memo's slot. Pure: the chain and the database are elsewhere.
 *
 * Memo formats (UTF-8, one line, fields in this order, single spaces, no trailing space):
 *
 *   stoned-rabbits:lottery-commit:v1 round=<id> commitment=<64 hex> start=<ISO-8601 UTC>
 *       end=<ISO-8601 UTC> priceLamports=<integer> priceUsdc=<integer base units>
 *   stoned-rabbits:lottery-freeze:v1 round=<id> tickets=<integer> digest=<64 hex>
 *       beaconDelaySlots=<integer>
 *
 * (each shown on two lines here; on chain it is one). The freeze memo names the beacon delay
 * itself, so the rule's parameter is on chain before the beacon's block exists.
 *
 * Beacon rule `first-block-at-or-after-v1`: the beacon is the blockhash of the first produced
 * (finalized) block whose slot is at or after digestMemoSlot + beaconDelaySlots; skipped slots
 * have no block, so the next produced block is taken.
 */

export const COMMIT_MEMO_TAG = 'stoned-rabbits:lottery-commit:v1';
export const FREEZE_MEMO_TAG = 'stoned-rabbits:lottery-freeze:v1';
export const BEACON_RULE = 'first-block-at-or-after-v1';

export interface CommitMemo {
  roundId: string;
  seedCommitment: string;
  startDate: string;
  endDate: string;
  ticketPriceLamports: string;
  ticketPriceUsdc: string;
}

export interface FreezeMemo {
  roundId: string;
  ticketCount: number;
  ticketDigest: string;
  beaconDelaySlots: number;
}

/** Memo keys (chain_memos) of a round's two anchors. */
export const commitMemoKey = (roundId: string) => `lottery-commit:${roundId}`;
export const freezeMemoKey = (roundId: string) => `lottery-freeze:${roundId}`;

const ROUND_ID = /^[A-Za-z0-9_-]{1,50}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const UINT = /^(0|[1-9][0-9]{0,19})$/;

const iso = (value: string): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
};

function field(name: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new RangeError(`memo field ${name}: ${JSON.stringify(value)} is invalid`);
  return `${name}=${value}`;
}

/** The commitment memo's text. Throws RangeError on a field that does not fit the format. */
export function commitMemoText(memo: CommitMemo): string {
  return [
    COMMIT_MEMO_TAG,
    field('round', memo.roundId, ROUND_ID),
    field('commitment', memo.seedCommitment.toLowerCase(), HEX64),
    `start=${iso(memo.startDate)}`,
    `end=${iso(memo.endDate)}`,
    field('priceLamports', memo.ticketPriceLamports, UINT),
    field('priceUsdc', memo.ticketPriceUsdc, UINT),
  ].join(' ');
}

/** The freeze memo's text. Throws RangeError on a field that does not fit the format. */
export function freezeMemoText(memo: FreezeMemo): string {
  return [
    FREEZE_MEMO_TAG,
    field('round', memo.roundId, ROUND_ID),
    field('tickets', String(memo.ticketCount), UINT),
    field('digest', memo.ticketDigest.toLowerCase(), HEX64),
    field('beaconDelaySlots', String(memo.beaconDelaySlots), UINT),
  ].join(' ');
}

/** The `name=value` fields after `tag`, in order, or null when `text` is not that memo. */
function fieldsOf(text: string, tag: string, names: readonly string[]): Record<string, string> | null {
  const parts = text.split(' ');
  if (parts[0] !== tag || parts.length !== names.length + 1) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const [name, ...rest] = (parts[i + 1] ?? '').split('=');
    if (name === undefined || name !== names[i] || rest.length !== 1) return null;
    out[name] = rest[0] ?? '';
  }
  return out;
}

/** Whether an RPC `memo` field (agave: "[len] text; ...") carries an anchor memo of `roundId`. */
export const memoFieldNamesRound = (memoField: string, roundId: string): boolean =>
  memoField.includes(`${COMMIT_MEMO_TAG} round=${roundId} `) ||
  memoField.includes(`${FREEZE_MEMO_TAG} round=${roundId} `);

/** Parses a commitment memo; null when `text` is not one in the exact format above. */
export function parseCommitMemo(text: string): CommitMemo | null {
  const f = fieldsOf(text, COMMIT_MEMO_TAG, [
    'round',
    'commitment',
    'start',
    'end',
    'priceLamports',
    'priceUsdc',
  ]);
  if (!f) return null;
  const memo: CommitMemo = {
    roundId: f.round ?? '',
    seedCommitment: f.commitment ?? '',
    startDate: f.start ?? '',
    endDate: f.end ?? '',
    ticketPriceLamports: f.priceLamports ?? '',
    ticketPriceUsdc: f.priceUsdc ?? '',
  };
  try {
    return commitMemoText(memo) === text ? memo : null;
  } catch {
    return null;
  }
}

/** Parses a freeze memo; null when `text` is not one in the exact format above. */
export function parseFreezeMemo(text: string): FreezeMemo | null {
  const f = fieldsOf(text, FREEZE_MEMO_TAG, ['round', 'tickets', 'digest', 'beaconDelaySlots']);
  if (!f) return null;
  const memo: FreezeMemo = {
    roundId: f.round ?? '',
    ticketCount: Number(f.tickets),
    ticketDigest: f.digest ?? '',
    beaconDelaySlots: Number(f.beaconDelaySlots),
  };
  try {
    return freezeMemoText(memo) === text ? memo : null;
  } catch {
    return null;
  }
}

/**
 * When sales open (the rule `sales-open-after-commitment`): never before the commitment is on
 * chain. At the memo's requested start when that is after the memo's block time (unix
 * seconds, whole), else at the first whole second after the block time. Null when that is not
 * before the memo's end: the window passed before the commitment landed, nothing could be
 * sold, and the round is cancelled. The round's published startDate is this instant.
 */
export function salesOpenAt(
  memo: Pick<CommitMemo, 'startDate' | 'endDate'>,
  blockTime: number,
): string | null {
  const requested = Date.parse(memo.startDate);
  const landed = blockTime * 1000;
  const opens = requested > landed ? requested : landed + 1000;
  return opens < Date.parse(memo.endDate) ? new Date(opens).toISOString() : null;
}

/** The first slot the beacon may come from: the digest memo's slot + the delay. */
export const beaconTargetSlot = (digestMemoSlot: number, beaconDelaySlots: number): number =>
  digestMemoSlot + beaconDelaySlots;

/** The first of `producedSlots` (slots that have a block, any order) at or after `target`, or null. */
export function firstSlotAtOrAfter(producedSlots: readonly number[], target: number): number | null {
  let best: number | null = null;
  for (const slot of producedSlots) if (slot >= target && (best === null || slot < best)) best = slot;
  return best;
}

/** The rule's beacon slot among `producedSlots` (finalized slots with a block); null when none is produced yet. */
export const ruleBeaconSlot = (
  producedSlots: readonly number[],
  digestMemoSlot: number,
  beaconDelaySlots: number,
): number | null => firstSlotAtOrAfter(producedSlots, beaconTargetSlot(digestMemoSlot, beaconDelaySlots));

/** A published anchor as the proof shows it: where on chain, and the exact text. */
export interface ProofMemo {
  signature: string;
  slot: number;
  text: string;
}

/** The proof's anchoring section (`GET /lottery/rounds/:id/proof` → `anchors`). */
export interface DrawAnchors {
  commitMemo: ProofMemo | null;
  digestMemo: ProofMemo | null;
  beaconRule: { name: typeof BEACON_RULE; delaySlots: number | null; commitment: 'finalized' };
}

export type AnchorCheckName =
  | 'commitment memo on chain'
  | 'commitment memo before start'
  | 'digest memo on chain'
  | 'digest memo before beacon'
  | 'one commitment and one digest memo'
  | "beacon is the rule's slot"
  | 'beacon blockhash on chain';

export interface AnchorCheck {
  name: AnchorCheckName;
  result: 'OK' | 'MISMATCH' | 'NOT_CHECKED';
  detail: string;
}

/** A memo as the chain shows it (src/chain/memo.ts `readMemo`), or null when the chain does not know it. */
export interface ChainMemoFact {
  slot: number;
  /** Unix seconds. */
  blockTime: number | null;
  texts: readonly string[];
  failed: boolean;
}

/** What the verifier read from the chain; absent (the dashboard) → the chain parts are NOT_CHECKED. */
export interface AnchorChainFacts {
  commitMemo: ChainMemoFact | null;
  digestMemo: ChainMemoFact | null;
  /** The first finalized block at or after the rule's target slot, or null when there is none yet. */
  ruleBeacon: { slot: number; blockhash: string } | null;
  /**
   * Signatures of every landed transaction of the commitment memo's signer whose memo is a
   * commitment or freeze memo of this round: exactly the proof's two when the operator
   * committed once (several commitments before the start would let it pick a seed later).
   */
  anchorMemosOfRound: readonly string[];
}

/** The fields of a draw proof the anchor checks read. */
export interface AnchoredProof {
  roundId: string;
  seedCommitment: string;
  beaconSlot: number | null;
  beaconBlockhash: string;
  ticketDigest?: string;
  ticketCount?: number;
  startDate?: string;
  anchors?: DrawAnchors | null;
}

/**
 * The anchor checks of a draw proof (issue 19): both memos say what the proof says, the
 * commitment memo's block is before sales opened and the round's start is when the rule
 * opened them (`salesOpenAt`: the memo's start, or the second after the memo), the digest memo
 * precedes the beacon, and the beacon is the rule's block. With `chain` the memos are read
 * from the chain (their text, slot and block time there, not the proof's); without it only
 * what the proof itself states is checked, and the chain parts are NOT_CHECKED.
 */
export function verifyAnchors(proof: AnchoredProof, chain?: AnchorChainFacts): AnchorCheck[] {
  const anchors = proof.anchors ?? null;
  const checks: AnchorCheck[] = [];
  const add = (name: AnchorCheckName, result: AnchorCheck['result'], detail: string) =>
    checks.push({ name, result, detail });
  const missing = 'the proof publishes no such memo (the round was not anchored)';

  // Where the memo's text and slot come from: the chain when given, else the proof's word.
  const memoText = (proofMemo: ProofMemo | null, fact: ChainMemoFact | null | undefined) => {
    if (!proofMemo) return { text: null, problem: missing };
    if (!chain) return { text: proofMemo.text, problem: null };
    if (!fact) return { text: null, problem: `the chain does not know transaction ${proofMemo.signature}` };
    if (fact.failed) return { text: null, problem: `transaction ${proofMemo.signature} failed on chain` };
    if (fact.slot !== proofMemo.slot) {
      return {
        text: null,
        problem: `the memo is at slot ${fact.slot} on chain, not the proof's ${proofMemo.slot}`,
      };
    }
    const text = fact.texts.find((t) => t === proofMemo.text);
    return text
      ? { text, problem: null }
      : { text: null, problem: "the transaction carries no memo with the proof's text" };
  };
  const via = chain ? 'on chain' : 'in the proof (chain not checked)';

  // 1. The commitment memo names this round and this commitment.
  const commitProof = anchors?.commitMemo ?? null;
  const commitRead = memoText(commitProof, chain?.commitMemo);
  const commit = commitRead.text ? parseCommitMemo(commitRead.text) : null;
  if (commitRead.problem) add('commitment memo on chain', 'MISMATCH', commitRead.problem);
  else if (!commit) add('commitment memo on chain', 'MISMATCH', `not a ${COMMIT_MEMO_TAG} memo`);
  else if (commit.roundId !== proof.roundId) {
    add(
      'commitment memo on chain',
      'MISMATCH',
      `the memo names round ${commit.roundId}, not ${proof.roundId}`,
    );
  } else if (commit.seedCommitment !== String(proof.seedCommitment).toLowerCase()) {
    add(
      'commitment memo on chain',
      'MISMATCH',
      `the memo commits to ${commit.seedCommitment}, not the proof's ${proof.seedCommitment}`,
    );
  } else
    add(
      'commitment memo on chain',
      chain ? 'OK' : 'NOT_CHECKED',
      `round ${commit.roundId}, commitment ${commit.seedCommitment} ${via}`,
    );

  // 2. ... and its block is before sales opened: the round's start is the rule's (salesOpenAt),
  // the memo's requested start or, when the memo landed after it, the first second after it.
  const start = proof.startDate;
  const startName = 'commitment memo before start';
  if (!commit) add(startName, 'MISMATCH', 'no valid commitment memo');
  else if (!chain) {
    if (start !== undefined && Date.parse(start) < Date.parse(commit.startDate))
      add(startName, 'MISMATCH', `the round's start ${start} is before the memo's start ${commit.startDate}`);
    else add(startName, 'NOT_CHECKED', 'needs the block time from the chain');
  } else {
    const blockTime = chain.commitMemo?.blockTime ?? null;
    const opened = blockTime === null ? null : salesOpenAt(commit, blockTime);
    const landed = blockTime === null ? '' : new Date(blockTime * 1000).toISOString();
    const published = start ?? commit.startDate;
    if (blockTime === null) add(startName, 'MISMATCH', 'the chain gives no block time for the memo');
    else if (opened === null) {
      add(
        startName,
        'MISMATCH',
        `block time ${landed} leaves nothing of the window ending ${commit.endDate}`,
      );
    } else if (Date.parse(published) !== Date.parse(opened)) {
      const rule = `by the rule sales open at ${opened} (the memo asks ${commit.startDate})`;
      add(
        startName,
        'MISMATCH',
        blockTime * 1000 >= Date.parse(published)
          ? `block time ${landed} is not before start ${published}; ${rule}`
          : `start ${published} is not when sales opened: with the memo at ${landed}, ${rule}`,
      );
    } else {
      const moved =
        opened === commit.startDate
          ? ''
          : ` (the memo asked ${commit.startDate}: sales opened the second after it landed)`;
      add(startName, 'OK', `block time ${landed} < start ${opened}${moved}`);
    }
  }

  // 3. The digest memo names this round, this ticket count and digest.
  const digestProof = anchors?.digestMemo ?? null;
  const digestRead = memoText(digestProof, chain?.digestMemo);
  const freeze = digestRead.text ? parseFreezeMemo(digestRead.text) : null;
  if (digestRead.problem) add('digest memo on chain', 'MISMATCH', digestRead.problem);
  else if (!freeze) add('digest memo on chain', 'MISMATCH', `not a ${FREEZE_MEMO_TAG} memo`);
  else if (freeze.roundId !== proof.roundId) {
    add('digest memo on chain', 'MISMATCH', `the memo names round ${freeze.roundId}, not ${proof.roundId}`);
  } else if (
    proof.ticketDigest !== undefined &&
    freeze.ticketDigest !== String(proof.ticketDigest).toLowerCase()
  ) {
    add(
      'digest memo on chain',
      'MISMATCH',
      `the memo fixes digest ${freeze.ticketDigest}, not the proof's ${String(proof.ticketDigest)}`,
    );
  } else if (proof.ticketCount !== undefined && freeze.ticketCount !== proof.ticketCount) {
    add(
      'digest memo on chain',
      'MISMATCH',
      `the memo fixes ${freeze.ticketCount} tickets, not the proof's ${proof.ticketCount}`,
    );
  } else
    add(
      'digest memo on chain',
      chain ? 'OK' : 'NOT_CHECKED',
      `${freeze.ticketCount} tickets, digest ${freeze.ticketDigest} ${via}`,
    );

  // 4. The digest memo precedes the beacon.
  const digestSlot = digestProof?.slot ?? null;
  if (!freeze || digestSlot === null) add('digest memo before beacon', 'MISMATCH', 'no valid digest memo');
  else if (proof.beaconSlot === null || !(digestSlot < proof.beaconSlot)) {
    add(
      'digest memo before beacon',
      'MISMATCH',
      `the digest memo's slot ${digestSlot} is not before the beacon slot ${String(proof.beaconSlot)}`,
    );
  } else add('digest memo before beacon', 'OK', `slot ${digestSlot} < beacon slot ${proof.beaconSlot}`);

  // 4b. The signer published no other commitment or digest memo for this round.
  if (!chain)
    add('one commitment and one digest memo', 'NOT_CHECKED', "needs the signer's history from the chain");
  else {
    const named = new Set([commitProof?.signature, digestProof?.signature]);
    const others = chain.anchorMemosOfRound.filter((sig) => !named.has(sig));
    if (others.length > 0) {
      add(
        'one commitment and one digest memo',
        'MISMATCH',
        `the signer also published anchor memos for this round: ${others.join(', ')}`,
      );
    } else
      add(
        'one commitment and one digest memo',
        'OK',
        "no other anchor memo of this round in the signer's history",
      );
  }

  // 5. The beacon is the rule's block, with the delay the (on-chain) digest memo names.
  if (!freeze || digestSlot === null) add("beacon is the rule's slot", 'MISMATCH', 'no valid digest memo');
  else {
    const target = beaconTargetSlot(digestSlot, freeze.beaconDelaySlots);
    const rule = `first block at or after ${digestSlot} + ${freeze.beaconDelaySlots} = ${target}`;
    if (proof.beaconSlot === null || proof.beaconSlot < target) {
      add(
        "beacon is the rule's slot",
        'MISMATCH',
        `beacon slot ${String(proof.beaconSlot)} is before the rule's target: ${rule}`,
      );
    } else if (!chain)
      add("beacon is the rule's slot", 'NOT_CHECKED', `${rule}; which slots have blocks needs the chain`);
    else if (!chain.ruleBeacon)
      add(
        "beacon is the rule's slot",
        'MISMATCH',
        `the chain has no finalized block for the rule yet: ${rule}`,
      );
    else if (chain.ruleBeacon.slot !== proof.beaconSlot) {
      add(
        "beacon is the rule's slot",
        'MISMATCH',
        `the rule gives slot ${chain.ruleBeacon.slot} (${rule}), not the proof's ${proof.beaconSlot}`,
      );
    } else add("beacon is the rule's slot", 'OK', `slot ${proof.beaconSlot}: ${rule}`);
  }

  // 6. The beacon blockhash is the chain's block at the rule's slot.
  if (!chain) add('beacon blockhash on chain', 'NOT_CHECKED', 'needs the chain');
  else if (!chain.ruleBeacon) add('beacon blockhash on chain', 'MISMATCH', 'no block for the rule on chain');
  else if (chain.ruleBeacon.blockhash !== proof.beaconBlockhash) {
    add(
      'beacon blockhash on chain',
      'MISMATCH',
      `the chain's block at slot ${chain.ruleBeacon.slot} is ${chain.ruleBeacon.blockhash}, not ${proof.beaconBlockhash}`,
    );
  } else add('beacon blockhash on chain', 'OK', `${proof.beaconBlockhash} at slot ${chain.ruleBeacon.slot}`);

  return checks;
}
