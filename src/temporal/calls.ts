/**
 * The one way the API, the CLIs and activities call Temporal: start (or join) a workflow
 * typed by its function, wait a bounded time for its result, send an update. Failures are
 * passed on as the SDK's own errors; turning them into HTTP answers is the API's failure
 * table (src/api/failures.ts), never done here.
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { SearchAttributePair, UpdateDefinition, Workflow } from '@temporalio/common';
import type * as workflows from '../../workflows';

type Workflows = typeof workflows;
/** The name of every workflow type the worker registers (workflows/index.ts). */
export type WorkflowType = keyof Workflows;
export type WorkflowOf<K extends WorkflowType> = Workflows[K];

/**
 * What a start does when a run with the same id exists or existed:
 * - `join`: a running or completed run answers for the id (a signature, a claim); a failed
 *   one (a refused submitter) is run afresh so the rightful party can still succeed.
 * - `once`: one run per id (rounds, months): a running or completed run refuses a second
 *   start; after a failed one (its creation was refused) the id may be started afresh.
 * - `joinRunning`: a running run is joined (a retried request), a closed one refused.
 * - `rerun`: a running run is joined, a closed one is started again (e-mail delivery).
 */
export type StartPolicy = 'join' | 'once' | 'joinRunning' | 'rerun';

const POLICIES = {
  join: { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' },
  once: { workflowIdConflictPolicy: 'FAIL', workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' },
  joinRunning: { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' },
  rerun: { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE' },
} as const satisfies Record<StartPolicy, Partial<WorkflowStartOptions>>;

export interface StartRequest<K extends WorkflowType> {
  workflowId: string;
  args: Parameters<WorkflowOf<K>>;
  policy: StartPolicy;
  /** One line the Web UI shows for the run. */
  summary: string;
  /** Search attributes the run starts with (it need not upsert them in its first task). */
  searchAttributes?: SearchAttributePair[];
}

/**
 * Starts `type` (or joins per the policy). Answers undefined when the policy refuses: the id
 * is already taken by a run that may not be joined.
 */
export async function startWorkflow<K extends WorkflowType>(
  client: Client,
  taskQueue: string,
  type: K,
  request: StartRequest<K>,
): Promise<WorkflowHandle<WorkflowOf<K>> | undefined> {
  try {
    return await client.workflow.start<WorkflowOf<K>>(type, {
      taskQueue,
      workflowId: request.workflowId,
      args: request.args,
      staticSummary: request.summary,
      ...(request.searchAttributes ? { typedSearchAttributes: request.searchAttributes } : {}),
      ...POLICIES[request.policy],
    } as WorkflowStartOptions<WorkflowOf<K>>);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Joining a completed run: the server refuses the start but the id's run answers.
    if (request.policy === 'join') return client.workflow.getHandle<WorkflowOf<K>>(request.workflowId);
    return undefined;
  }
}

/** A handle on the run of `type` with this id (typed results, queries and updates). */
export const workflowHandle = <K extends WorkflowType>(client: Client, _type: K, workflowId: string) =>
  client.workflow.getHandle<WorkflowOf<K>>(workflowId);

export type Waited<T> = { done: true; result: T } | { done: false };

/**
 * The run's result if it finishes within `ms`, else `{done: false}` (the long poll is
 * aborted, the run goes on). A failed run throws the SDK's WorkflowFailedError unchanged.
 */
export async function resultWithin<W extends Workflow>(
  client: Client,
  handle: WorkflowHandle<W>,
  ms: number,
): Promise<Waited<Awaited<ReturnType<W>>>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    const result = await client.withAbortSignal(abort.signal, () => handle.result());
    return { done: true, result: result as Awaited<ReturnType<W>> };
  } catch (err) {
    if (abort.signal.aborted) return { done: false };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits up to `ms` for a run's first step: polls `done` (with backoff) until it answers a
 * value. A run that closes first throws its failure (WorkflowFailedError), so a creation
 * the run refused is answered as refused. Null when `ms` passed with the run still going.
 */
export async function firstStepWithin<T>(
  handle: WorkflowHandle,
  done: () => Promise<T | null>,
  ms: number,
): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    const value = await done();
    if (value !== null) return value;
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') {
      await handle.result();
      return done();
    }
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Sends `update` and waits for its result; a refused update throws WorkflowUpdateFailedError. */
export function sendUpdate<Ret, Args extends unknown[]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  // The SDK's overloads split "no arguments" from "some"; one generic signature covers both.
  const send = handle.executeUpdate as (
    def: UpdateDefinition<Ret, Args>,
    options: { args: Args },
  ) => Promise<Ret>;
  return send.call(handle, update, { args });
}

/** The run an update-with-start starts when its id has no running run. */
export interface StartForUpdate<K extends WorkflowType> {
  taskQueue: string;
  type: K;
  request: StartRequest<K>;
}

/**
 * Sends `update` to the running run of `start`'s id, starting that run first if there is
 * none (one round trip: update-with-start), and waits for the update's result. The policy
 * must join a running run (`join`, `joinRunning` or `rerun`); a refused update throws
 * WorkflowUpdateFailedError.
 */
export function sendUpdateWithStart<K extends WorkflowType, Ret, Args extends unknown[]>(
  client: Client,
  start: StartForUpdate<K>,
  update: UpdateDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  const operation = new WithStartWorkflowOperation<WorkflowOf<K>>(start.type, {
    taskQueue: start.taskQueue,
    workflowId: start.request.workflowId,
    args: start.request.args,
    staticSummary: start.request.summary,
    ...POLICIES[start.request.policy],
  } as WorkflowStartOptions<WorkflowOf<K>> & { workflowIdConflictPolicy: 'USE_EXISTING' });
  return client.workflow.executeUpdateWithStart(update, { args, startWorkflowOperation: operation });
}
