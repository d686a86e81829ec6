/** Test workflows driving the payout activities through a real worker. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { RecordPayoutInput } from '../../../activities/payouts';
import type { Activities } from '../../../activities';

const { recordPayout, sendPayout } = proxyActivities<Pick<Activities, 'recordPayout' | 'sendPayout'>>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function payoutWorkflow(input: RecordPayoutInput) {
  await recordPayout(input);
  return sendPayout(input.key);
}

/** Reports how sendPayout failed, as the workflow sees it. */
export async function failingPayoutWorkflow(key: string) {
  try {
    await sendPayout(key);
    return { failed: null };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      return { failed: cause.type ?? null, nonRetryable: cause.nonRetryable, message: cause.message };
    }
    throw error;
  }
}
