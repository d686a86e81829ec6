/** A workflow of the test's own, proving the worker loop before any domain workflow exists. */
import { proxyActivities } from '@temporalio/workflow';

export interface GreetingActivities {
  greet(name: string): Promise<string>;
}

const { greet } = proxyActivities<GreetingActivities>({ startToCloseTimeout: '10s' });

export async function greetingWorkflow(name: string): Promise<string> {
  return greet(name);
}
