/**
 * The business metrics (prom-client), each defined once here. Counters and histograms are
 * counted where the fact is decided, mostly in activities (the worker process), and live on
 * `businessRegistry`, which the worker serves on its business metrics port and the API merges
 * into its `/metrics`. Gauges that are facts of the database (refunds owed, the outbox, snapshot
 * progress) are read on scrape by `registerDatabaseGauges`, on the API only, so N workers do
 * not report the same fact N times.
 *
 * Labels are a closed, small vocabulary: kinds, outcomes, currencies, failure types. Never a
 * wallet, signature, round, month or key: those belong in logs and the Temporal UI. Counts
 * are at least once (an activity retried after its commit counts again); figures are floats
 * as Prometheus keeps them (observational, never money arithmetic).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const businessRegistry = new Registry();
const registers = [businessRegistry];

/** A failure type (PaymentTooSmall, AlreadyUsed, ...) as a label: anything not code-shaped is `other`. */
export function reasonLabel(code: string | null | undefined): string {
  if (!code) return 'none';
  return /^[A-Za-z][A-Za-z0-9]{0,47}$/.test(code) ? code : 'other';
}

/** Purchases and burn claims by how they were decided: accepted | late | rejected | refused. */
export const lotterySubmissions = new Counter({
  name: 'lottery_submissions_total',
  help: 'Purchases and burn claims decided, by kind (purchase|burn), outcome (accepted|late|rejected|refused) and reason (failure type or none)',
  labelNames: ['kind', 'outcome', 'reason'] as const,
  registers,
});

export const lotteryTicketsIssued = new Counter({
  name: 'lottery_tickets_issued_total',
  help: 'Lottery tickets issued, by method (purchase|burn) and currency (SOL|USDC|none)',
  labelNames: ['method', 'currency'] as const,
  registers,
});

export const lotteryDecisionSeconds = new Histogram({
  name: 'lottery_submission_decision_seconds',
  help: 'From a purchase or burn claim being submitted (its pending receipt) to its decision, by kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
  registers,
});

const payoutHelp = (what: string) => `Payouts ${what}, by kind (claim|prize|refund)`;
export const payoutsSent = new Counter({
  name: 'payouts_sent_total',
  help: payoutHelp(
    'transactions signed and stored to send (once per transaction; a re-signed expired one counts again)',
  ),
  labelNames: ['kind'] as const,
  registers,
});
export const payoutsConfirmed = new Counter({
  name: 'payouts_confirmed_total',
  help: payoutHelp('confirmed on chain (refunds paid are kind="refund")'),
  labelNames: ['kind'] as const,
  registers,
});
export const payoutsFailed = new Counter({
  name: 'payouts_failed_total',
  help: payoutHelp('failed for good (landed but failed)'),
  labelNames: ['kind'] as const,
  registers,
});

export const emailDeliveries = new Counter({
  name: 'email_deliveries_total',
  help: 'E-mail send attempts by outcome (accepted|retry|give_up)',
  labelNames: ['outcome'] as const,
  registers,
});

export const revenueSnapshotPasses = new Counter({
  name: 'revenue_snapshot_passes_total',
  help: 'Revenue Pass mints whose owner a snapshot resolved',
  registers,
});

/** Activity failures by activity and failure type: where workflow failures start. */
export const activityFailures = new Counter({
  name: 'activity_failures_total',
  help: 'Activity attempts that failed, by activity type and failure type (ApplicationFailure type, or the error name)',
  labelNames: ['activity', 'type'] as const,
  registers,
});

/** What the database gauges show; `src/db/metrics.ts` reads it. */
export interface DatabaseFacts {
  refundsOwed: { currency: string; count: number; baseUnits: number }[];
  emailsByStatus: { status: string; count: number }[];
  /** Age of the oldest e-mail not yet sent (pending or sending); 0 when none. */
  oldestUnsentEmailSeconds: number;
  snapshot: { inProgress: number; passesDone: number; passesListed: number };
}

/**
 * Registers the database-fact gauges on `registry`: one `read` per scrape (shared by the
 * gauges of that scrape), so a scrape costs one round of cheap aggregate queries.
 */
export function registerDatabaseGauges(registry: Registry, read: () => Promise<DatabaseFacts>): void {
  let current: { at: number; facts: Promise<DatabaseFacts | null> } | null = null;
  // A database that does not answer leaves these gauges out of the scrape, never fails it.
  const facts = (): Promise<DatabaseFacts | null> => {
    if (!current || Date.now() - current.at > 1_000)
      current = { at: Date.now(), facts: read().catch(() => null) };
    return current.facts;
  };
  const registers = [registry];
  new Gauge({
    name: 'lottery_refunds_owed',
    help: 'Refunds owed and not yet paid (no confirmed refund payout), by currency',
    labelNames: ['currency'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of (await facts())?.refundsOwed ?? []) this.set({ currency: r.currency }, r.count);
    },
  });
  new Gauge({
    name: 'lottery_refunds_owed_base_units',
    help: 'Sum of refunds owed and not yet paid, in the currency base units (lamports, USDC micro-units)',
    labelNames: ['currency'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of (await facts())?.refundsOwed ?? []) this.set({ currency: r.currency }, r.baseUnits);
    },
  });
  new Gauge({
    name: 'email_outbox',
    help: 'E-mail outbox rows by status (pending|sending|sent|failed|suppressed)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of (await facts())?.emailsByStatus ?? []) this.set({ status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'email_outbox_oldest_unsent_seconds',
    help: 'Age of the oldest e-mail not sent yet (pending or sending); 0 when the outbox is drained',
    registers,
    async collect() {
      this.reset();
      const f = await facts();
      if (f) this.set(f.oldestUnsentEmailSeconds);
    },
  });
  new Gauge({
    name: 'revenue_snapshot_passes',
    help: 'Revenue distributions snapshotting now: passes resolved (state=done) of those listed (state=listed)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      const snapshot = (await facts())?.snapshot;
      if (!snapshot) return;
      this.set({ state: 'done' }, snapshot.passesDone);
      this.set({ state: 'listed' }, snapshot.passesListed);
    },
  });
  new Gauge({
    name: 'revenue_snapshots_in_progress',
    help: 'Revenue distributions whose snapshot is running',
    registers,
    async collect() {
      this.reset();
      const f = await facts();
      if (f) this.set(f.snapshot.inProgress);
    },
  });
}

/** A decided purchase or burn claim, as the lottery activities see it. */
interface ReceiptDecision {
  kind: string;
  status: string;
  code: string | null;
  currency: string | null;
  ticketNumbers: readonly number[];
}

/** Counts a decision: the submission by outcome and reason, its tickets, how long it took. */
export function countReceiptDecision(decision: ReceiptDecision, decidedAfterSeconds: number | null): void {
  const { kind, status: outcome } = decision;
  lotterySubmissions.inc({ kind, outcome, reason: reasonLabel(decision.code) });
  if (decision.ticketNumbers.length > 0)
    lotteryTicketsIssued.inc(
      { method: kind, currency: decision.currency ?? 'none' },
      decision.ticketNumbers.length,
    );
  if (decidedAfterSeconds !== null) lotteryDecisionSeconds.observe({ kind, outcome }, decidedAfterSeconds);
}

/** The failure type of an activity's error, as a label. */
export function failureTypeLabel(error: unknown): string {
  if (error && typeof error === 'object') {
    const { type, name } = error as { type?: unknown; name?: unknown };
    if (typeof type === 'string') return reasonLabel(type);
    if (typeof name === 'string') return reasonLabel(name);
  }
  return 'other';
}

/**
 * Registers `readiness_check_up{check}` on `registry`: each readiness probe (the same ones
 * /readyz runs) as 1 or 0, run on scrape, so "not ready" can be alerted on from Prometheus.
 */
export function registerReadinessGauge(
  registry: Registry,
  run: () => Promise<{ checks: Record<string, { ok: boolean }> }>,
): void {
  new Gauge({
    name: 'readiness_check_up',
    help: 'Readiness probe results (1 ok, 0 failing) by check (postgres|redis|temporal|workers|solana...), as /readyz reports them',
    labelNames: ['check'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { checks } = await run();
      for (const [check, result] of Object.entries(checks)) this.set({ check }, result.ok ? 1 : 0);
    },
  });
}
