/**
 * Replay tests guard workflow determinism: histories recorded from real runs are replayed
 * against the current workflow bundle; a change that breaks a running workflow (without
 * `patched()` or a new workflow type) fails here.
 *
 * Histories live in tests/fixtures/histories/<name>.json. A suite records the histories of
 * its own runs with `recordHistory` (only when SR_RECORD_HISTORIES=1, so ordinary runs never
 * rewrite fixtures) and `replayFixtures` replays every committed fixture.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

export const HISTORY_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

function bundle(): { codePath: string } {
  const codePath = process.env.SR_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('SR_TEST_WORKFLOW_BUNDLE is not set: run tests through jest (global-setup)');
  return { codePath };
}

/** Replays the live history of finished runs (fresh from this test) against the bundle. */
export async function replayRuns(client: Client, workflowIds: string[]): Promise<void> {
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: bundle() }, history, workflowId);
  }
}

/** Saves a finished run's history as a fixture when SR_RECORD_HISTORIES=1. */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.SR_RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.json`), historyToJSON(history));
}

/** Replays every committed fixture whose name starts with `prefix`; returns how many. */
export async function replayFixtures(prefix: string): Promise<number> {
  const files = fs.existsSync(HISTORY_DIR)
    ? fs.readdirSync(HISTORY_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    : [];
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: bundle() }, history, file);
  }
  return files.length;
}
