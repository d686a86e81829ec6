/**
 * The Utility Factory project lifecycle: the one state machine every change goes through
 * (the workflow's update validators, its handlers and the admin API all ask it).
 *
 *   pending_review ─ approve ──────▶ approved      (assignee, estimate and cost set)
 *                  ─ reject ───────▶ rejected
 *                  ─ request_info ─▶ needs_info
 *   needs_info     ─ resume_review ▶ pending_review (the client answered; review again)
 *                  ─ reject ───────▶ rejected
 *                  ─ cancel ───────▶ cancelled
 *   approved       ─ post_update ──▶ in_progress   (the first client update starts the work)
 *                  ─ assign ───────▶ approved
 *                  ─ cancel ───────▶ cancelled
 *   in_progress    ─ post_update, assign ▶ in_progress
 *                  ─ complete ─────▶ completed
 *                  ─ cancel ───────▶ cancelled
 *
 * completed, rejected and cancelled are final. Pure: no I/O, safe in the workflow sandbox.
 */

/** The `utility_projects.status` column's values (the entity takes them from here). */
export const PROJECT_STATUSES = [
  'pending_review',
  'needs_info',
  'approved',
  'in_progress',
  'completed',
  'rejected',
  'cancelled',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * Why a change is refused, as failure type and domain error code (the API's failure table
 * answers 400, 409 and 404): a malformed input, a change the state machine does not allow
 * now, no such project.
 */
export type ProjectFailureType = 'InvalidProjectChange' | 'InvalidTransition' | 'ProjectNotFound';

export const PROJECT_EVENTS = [
  'approve',
  'reject',
  'request_info',
  'resume_review',
  'post_update',
  'assign',
  'complete',
  'cancel',
] as const;
export type ProjectEvent = (typeof PROJECT_EVENTS)[number];

export const TERMINAL_STATUSES = [
  'completed',
  'rejected',
  'cancelled',
] as const satisfies readonly ProjectStatus[];

const TRANSITIONS: { readonly [S in ProjectStatus]: Partial<Readonly<Record<ProjectEvent, ProjectStatus>>> } =
  {
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

/** What each event does, for messages: "cannot <verb> a project that is ...". */
const VERBS: Readonly<Record<ProjectEvent, string>> = {
  approve: 'approve',
  reject: 'reject',
  request_info: 'request more information about',
  resume_review: 'resume the review of',
  post_update: 'post an update to',
  assign: 'assign',
  complete: 'complete',
  cancel: 'cancel',
};

export type TransitionResult =
  { ok: true; from: ProjectStatus; to: ProjectStatus } | { ok: false; from: ProjectStatus; reason: string };

const isProjectStatus = (value: unknown): value is ProjectStatus =>
  typeof value === 'string' && (PROJECT_STATUSES as readonly string[]).includes(value);

const isProjectEvent = (value: unknown): value is ProjectEvent =>
  typeof value === 'string' && (PROJECT_EVENTS as readonly string[]).includes(value);

export const isTerminalStatus = (status: ProjectStatus): boolean =>
  (TERMINAL_STATUSES as readonly ProjectStatus[]).includes(status);

/** The events allowed from `status`, in the order of PROJECT_EVENTS. */
export const allowedEvents = (status: ProjectStatus): ProjectEvent[] =>
  PROJECT_EVENTS.filter((event) => TRANSITIONS[status][event] !== undefined);

/**
 * The status `event` leads to from `from`, or why it is not allowed, e.g.
 * "cannot complete a project that is approved: from approved you can post_update, assign or cancel".
 */
export function assertTransition(from: ProjectStatus, event: ProjectEvent): TransitionResult {
  if (!isProjectStatus(from))
    return { ok: false, from, reason: `unknown project status ${JSON.stringify(from)}` };
  if (!isProjectEvent(event))
    return { ok: false, from, reason: `unknown project event ${JSON.stringify(event)}` };
  const to = TRANSITIONS[from][event];
  if (to !== undefined) return { ok: true, from, to };
  const cannot = `cannot ${VERBS[event]} a project that is ${from}`;
  if (isTerminalStatus(from)) return { ok: false, from, reason: `${cannot}: ${from} is final` };
  return { ok: false, from, reason: `${cannot}: from ${from} you can ${orList(allowedEvents(from))}` };
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
