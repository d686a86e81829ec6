import fc from 'fast-check';
import { DomainError } from '../../src/domain/errors';
import {
  assignRequest,
  cancelRequest,
  completeRequest,
  initialSnapshot,
  isIsoDate,
  planChange,
  postUpdateRequest,
  resumeReviewRequest,
  reviewRequest,
  type ChangeRequest,
  type ProjectSnapshot,
} from '../../src/domain/utility/project-changes';
import {
  PROJECT_EVENTS,
  PROJECT_STATUSES,
  TERMINAL_STATUSES,
  allowedEvents,
  assertTransition,
  isTerminalStatus,
  type ProjectEvent,
  type ProjectStatus,
} from '../../src/domain/utility/project-state';
import {
  PROJECT_ID_PATTERN,
  canonicalSubmission,
  centsToUsd,
  formatDuration,
  formatUsd,
  projectIdFromBytes,
  usdToCents,
  type ProjectSubmission,
} from '../../src/domain/utility/submission';

/** The lifecycle as the issue states it: every allowed (status, event) → next status. */
const EXPECTED: Record<ProjectStatus, Partial<Record<ProjectEvent, ProjectStatus>>> = {
  pending_review: { approve: 'approved', reject: 'rejected', request_info: 'needs_info' },
  needs_info: { resume_review: 'pending_review', reject: 'rejected', cancel: 'cancelled' },
  approved: { post_update: 'in_progress', assign: 'approved', cancel: 'cancelled' },
  in_progress: {
    post_update: 'in_progress',
    assign: 'in_progress',
    complete: 'completed',
    cancel: 'cancelled',
  },
  completed: {},
  rejected: {},
  cancelled: {},
};

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return `${(error as DomainError).code}: ${(error as Error).message}`;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};

describe('project state machine', () => {
  test.each(PROJECT_STATUSES.flatMap((from) => PROJECT_EVENTS.map((event) => [from, event] as const)))(
    '%s + %s',
    (from, event) => {
      const expected = EXPECTED[from][event];
      const result = assertTransition(from, event);
      if (expected) {
        expect(result).toEqual({ ok: true, from, to: expected });
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(new RegExp(`^cannot .+ a project that is ${from}`));
      }
    },
  );

  test('reasons say what is allowed instead, or that the status is final', () => {
    expect(assertTransition('approved', 'complete')).toEqual({
      ok: false,
      from: 'approved',
      reason:
        'cannot complete a project that is approved: from approved you can post_update, assign or cancel',
    });
    expect(assertTransition('pending_review', 'cancel')).toMatchObject({
      reason:
        'cannot cancel a project that is pending_review: from pending_review you can approve, reject or request_info',
    });
    expect(assertTransition('rejected', 'approve')).toMatchObject({
      reason: 'cannot approve a project that is rejected: rejected is final',
    });
    expect(assertTransition('needs_info', 'post_update')).toMatchObject({
      reason: expect.stringContaining('cannot post an update to a project that is needs_info'),
    });
  });

  test('unknown statuses and events are refused, not thrown', () => {
    expect(assertTransition('archived' as ProjectStatus, 'approve')).toMatchObject({
      ok: false,
      reason: 'unknown project status "archived"',
    });
    expect(assertTransition('approved', 'ship' as ProjectEvent)).toMatchObject({
      ok: false,
      reason: 'unknown project event "ship"',
    });
  });

  test('the final statuses allow nothing; every other status allows something', () => {
    for (const status of PROJECT_STATUSES) {
      expect(isTerminalStatus(status)).toBe((TERMINAL_STATUSES as readonly string[]).includes(status));
      expect(allowedEvents(status).length === 0).toBe(isTerminalStatus(status));
    }
  });

  test('any sequence of events from a submission ends only in known statuses, and final ones stay final', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PROJECT_EVENTS), { maxLength: 40 }), (events) => {
        let status: ProjectStatus = 'pending_review';
        for (const event of events) {
          const result = assertTransition(status, event);
          if (isTerminalStatus(status)) expect(result.ok).toBe(false);
          if (result.ok) status = result.to;
          expect(PROJECT_STATUSES).toContain(status);
        }
      }),
    );
  });

  test('every status is reachable from pending_review', () => {
    const seen = new Set<ProjectStatus>(['pending_review']);
    const queue: ProjectStatus[] = ['pending_review'];
    while (queue.length) {
      const from = queue.shift()!;
      for (const event of allowedEvents(from)) {
        const r = assertTransition(from, event);
        if (r.ok && !seen.has(r.to)) {
          seen.add(r.to);
          queue.push(r.to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...PROJECT_STATUSES].sort());
  });
});

describe('planning changes', () => {
  const at = (status: ProjectStatus, extra: Partial<ProjectSnapshot> = {}): ProjectSnapshot => ({
    ...initialSnapshot(),
    status,
    ...extra,
  });
  const approve: ChangeRequest = {
    event: 'approve',
    by: 'admin',
    assignee: 'alice',
    estimatedCompletion: '2026-03-01',
    totalCostCents: '250000',
    note: null,
  };

  test('approve sets assignee, estimate and cost and tells the client both', () => {
    const plan = planChange(at('pending_review'), approve, '2026-01-10');
    expect(plan).toEqual({
      ok: true,
      change: {
        event: 'approve',
        from: 'pending_review',
        to: 'approved',
        by: 'admin',
        project: {
          ...initialSnapshot(),
          status: 'approved',
          assignedTo: 'alice',
          estimatedCompletion: '2026-03-01',
          totalCostCents: '250000',
        },
        clientUpdate: {
          message: 'Your project has been approved. Estimated completion: 2026-03-01. Total cost: $2,500.00.',
          progress: null,
        },
        note: null,
      },
    });
  });

  test('the client sees clientMessage (or a standard sentence), never the internal note or reason', () => {
    const withNote = planChange(
      at('pending_review'),
      { ...approve, note: 'thin margin', clientMessage: 'Welcome aboard!' },
      'x',
    );
    expect(withNote).toMatchObject({
      ok: true,
      change: {
        note: 'thin margin',
        clientUpdate: {
          message: 'Welcome aboard!\n\nEstimated completion: 2026-03-01. Total cost: $2,500.00.',
        },
      },
    });
    const cancel = planChange(at('approved'), { event: 'cancel', by: 'a', reason: 'unpaid' }, 'x');
    expect(cancel).toMatchObject({
      ok: true,
      change: { note: 'unpaid', clientUpdate: { message: 'Your project has been cancelled.' } },
    });
    // Runs recorded before clientMessage replay what they planned: the note told the client.
    const legacy = planChange(at('approved'), { event: 'cancel', by: 'a', reason: 'unpaid' }, 'x', {
      notesToClient: true,
    });
    expect(legacy).toMatchObject({ ok: true, change: { clientUpdate: { message: 'unpaid' } } });
  });

  test('reject, request_info and cancel keep their reason as the status reason, for the admin only', () => {
    const reject = planChange(
      at('pending_review'),
      { event: 'reject', by: 'a', reason: 'Out of scope' },
      'x',
    );
    expect(reject).toMatchObject({
      ok: true,
      change: {
        to: 'rejected',
        project: { statusReason: 'Out of scope' },
        clientUpdate: { message: 'We are sorry: we cannot take on your project.' },
        note: 'Out of scope',
      },
    });
    const info = planChange(
      at('pending_review'),
      { event: 'request_info', by: 'a', message: 'Which chain?' },
      'x',
    );
    expect(info).toMatchObject({
      ok: true,
      change: { to: 'needs_info', project: { statusReason: 'Which chain?' } },
    });
    const resumed = planChange(
      at('needs_info', { statusReason: 'Which chain?' }),
      { event: 'resume_review', by: 'a', note: null },
      'x',
    );
    expect(resumed).toMatchObject({
      ok: true,
      change: { to: 'pending_review', project: { statusReason: null } },
    });
    const cancel = planChange(at('in_progress'), { event: 'cancel', by: 'a', reason: 'Client left' }, 'x');
    expect(cancel).toMatchObject({
      ok: true,
      change: { to: 'cancelled', project: { statusReason: 'Client left' } },
    });
  });

  test('updates move progress (or keep it), the first starts the work; complete sets 100 and the date', () => {
    const first = planChange(
      at('approved'),
      { event: 'post_update', by: 'a', message: 'Started', progress: 10 },
      'x',
    );
    expect(first).toMatchObject({ ok: true, change: { to: 'in_progress', project: { progress: 10 } } });
    const keep = planChange(
      at('in_progress', { progress: 40 }),
      { event: 'post_update', by: 'a', message: 'Still going', progress: null },
      'x',
    );
    expect(keep).toMatchObject({
      ok: true,
      change: { to: 'in_progress', project: { progress: 40 }, clientUpdate: { progress: null } },
    });
    const done = planChange(at('in_progress'), { event: 'complete', by: 'a', message: null }, '2026-02-27');
    expect(done).toMatchObject({
      ok: true,
      change: {
        to: 'completed',
        project: { progress: 100, actualCompletion: '2026-02-27' },
        clientUpdate: { message: 'Your project is complete.', progress: 100 },
      },
    });
  });

  test('assignment is internal: no client update', () => {
    const plan = planChange(at('in_progress'), { event: 'assign', by: 'a', assignee: 'bob' }, 'x');
    expect(plan).toMatchObject({
      ok: true,
      change: { to: 'in_progress', project: { assignedTo: 'bob' }, clientUpdate: null },
    });
  });

  test('a forbidden change is refused with the state machine’s reason', () => {
    expect(planChange(at('completed'), approve, 'x')).toEqual({
      ok: false,
      reason: 'cannot approve a project that is completed: completed is final',
    });
  });
});

describe('update inputs (as the CLI may send them)', () => {
  const approveInput = {
    decision: 'approve',
    assignee: 'alice',
    estimatedCompletion: '2026-03-01',
    totalCostCents: '250000',
    reviewer: 'ops',
  };

  test('valid inputs become change requests, trimmed', () => {
    expect(reviewRequest({ ...approveInput, assignee: '  alice ' })).toEqual({
      event: 'approve',
      by: 'ops',
      assignee: 'alice',
      estimatedCompletion: '2026-03-01',
      totalCostCents: '250000',
      note: null,
      clientMessage: null,
    });
    expect(
      reviewRequest({ decision: 'reject', reason: 'No', reviewer: 'ops', clientMessage: ' Sorry ' }),
    ).toEqual({
      event: 'reject',
      by: 'ops',
      reason: 'No',
      clientMessage: 'Sorry',
    });
    expect(postUpdateRequest({ message: 'Line 1\nLine 2', author: 'ops' })).toEqual({
      event: 'post_update',
      by: 'ops',
      message: 'Line 1\nLine 2',
      progress: null,
    });
    expect(assignRequest({ assignee: 'bob', by: 'ops' })).toMatchObject({ event: 'assign', assignee: 'bob' });
    expect(completeRequest({ by: 'ops' })).toEqual({ event: 'complete', by: 'ops', message: null });
    expect(cancelRequest({ reason: 'Gone', by: 'ops' })).toMatchObject({ event: 'cancel', reason: 'Gone' });
    expect(resumeReviewRequest({ by: 'ops' })).toEqual({
      event: 'resume_review',
      by: 'ops',
      note: null,
      clientMessage: null,
    });
  });

  test.each([
    ['decision', () => reviewRequest({ ...approveInput, decision: 'maybe' }), 'decision: must be one of'],
    [
      'date',
      () => reviewRequest({ ...approveInput, estimatedCompletion: '2026-02-30' }),
      'estimatedCompletion:',
    ],
    ['cost', () => reviewRequest({ ...approveInput, totalCostCents: '12.50' }), 'totalCostCents:'],
    ['cost as number', () => reviewRequest({ ...approveInput, totalCostCents: 1250 }), 'totalCostCents:'],
    ['reviewer', () => reviewRequest({ ...approveInput, reviewer: '' }), 'reviewer: must not be empty'],
    ['unknown field', () => reviewRequest({ ...approveInput, reson: 'x' }), 'reson: unknown field'],
    ['not an object', () => reviewRequest('approve'), 'input must be an object'],
    [
      'reason missing',
      () => reviewRequest({ decision: 'reject', reviewer: 'ops' }),
      'reason: must be a string',
    ],
    ['progress 101', () => postUpdateRequest({ message: 'm', progress: 101, author: 'a' }), 'progress:'],
    ['progress 1.5', () => postUpdateRequest({ message: 'm', progress: 1.5, author: 'a' }), 'progress:'],
    [
      'NUL in message',
      () => postUpdateRequest({ message: 'a\u0000b', author: 'a' }),
      'message: must not contain',
    ],
    ['newline in assignee', () => assignRequest({ assignee: 'a\nb', by: 'a' }), 'assignee: must not contain'],
    [
      'long reason',
      () => cancelRequest({ reason: 'x'.repeat(5_001), by: 'a' }),
      'reason: must be at most 5000',
    ],
  ])('%s is refused naming the field', (_name, run, message) => {
    expect(codeOf(run)).toContain(`InvalidProjectChange: ${message}`);
  });

  test('dates are real calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});

describe('submissions', () => {
  test('project ids are UF- plus 16 base32 characters from 80 random bits', () => {
    expect(projectIdFromBytes(new Uint8Array(10))).toBe('UF-AAAAAAAAAAAAAAAA');
    expect(projectIdFromBytes(new Uint8Array(10).fill(255))).toBe('UF-7777777777777777');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => {
        expect(projectIdFromBytes(bytes)).toMatch(PROJECT_ID_PATTERN);
      }),
    );
    expect(codeOf(() => projectIdFromBytes(new Uint8Array(8)))).toContain('InvalidProjectIdBytes');
  });

  test('budgets become exact cents from the number’s decimal text', () => {
    expect(usdToCents(0)).toBe(0n);
    expect(usdToCents(2500)).toBe(250000n);
    expect(usdToCents(1234.56)).toBe(123456n);
    expect(usdToCents(0.1)).toBe(10n);
    expect(usdToCents(19.99)).toBe(1999n);
    expect(usdToCents(100_000_000)).toBe(10_000_000_000n);
    expect(codeOf(() => usdToCents(1.005))).toContain('at most 2 decimal places');
    expect(codeOf(() => usdToCents(-1))).toContain('must not be negative');
    expect(codeOf(() => usdToCents(1e-7))).toContain('at most 2 decimal places');
    expect(codeOf(() => usdToCents(100_000_000.01))).toContain('at most 100000000');
    expect(codeOf(() => usdToCents(Number.NaN))).toContain('InvalidBudget');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000_000_000n }), (cents) => {
        // What a client sends as JSON for those cents parses back to exactly them.
        const json = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
        expect(usdToCents(JSON.parse(json) as number)).toBe(cents);
        expect(centsToUsd(cents)).toBe(JSON.parse(json));
      }),
    );
  });

  test('cents format as dollars for clients', () => {
    expect(formatUsd(250000n)).toBe('$2,500.00');
    expect(formatUsd(5n)).toBe('$0.05');
    expect(formatUsd(123456789012n)).toBe('$1,234,567,890.12');
  });

  test('the canonical form ignores the order of services and the e-mail’s case, nothing else', () => {
    const base: ProjectSubmission = {
      projectName: 'Rabbit DAO',
      email: 'a@example.com',
      package: 'starter',
      services: ['website', 'dapp'],
      paymentMethod: 'SOL',
      details: 'Build it',
      timeline: null,
      budgetCents: null,
    };
    expect(canonicalSubmission({ ...base, services: ['dapp', 'website'], email: 'A@Example.com' })).toBe(
      canonicalSubmission(base),
    );
    expect(canonicalSubmission({ ...base, details: 'Build it!' })).not.toBe(canonicalSubmission(base));
    expect(canonicalSubmission({ ...base, budgetCents: '100' })).not.toBe(canonicalSubmission(base));
  });

  test('review times read as people say them', () => {
    expect(formatDuration(86_400_000)).toBe('24 hours');
    expect(formatDuration(48 * 3_600_000)).toBe('48 hours');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
    expect(formatDuration(7 * 86_400_000)).toBe('1 week');
    expect(formatDuration(90_000)).toBe('1.5 minutes');
    expect(formatDuration(1_000)).toBe('1 second');
    expect(formatDuration(10 * 60_000)).toBe('10 minutes');
    expect(formatDuration(500)).toBe('500 ms');
  });
});
