import path from 'node:path';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { connectClient, connectWorker } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { testConfig, uniqueTaskQueue } from '../support/harness';

describe('Temporal loop', () => {
  it('runs a workflow and its activity through a worker polling the dev server', async () => {
    const config = testConfig();
    const taskQueue = uniqueTaskQueue('loop');
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../support/workflows/greeting.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    });
    installTemporalRuntime();
    const connection = await connectWorker(config.temporal);
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowBundle: { code },
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
    const client = await connectClient(config.temporal);
    try {
      const result = await worker.runUntil(
        client.workflow.execute('greetingWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-wf`,
          args: ['rabbit'],
        }),
      );
      expect(result).toBe('hello, rabbit');
    } finally {
      await client.connection.close();
      await connection.close();
    }
  });
});
