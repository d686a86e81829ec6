/**
 * The changes an admin makes to a Utility Factory project, as the workflow's updates
 * receive them (from the admin API, the Temporal CLI or the Web UI), their validation, and
 * `planChange`: what a change does to the project and what the client is told. Pure, so the
 * workflow's update validators run it before anything is written.
 */
import { DomainError } from '../errors';
import {
  assertTransition,
  type ProjectEvent,
  type ProjectFailureType,
  type ProjectStatus,
} from './project-state';
import { formatUsd } from './submission';

// ---------------------------------------------------------------------------------------
// Update arguments (one object each, so the CLI's `--input '{...}'` is all it takes)
// ---------------------------------------------------------------------------------------

/**
 * Every change that tells the client something takes an optional `clientMessage`: the words
 * the client sees on the public status and in the e-mail (a standard sentence without it).
 * Notes, reasons and request-info messages are internal: they stay in the admin view.
 */
interface ToTheClient {
  clientMessage?: string | null;
}

/** `review`: approve (with assignee, estimate and cost), reject (with a reason) or ask for information. */
export type ReviewInput = ToTheClient &
  (
    | {
        decision: 'approve';
        assignee: string;
        /** YYYY-MM-DD */
        estimatedCompletion: string;
        /** Total cost in US cents as a decimal string, e.g. "250000" for $2,500.00. */
        totalCostCents: string;
        /** Internal note (admin view only). */
        note?: string | null;
        /** Who reviewed: the admin's wallet (the API fills it in) or a name. */
        reviewer: string;
      }
    | { decision: 'reject'; /** Internal. */ reason: string; reviewer: string }
    | { decision: 'request_info'; /** Internal: what is needed. */ message: string; reviewer: string }
  );

const REVIEW_DECISIONS = ['approve', 'reject', 'request_info'] as const;

/** `resumeReview`: the client answered a request for information; back to pending_review. */
export interface ResumeReviewInput extends ToTheClient {
  /** Internal note (admin view only). */
  note?: string | null;
  by: string;
}

/** `postUpdate`: a message to the client, with progress 0–100 (omit to keep the current figure). */
export interface PostUpdateInput {
  message: string;
  progress?: number | null;
  author: string;
}

/** `assign`: (re)assign an approved or in-progress project. */
export interface AssignInput {
  assignee: string;
  by: string;
}

/** `complete`: the work is delivered. */
export interface CompleteInput {
  message?: string | null;
  by: string;
}

/** `cancel`: stop a project that is waiting for information, approved or in progress. */
export interface CancelInput extends ToTheClient {
  /** Internal. */
  reason: string;
  by: string;
}

export const CHANGE_LIMITS = {
  /** Messages, reasons and notes to the client. */
  message: 5_000,
  /** `assigned_to` and `project_updates.created_by` columns. */
  name: 255,
  totalCostCentsDigits: 16,
} as const;

/** No control characters at all (names, one-line fields). */
export const SINGLE_LINE_TEXT = /^[^\u0000-\u001f\u007f]*$/;
/** Line breaks and tabs allowed; other control characters (NUL breaks PostgreSQL text) not. */
export const MULTILINE_TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
export const CENTS_TEXT = /^(0|[1-9][0-9]{0,15})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// ---------------------------------------------------------------------------------------
// Change requests: what every update means, in one shape
// ---------------------------------------------------------------------------------------

export type ChangeRequest =
  | {
      event: 'approve';
      by: string;
      assignee: string;
      estimatedCompletion: string;
      totalCostCents: string;
      note: string | null;
      clientMessage?: string | null;
    }
  | { event: 'reject'; by: string; reason: string; clientMessage?: string | null }
  | { event: 'request_info'; by: string; message: string; clientMessage?: string | null }
  | { event: 'resume_review'; by: string; note: string | null; clientMessage?: string | null }
  | { event: 'post_update'; by: string; message: string; progress: number | null }
  | { event: 'assign'; by: string; assignee: string }
  | { event: 'complete'; by: string; message: string | null }
  | { event: 'cancel'; by: string; reason: string; clientMessage?: string | null };

const invalid = (message: string) => new DomainError<ProjectFailureType>('InvalidProjectChange', message);

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown, allowed: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('input must be an object');
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length) throw invalid(`${unknown[0]}: unknown field (allowed: ${allowed.join(', ')})`);
  return value as Fields;
}

function text(fields: Fields, field: string, max: number, multiline = false): string {
  const value = fields[field];
  if (typeof value !== 'string') throw invalid(`${field}: must be a string`);
  const trimmed = value.trim();
  if (trimmed === '') throw invalid(`${field}: must not be empty`);
  if (trimmed.length > max) throw invalid(`${field}: must be at most ${max} characters`);
  if (!(multiline ? MULTILINE_TEXT : SINGLE_LINE_TEXT).test(trimmed)) {
    throw invalid(
      `${field}: must not contain control characters${multiline ? ' (other than line breaks)' : ''}`,
    );
  }
  return trimmed;
}

const optionalText = (fields: Fields, field: string, max: number): string | null =>
  fields[field] === undefined || fields[field] === null ? null : text(fields, field, max, true);

const actor = (fields: Fields, field: string) => text(fields, field, CHANGE_LIMITS.name);
const message = (fields: Fields, field: string) => text(fields, field, CHANGE_LIMITS.message, true);
const clientMessage = (fields: Fields) => optionalText(fields, 'clientMessage', CHANGE_LIMITS.message);

/** Validates a `review` argument; throws InvalidProjectChange naming the field. */
export function reviewRequest(input: unknown): ChangeRequest {
  const decision = (input as Fields | null)?.decision;
  switch (decision) {
    case 'approve': {
      const f = fieldsOf(input, [
        'decision',
        'assignee',
        'estimatedCompletion',
        'totalCostCents',
        'note',
        'clientMessage',
        'reviewer',
      ]);
      if (!isIsoDate(f.estimatedCompletion)) throw invalid('estimatedCompletion: must be a date YYYY-MM-DD');
      if (typeof f.totalCostCents !== 'string' || !CENTS_TEXT.test(f.totalCostCents)) {
        throw invalid('totalCostCents: must be a whole number of US cents as a string, e.g. "250000"');
      }
      return {
        event: 'approve',
        by: actor(f, 'reviewer'),
        assignee: text(f, 'assignee', CHANGE_LIMITS.name),
        estimatedCompletion: f.estimatedCompletion,
        totalCostCents: f.totalCostCents,
        note: optionalText(f, 'note', CHANGE_LIMITS.message),
        clientMessage: clientMessage(f),
      };
    }
    case 'reject': {
      const f = fieldsOf(input, ['decision', 'reason', 'clientMessage', 'reviewer']);
      return {
        event: 'reject',
        by: actor(f, 'reviewer'),
        reason: message(f, 'reason'),
        clientMessage: clientMessage(f),
      };
    }
    case 'request_info': {
      const f = fieldsOf(input, ['decision', 'message', 'clientMessage', 'reviewer']);
      return {
        event: 'request_info',
        by: actor(f, 'reviewer'),
        message: message(f, 'message'),
        clientMessage: clientMessage(f),
      };
    }
    default:
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw invalid('input must be an object');
      throw invalid(`decision: must be one of ${REVIEW_DECISIONS.join(', ')}`);
  }
}

export function resumeReviewRequest(input: unknown): ChangeRequest {
  const f = fieldsOf(input, ['note', 'clientMessage', 'by']);
  return {
    event: 'resume_review',
    by: actor(f, 'by'),
    note: optionalText(f, 'note', CHANGE_LIMITS.message),
    clientMessage: clientMessage(f),
  };
}

export function postUpdateRequest(input: unknown): ChangeRequest {
  const f = fieldsOf(input, ['message', 'progress', 'author']);
  const progress = f.progress ?? null;
  if (
    progress !== null &&
    (!Number.isInteger(progress) || (progress as number) < 0 || (progress as number) > 100)
  ) {
    throw invalid('progress: must be an integer from 0 to 100');
  }
  return {
    event: 'post_update',
    by: actor(f, 'author'),
    message: message(f, 'message'),
    progress: progress as number | null,
  };
}

export function assignRequest(input: unknown): ChangeRequest {
  const f = fieldsOf(input, ['assignee', 'by']);
  return { event: 'assign', by: actor(f, 'by'), assignee: text(f, 'assignee', CHANGE_LIMITS.name) };
}

export function completeRequest(input: unknown): ChangeRequest {
  const f = fieldsOf(input, ['message', 'by']);
  return {
    event: 'complete',
    by: actor(f, 'by'),
    message: optionalText(f, 'message', CHANGE_LIMITS.message),
  };
}

export function cancelRequest(input: unknown): ChangeRequest {
  const f = fieldsOf(input, ['reason', 'clientMessage', 'by']);
  return {
    event: 'cancel',
    by: actor(f, 'by'),
    reason: message(f, 'reason'),
    clientMessage: clientMessage(f),
  };
}

// ---------------------------------------------------------------------------------------
// Planning a change
// ---------------------------------------------------------------------------------------

/** The project fields the lifecycle changes (the rest of the row is the submission). */
export interface ProjectSnapshot {
  status: ProjectStatus;
  progress: number;
  assignedTo: string | null;
  /** YYYY-MM-DD */
  estimatedCompletion: string | null;
  /** YYYY-MM-DD */
  actualCompletion: string | null;
  totalCostCents: string | null;
  /** Why it was rejected or cancelled, or what information is needed. */
  statusReason: string | null;
}

export const initialSnapshot = (): ProjectSnapshot => ({
  status: 'pending_review',
  progress: 0,
  assignedTo: null,
  estimatedCompletion: null,
  actualCompletion: null,
  totalCostCents: null,
  statusReason: null,
});

export interface PlannedChange {
  event: ProjectEvent;
  from: ProjectStatus;
  to: ProjectStatus;
  by: string;
  /** The project after the change. */
  project: ProjectSnapshot;
  /**
   * What the client sees and is e-mailed (a `project_updates` row); null for internal
   * changes (assignment: the client is not told who works on it).
   */
  clientUpdate: { message: string; progress: number | null } | null;
  /** The admin's internal note or reason (admin view only); null when there is none. */
  note: string | null;
}

/** What the client is told when the admin gives no `clientMessage`. */
const DEFAULT_CLIENT_MESSAGES = {
  approve: 'Your project has been approved.',
  reject: 'We are sorry: we cannot take on your project.',
  request_info: 'We need more information about your project: we will contact you by e-mail.',
  resume_review: 'Thank you for the information: your project is back in review.',
  cancel: 'Your project has been cancelled.',
} as const;

export interface PlanOptions {
  /**
   * Runs recorded before `clientMessage` existed told the client the note or reason itself;
   * their replay must plan what they planned then (the workflow's `client-messages` patch).
   */
  notesToClient?: boolean;
}

export type PlanResult = { ok: true; change: PlannedChange } | { ok: false; reason: string };

/**
 * What `request` does to `current`, or why it is not allowed now (the state machine's
 * reason). `today` (YYYY-MM-DD) becomes the actual completion date.
 */
export function planChange(
  current: ProjectSnapshot,
  request: ChangeRequest,
  today: string,
  options: PlanOptions = {},
): PlanResult {
  const transition = assertTransition(current.status, request.event);
  if (!transition.ok) return { ok: false, reason: transition.reason };
  const base = { event: request.event, from: current.status, to: transition.to, by: request.by };
  const project: ProjectSnapshot = { ...current, status: transition.to };
  /** The client's words: `clientMessage` (old runs: the note or reason), else the standard sentence. */
  const toClient = (clientMessage: string | null | undefined, note: string | null, fallback: string) =>
    (options.notesToClient ? note : clientMessage) ?? fallback;
  switch (request.event) {
    case 'approve': {
      const estimate = `Estimated completion: ${request.estimatedCompletion}. Total cost: ${formatUsd(BigInt(request.totalCostCents))}.`;
      const words = options.notesToClient ? request.note : (request.clientMessage ?? null);
      return planned(
        {
          ...project,
          assignedTo: request.assignee,
          estimatedCompletion: request.estimatedCompletion,
          totalCostCents: request.totalCostCents,
          statusReason: null,
        },
        {
          message: words ? `${words}\n\n${estimate}` : `${DEFAULT_CLIENT_MESSAGES.approve} ${estimate}`,
          progress: null,
        },
        request.note,
      );
    }
    case 'reject':
      return planned(
        { ...project, statusReason: request.reason },
        {
          message: toClient(request.clientMessage, request.reason, DEFAULT_CLIENT_MESSAGES.reject),
          progress: null,
        },
        request.reason,
      );
    case 'request_info':
      return planned(
        { ...project, statusReason: request.message },
        {
          message: toClient(request.clientMessage, request.message, DEFAULT_CLIENT_MESSAGES.request_info),
          progress: null,
        },
        request.message,
      );
    case 'resume_review':
      return planned(
        { ...project, statusReason: null },
        {
          message: toClient(request.clientMessage, request.note, DEFAULT_CLIENT_MESSAGES.resume_review),
          progress: null,
        },
        request.note,
      );
    case 'post_update':
      return planned(
        { ...project, progress: request.progress ?? project.progress },
        { message: request.message, progress: request.progress },
      );
    case 'assign':
      return planned({ ...project, assignedTo: request.assignee }, null);
    case 'complete':
      return planned(
        { ...project, progress: 100, actualCompletion: today },
        { message: request.message ?? 'Your project is complete.', progress: 100 },
      );
    case 'cancel':
      return planned(
        { ...project, statusReason: request.reason },
        {
          message: toClient(request.clientMessage, request.reason, DEFAULT_CLIENT_MESSAGES.cancel),
          progress: null,
        },
        request.reason,
      );
  }

  function planned(
    next: ProjectSnapshot,
    clientUpdate: PlannedChange['clientUpdate'],
    note: string | null = null,
  ): PlanResult {
    return { ok: true, change: { ...base, project: next, clientUpdate, note } };
  }
}
