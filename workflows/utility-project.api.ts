/**
 * The messages of `utility-project:{projectId}`, defined once and imported by the workflow,
 * the admin API, the tests and anyone scripting the Temporal CLI:
 *
 *   temporal workflow update execute --workflow-id utility-project:<id> --name review \
 *     --input '{"decision":"approve","assignee":"alice","estimatedCompletion":"2026-03-01","totalCostCents":"250000","reviewer":"ops"}'
 *   temporal workflow query --workflow-id utility-project:<id> --type status
 *
 * Every update's validator rejects an invalid input or a change the state machine does not
 * allow (src/domain/utility/project-state.ts) before anything is written; the failure's
 * type says which (`InvalidProjectChange`, `InvalidTransition`).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AssignInput,
  CancelInput,
  CompleteInput,
  PostUpdateInput,
  ResumeReviewInput,
  ReviewInput,
} from '../src/domain/utility/project-changes';
import type { ProjectStatus } from '../src/domain/utility/project-state';
import type { ProjectSubmission } from '../src/domain/utility/submission';

export type {
  AssignInput,
  CancelInput,
  CompleteInput,
  PostUpdateInput,
  ResumeReviewInput,
  ReviewInput,
} from '../src/domain/utility/project-changes';
/** Failure types of refused updates (`InvalidProjectChange` 400, `InvalidTransition` 409). */
export type { ProjectFailureType, ProjectStatus } from '../src/domain/utility/project-state';

export interface UtilityProjectInput {
  projectId: string;
  submission: ProjectSubmission;
  /** The signed-in wallet that submitted it, if any. */
  contactWallet: string | null;
  /** Who sent it, for the analytics event. */
  client: { ip: string | null; userAgent: string | null };
  /** SHA-256 (hex) of the canonical submission and its sender: duplicate protection. */
  fingerprint: string;
  /** ISO 8601: when the API accepted it (the row's created_at). */
  submittedAt: string;
  /** Remind the admins when a project has waited this long for review, and every period after. */
  reviewSlaMs: number;
}

export interface ProjectUpdateView {
  message: string;
  progress: number | null;
  /** ISO 8601 */
  createdAt: string;
}

/** The `status` query and every update's result. */
export interface ProjectStatusView {
  projectId: string;
  status: ProjectStatus;
  progress: number;
  /** YYYY-MM-DD */
  estimatedCompletion: string | null;
  assignedTo: string | null;
  totalCostCents: string | null;
  statusReason: string | null;
  /** Review reminders sent while it waited. */
  reminders: number;
  updates: ProjectUpdateView[];
}

export const reviewUpdate = defineUpdate<ProjectStatusView, [ReviewInput]>('review');
export const resumeReviewUpdate = defineUpdate<ProjectStatusView, [ResumeReviewInput]>('resumeReview');
export const postUpdateUpdate = defineUpdate<ProjectStatusView, [PostUpdateInput]>('postUpdate');
export const assignUpdate = defineUpdate<ProjectStatusView, [AssignInput]>('assign');
export const completeUpdate = defineUpdate<ProjectStatusView, [CompleteInput]>('complete');
export const cancelUpdate = defineUpdate<ProjectStatusView, [CancelInput]>('cancel');

export const statusQuery = defineQuery<ProjectStatusView>('status');
