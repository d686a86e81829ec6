/** The frame both reconciliation panels (round, month) share: the verdict and the refresh button. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { CheckCircle2Icon, RefreshCwIcon, XCircleIcon } from 'lucide-react';
import { Section } from '@/components/page';
import { QueryView } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

/** A "Reconciliation" section: its arithmetic, the verdict once loaded, "Check again", the body. */
export function ReconciliationSection<T extends { balanced: boolean }>({
  description,
  query,
  children,
}: {
  description: string;
  query: UseQueryResult<T, Error>;
  children: (data: T) => ReactNode;
}) {
  return (
    <Section
      title="Reconciliation"
      description={description}
      actions={
        <>
          {query.data && <BalanceBadge balanced={query.data.balanced} testId="reconciliation-verdict" />}
          <RecheckButton busy={query.isFetching} onClick={() => void query.refetch()} />
        </>
      }
    >
      <QueryView query={query}>{children}</QueryView>
    </Section>
  );
}

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
function RecheckButton({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  return (
    <Button variant="outline" size="sm" disabled={busy} onClick={onClick}>
      <RefreshCwIcon aria-hidden /> {busy ? 'Checking…' : 'Check again'}
    </Button>
  );
}
