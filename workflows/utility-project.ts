/**
 * `utility-project:{projectId}` (DESIGN §5): one run per Utility Factory project, from
 * submission to a final status. Messages: ./utility-project.api.ts. Lifecycle:
 * src/domain/utility/project-state.ts.
 *
 * 1. Records the submission (the first activity inserts the row; see activities/utility.ts
 *    for why the workflow and not the API does it) and e-mails the client.
 * 2. While pending_review: if no review comes within the review SLA, queues a reminder to
 *    ADMIN_EMAILS, and again every SLA period while it still waits.
 * 3. Admin updates change it (review, resumeReview, postUpdate, assign, complete, cancel).
 *    Each validator rejects a malformed input or a change the state machine forbids, so a
 *    refused change leaves no trace. Accepted changes run one at a time: each writes the row,
 *    the client update, the e-mail and the analytics event in one transaction, then starts
 *    the e-mail's delivery.
 * 4. Returns the final status once completed, rejected or cancelled and every handler is done.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../activities';
import {
  assignRequest,
  cancelRequest,
  completeRequest,
  initialSnapshot,
  planChange,
  postUpdateRequest,
  resumeReviewRequest,
  reviewRequest,
  type ChangeRequest,
  type PlannedChange,
  type ProjectSnapshot,
} from '../src/domain/utility/project-changes';
import { isTerminalStatus, type ProjectFailureType } from '../src/domain/utility/project-state';
import { BusinessStatus, ProjectId, WalletAddress } from '../src/temporal/search-attributes';
import {
  assignUpdate,
  cancelUpdate,
  completeUpdate,
  postUpdateUpdate,
  resumeReviewUpdate,
  reviewUpdate,
  statusQuery,
  type ProjectStatusView,
  type ProjectUpdateView,
  type UtilityProjectInput,
} from './utility-project.api';
import { databaseStep, startDeliveries } from './activity-options';

const { recordProjectSubmission, recordProjectChange, queueReviewReminder } =
  proxyActivities<Activities>(databaseStep);
const { startEmailDeliveryWorkflows } = proxyActivities<Activities>(startDeliveries);

export async function utilityProject(input: UtilityProjectInput): Promise<ProjectStatusView> {
  const { projectId, reviewSlaMs } = input;
  let project: ProjectSnapshot = initialSnapshot();
  const updates: ProjectUpdateView[] = [];
  let recorded = false;
  let reminders = 0;
  let waitingSince = input.submittedAt;
  /** Bumped on every status change: what the main loop waits for. */
  let statusVersion = 0;

  const view = (): ProjectStatusView => ({
    projectId,
    status: project.status,
    progress: project.progress,
    estimatedCompletion: project.estimatedCompletion,
    assignedTo: project.assignedTo,
    totalCostCents: project.totalCostCents,
    statusReason: project.statusReason,
    reminders,
    updates: [...updates],
  });

  const today = () => new Date().toISOString().slice(0, 10);

  const refuse = (type: ProjectFailureType, message: string) =>
    ApplicationFailure.create({ type, message, nonRetryable: true });

  /** The validator: a malformed input (→ 400) or a change the state machine forbids now (→ 409). */
  const check = (parse: () => ChangeRequest): void => {
    let request: ChangeRequest;
    try {
      request = parse();
    } catch (error) {
      throw refuse('InvalidProjectChange', error instanceof Error ? error.message : String(error));
    }
    const plan = planChange(project, request, today());
    if (!plan.ok) throw refuse('InvalidTransition', plan.reason);
  };

  // Accepted changes run one after another, in the order they were accepted.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };

  /** Applies an accepted change (re-planned: an earlier change in the queue may have moved the status). */
  const applyChange = (parse: () => ChangeRequest) =>
    serially(async () => {
      await condition(() => recorded);
      // Before this patch the client was told the admin's note or reason; the client now sees
      // `clientMessage` only. Changes already made replay as they were made.
      const notesToClient = !patched('client-messages');
      const plan = planChange(project, parse(), today(), { notesToClient });
      if (!plan.ok) throw refuse('InvalidTransition', plan.reason);
      const change: PlannedChange = plan.change;
      const at = new Date().toISOString();
      const { emailIds } = await recordProjectChange({ ...change, projectId, changeId: uuid4(), at });
      project = change.project;
      if (change.clientUpdate) updates.push({ ...change.clientUpdate, createdAt: at });
      if (change.from !== change.to) {
        statusVersion += 1;
        if (change.to === 'pending_review') waitingSince = at;
        upsertSearchAttributes([{ key: BusinessStatus, value: change.to }]);
      }
      await startEmailDeliveries(emailIds);
      return view();
    });

  setHandler(statusQuery, view);
  /** Every change is an update whose validator plans it and whose handler applies it. */
  const onChange = <I>(
    update: UpdateDefinition<ProjectStatusView, [I]>,
    parse: (input: I) => ChangeRequest,
  ) =>
    setHandler(update, (input) => applyChange(() => parse(input)), {
      validator: (input) => check(() => parse(input)),
    });
  onChange(reviewUpdate, reviewRequest);
  onChange(resumeReviewUpdate, resumeReviewRequest);
  onChange(postUpdateUpdate, postUpdateRequest);
  onChange(assignUpdate, assignRequest);
  onChange(completeUpdate, completeRequest);
  onChange(cancelUpdate, cancelRequest);

  upsertSearchAttributes([
    { key: ProjectId, value: projectId },
    { key: BusinessStatus, value: project.status },
  ]);
  // The contact wallet used to be set by the API at start; runs started before this set it so.
  if (input.contactWallet && patched('contact-wallet-search-attribute')) {
    upsertSearchAttributes([{ key: WalletAddress, value: input.contactWallet }]);
  }

  const submitted = await recordProjectSubmission({
    projectId,
    submission: input.submission,
    contactWallet: input.contactWallet,
    client: input.client,
    fingerprint: input.fingerprint,
    submittedAt: input.submittedAt,
  });
  recorded = true;
  await startEmailDeliveries(submitted.emailIds);

  while (!isTerminalStatus(project.status)) {
    const seen = statusVersion;
    if (project.status === 'pending_review') {
      const changed = await condition(() => statusVersion !== seen, reviewSlaMs);
      if (!changed) {
        reminders += 1;
        const queued = await queueReviewReminder({ projectId, reminderNumber: reminders, waitingSince });
        await startEmailDeliveries(queued.emailIds);
      }
    } else {
      await condition(() => statusVersion !== seen);
    }
  }

  await condition(allHandlersFinished);
  return view();
}

/** The rows are safe in the outbox whatever happens here: the sweeper starts what this could not. */
async function startEmailDeliveries(emailIds: string[]): Promise<void> {
  if (emailIds.length === 0) return;
  try {
    await startEmailDeliveryWorkflows(emailIds);
  } catch (error) {
    log.warn('could not start e-mail deliveries; the outbox sweeper will', {
      emailIds,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
