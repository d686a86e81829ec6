import type { Client } from '@temporalio/client';
import { temporal, type google } from '@temporalio/proto';

/** One worker's polls of a task queue, as the server last saw them. */
interface Poller {
  identity: string;
  /** When it last polled (ISO); a dead worker's stops moving and the server forgets it after minutes. */
  lastAccessTime: string | null;
}

/**
 * Which workers poll the task queue (for /readyz): asks the server through DescribeTaskQueue
 * for the pollers of both the workflow and the activity queue, with identity and last access.
 */
export async function describePollers(client: Client, taskQueue: string) {
  const kinds = {
    workflow: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    activity: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  };
  const result: Record<keyof typeof kinds, Poller[]> = { workflow: [], activity: [] };
  for (const [kind, taskQueueType] of Object.entries(kinds) as [keyof typeof kinds, number][]) {
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    result[kind] = (res.pollers ?? []).map((p) => ({
      identity: p.identity ?? '',
      lastAccessTime: p.lastAccessTime ? timestampIso(p.lastAccessTime) : null,
    }));
  }
  return result;
}

/** A protobuf Timestamp (seconds as a Long or number) as ISO time. */
function timestampIso(ts: google.protobuf.ITimestamp): string {
  return new Date(Number(String(ts.seconds ?? 0)) * 1_000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

/**
 * Registers our search attributes on a cluster that lacks them (a self-hosted cluster; the
 * dev server gets them on its command line). Returns the names it added.
 */
export async function ensureSearchAttributes(client: Client): Promise<string[]> {
  const { allSearchAttributeKeys } = await import('./search-attributes');
  const namespace = client.options.namespace;
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = allSearchAttributeKeys.filter((k) => !known.has(k.name));
  if (!missing.length) return [];
  await client.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return missing.map((k) => k.name);
}
