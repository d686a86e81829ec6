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
