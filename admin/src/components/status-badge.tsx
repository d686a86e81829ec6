import { Badge, type BadgeVariant } from '@/components/ui/badge';

/** Every business status of the system, coloured by what it asks of an admin. */
const VARIANT: Record<string, BadgeVariant> = {
  // lottery
  scheduled: 'secondary',
  active: 'success',
  closing: 'warning',
  drawing: 'warning',
  completed: 'info',
  cancelled: 'destructive',
  // receipts, claims, e-mails
  accepted: 'success',
  pending: 'warning',
  sending: 'warning',
  owed: 'warning',
  late: 'destructive',
  rejected: 'destructive',
  paid: 'success',
  claimed: 'info',
  unclaimed: 'secondary',
  sent: 'success',
  failed: 'destructive',
  suppressed: 'secondary',
  // revenue
  draft: 'secondary',
  snapshotting: 'warning',
  awaiting_approval: 'warning',
  open: 'success',
  closed: 'info',
  // utility
  pending_review: 'warning',
  needs_info: 'warning',
  approved: 'info',
  in_progress: 'info',
  // health
  ok: 'success',
  down: 'destructive',
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <Badge variant="outline">unknown</Badge>;
  return <Badge variant={VARIANT[status] ?? 'outline'}>{status.replace(/_/g, ' ')}</Badge>;
}
