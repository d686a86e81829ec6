/** The draw proof and the in-browser verification (the same fair-draw module the workflow uses). */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CheckCircle2Icon, XCircleIcon } from 'lucide-react';
import type { Schemas } from '@/api/client';
import { queries } from '@/api/queries';
import { Facts, Section } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { checkPublicProof, type ProofCheck } from '@/lib/proof';

export function ProofPanel({ round }: { round: Schemas['AdminLotteryRound'] }) {
  if (!round.drawnAt) {
    return (
      <Section title="Draw proof">
        <Empty>The proof is published when the round is drawn (status now: {round.status}).</Empty>
      </Section>
    );
  }
  return <DrawnProof roundId={round.id} />;
}

function DrawnProof({ roundId }: { roundId: string }) {
  const proof = useQuery(queries.proof(roundId));
  const [check, setCheck] = useState<ProofCheck | null>(null);
  return (
    <Section
      title="Draw proof"
      description="Public data anyone can recompute the winner from (GET /api/v1/lottery/rounds/:id/proof)."
      actions={
        <Button disabled={!proof.data} onClick={() => proof.data && setCheck(checkPublicProof(proof.data))}>
          Verify in this browser
        </Button>
      }
    >
      <QueryView query={proof}>
        {(p) => (
          <div className="flex flex-col gap-4">
            {check && (
              <div
                role="status"
                data-testid="proof-result"
                className={`flex flex-col gap-2 rounded-md border p-3 text-sm ${check.ok ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-red-300 bg-red-50 text-red-900'}`}
              >
                <p className="flex items-start gap-2 font-medium break-words">
                  {check.ok ? (
                    <CheckCircle2Icon className="size-4 shrink-0" aria-hidden />
                  ) : (
                    <XCircleIcon className="size-4 shrink-0" aria-hidden />
                  )}
                  <span className="min-w-0">{check.summary}</span>
                </p>
                <p className="flex flex-wrap gap-2">
                  {Object.entries(check.checks).map(([name, result]) => (
                    <Badge
                      key={name}
                      variant={
                        result === 'OK' ? 'success' : result === 'MISMATCH' ? 'destructive' : 'secondary'
                      }
                    >
                      {name}: {result}
                    </Badge>
                  ))}
                </p>
                <ul className="flex flex-col gap-1" data-testid="anchor-checks">
                  {check.anchorChecks.map((c) => (
                    <li key={c.name} className="break-words">
                      <Badge
                        variant={
                          c.result === 'OK'
                            ? 'success'
                            : c.result === 'MISMATCH'
                              ? 'destructive'
                              : 'secondary'
                        }
                      >
                        {c.name}: {c.result}
                      </Badge>{' '}
                      {c.detail}
                    </li>
                  ))}
                </ul>
                <p className="text-xs">
                  Chain lookups are skipped in the browser (NOT_CHECKED): run{' '}
                  <code>npm run verify-draw -- {roundId} --rpc URL</code> to check the memos, block times and
                  beacon on chain.
                </p>
              </div>
            )}
            <Facts
              items={[
                ['Algorithm', p.algorithm],
                ['Seed commitment', p.seedCommitment],
                ['Revealed seed', p.revealedSeed],
                ['Beacon', `${p.beaconBlockhash} (slot ${p.beaconSlot ?? '—'})`],
                ['Ticket digest', p.ticketDigest],
                [
                  'Commitment memo',
                  p.anchors?.commitMemo
                    ? `${p.anchors.commitMemo.signature} (slot ${p.anchors.commitMemo.slot})`
                    : 'not anchored',
                ],
                [
                  'Digest memo',
                  p.anchors?.digestMemo
                    ? `${p.anchors.digestMemo.signature} (slot ${p.anchors.digestMemo.slot})`
                    : 'not anchored',
                ],
                [
                  'Beacon rule',
                  p.anchors
                    ? `${p.anchors.beaconRule.name}: first ${p.anchors.beaconRule.commitment} block at or after digest memo slot + ${p.anchors.beaconRule.delaySlots ?? '—'}`
                    : '—',
                ],
                ['Tickets', `${p.ticketCount} (${p.tickets.length} listed in the proof)`],
                [
                  'Published winner',
                  p.winnerTicketNumber === null
                    ? '—'
                    : `#${p.winnerTicketNumber} at index ${p.winnerIndex}: ${p.winnerWallet}`,
                ],
              ]}
            />
          </div>
        )}
      </QueryView>
    </Section>
  );
}
