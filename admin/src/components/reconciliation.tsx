/** The pieces both reconciliation panels (round, month) show: the verdict and the refresh button. */
import { CheckCircle2Icon, RefreshCwIcon, XCircleIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

/** BALANCED / UNBALANCED, as the API and `npm run reconcile` say it. */
export function BalanceBadge({ balanced, testId }: { balanced: boolean; testId?: string }) {
  return (
    <Badge variant={balanced ? 'success' : 'destructive'} data-testid={testId}>
      {balanced ? (
        <CheckCircle2Icon className="size-3" aria-hidden />
      ) : (
        <XCircleIcon className="size-3" aria-hidden />
      )}
      {balanced ? 'BALANCED' : 'UNBALANCED'}
    </Badge>
  );
}

/** Reconciliations read the chain: they refresh when asked, not on a timer. */
export function RecheckButton({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  return (
    <Button variant="outline" size="sm" disabled={busy} onClick={onClick}>
      <RefreshCwIcon aria-hidden /> {busy ? 'Checking…' : 'Check again'}
    </Button>
  );
}
