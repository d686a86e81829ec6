/**
 * Replay tests guard workflow determinism: histories recorded from real runs are replayed
 * against the current workflow bundle; a change that breaks a running workflow (without
 * `patched()` or a new workflow type) fails here.
 *
 * Committed histories live in tests/fixtures/histories/<workflowType>-<path>.json. The suites
 * record them with `recordHistory` where the path runs, only when SR_RECORD_HISTORIES=1 (so
 * ordinary runs never rewrite fixtures): `npm run test:record-histories` regenerates them all.
 * tests/integration/replay-fixtures.test.ts replays every committed fixture on every run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { Worker } from '@temporalio/worker';

type History = proto.temporal.api.history.v1.IHistory;

const HISTORY_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/**
 * Proto JSON, the format of the Temporal CLI's history files. Not through @temporalio/common's
 * historyToJSON/historyFromJSON: with this lock file @temporalio/common and @temporalio/proto
 * each get their own copy of protobufjs 8, and common's protojson refuses proto's types ("type
 * must be a Type"). The same conversion with the protobufjs copy that built the types works.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from @temporalio/proto's directory
const protojson = require(
  require.resolve('protobufjs/ext/protojson', {
    paths: [path.dirname(require.resolve('@temporalio/proto/package.json'))],
  }),
) as ProtoJson;
const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
const historyType = root.lookupType('temporal.api.history.v1.History');

const historyToJSON = (history: History): string =>
  JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );

function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a history');
  return history;
}

/** How long `recordHistory` waits for a run to close before it saves what there is. */
const CLOSE_WAIT_MS = 15_000;

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

/**
 * Saves a run's history as the fixture `<name>.json` when SR_RECORD_HISTORIES=1: waits for the
 * run (`runId`, else the latest) to close, for up to 15 s, so the fixture is the whole run.
 */
export async function recordHistory(
  from: Client | { resources: { temporal: Client } },
  workflowId: string,
  name: string,
  runId?: string,
): Promise<void> {
  if (process.env.SR_RECORD_HISTORIES !== '1') return;
  const client = 'resources' in from ? from.resources.temporal : from;
  const handle = client.workflow.getHandle(workflowId, runId);
  const deadline = Date.now() + CLOSE_WAIT_MS;
  while ((await handle.describe()).status.name === 'RUNNING' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.json`), `${historyToJSON(history)}\n`);
}

export interface HistoryFixture {
  file: string;
  workflowType: string;
  history: History;
}

/** Every committed fixture, with the workflow type its first event names. */
export function historyFixtures(): HistoryFixture[] {
  const files = fs.existsSync(HISTORY_DIR)
    ? fs.readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json'))
    : [];
  return files.sort().map((file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8')));
    const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
    if (!workflowType) throw new Error(`${file}: the first event does not start a workflow`);
    return { file, workflowType, history };
  });
}

/** Replays fixtures against the current bundle with one replay worker; the failures by file. */
export async function replayFixtures(fixtures: HistoryFixture[]): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  const histories = fixtures.map(({ file, history }) => ({ workflowId: file, history }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle() }, histories)) {
    if (result.error) failures[result.workflowId] = `${result.error.name}: ${result.error.message}`;
  }
  return failures;
}
