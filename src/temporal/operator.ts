import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Whether any worker has polled the task queue recently (for /readyz): asks the server
 * through DescribeTaskQueue for pollers of both the workflow and the activity queue.
 */
export async function describePollers(client: Client, taskQueue: string) {
  const kinds = {
    workflow: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    activity: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  };
  const result: Record<keyof typeof kinds, number> = { workflow: 0, activity: 0 };
  for (const [kind, taskQueueType] of Object.entries(kinds) as [keyof typeof kinds, number][]) {
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    result[kind] = res.pollers?.length ?? 0;
  }
  return result;
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
