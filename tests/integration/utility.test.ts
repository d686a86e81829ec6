/**
 * Utility Factory end to end: the public and admin API, the `utility-project` workflow on a
 * real worker, PostgreSQL (rows, outbox, analytics) and Redis (rate limit, duplicate claims).
 * Each test sends from an IP address of its own (X-Forwarded-For, trusted from loopback), so
 * duplicate protection and rate limits never mix tests. Nothing sleeps a fixed time: tests
 * await workflow results or poll the database with a deadline.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import { createUtilityActivities } from '../../activities/utility';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { createApp } from '../../src/api/app';
import { apiErrorOf } from '../../src/api/failures';
import { allRouteModules } from '../../src/api/routes';
import { initialSnapshot, planChange } from '../../src/domain/utility/project-changes';
import { usdToCents, type ProjectSubmission } from '../../src/domain/utility/submission';
import { BusinessStatus, ProjectId, WalletAddress } from '../../src/temporal/search-attributes';
import { workflowIds } from '../../src/temporal/workflow-ids';
import {
  assignUpdate,
  postUpdateUpdate,
  statusQuery,
  type ProjectStatusView,
} from '../../workflows/utility-project.api';
import { startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { recordHistory, replayRuns } from '../support/replay';
import { newWallet, signIn, type TestWallet } from '../support/wallet';

const execFileAsync = promisify(execFile);
const DOMAIN = `uf-${crypto.randomBytes(4).toString('hex')}.example.com`;
const ADMIN_EMAILS = [`ops@${DOMAIN}`, `lead@${DOMAIN}`];
const SUBMIT = '/api/v1/utility-factory/project';
const ADMIN = '/api/v1/admin/utility/projects';
const SCRIPT = '<script>alert("x")</script>';
/** Admin notes and reasons that must never reach the client. */
const INTERNAL = {
  requestInfo: 'Internal: check their treasury wallet before quoting',
  resume: 'Internal: client answered by phone',
  approve: 'Internal: thin margin, watch the scope',
  reject: 'Internal: the client owes us from last time',
  cancel: 'Internal: budget never confirmed',
};
const ESCAPED_SCRIPT = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

let system: TestSystem;
let worker: { close(): Promise<void> };
let admin: TestWallet;
let client: TestWallet;
let adminToken: string;
let clientToken: string;
/** Same system, review SLA of 1 s: its projects get reminders within the test. */
let fastSlaApp: ReturnType<typeof createApp>;
/** Finished runs whose histories are replayed at the end. */
const finished: string[] = [];

beforeAll(async () => {
  admin = newWallet();
  client = newWallet();
  system = await startTestSystem({
    ADMIN_WALLETS: admin.address,
    ADMIN_EMAILS: ADMIN_EMAILS.join(','),
    UTILITY_REVIEW_SLA: '1h',
    RATE_LIMIT_SUBMIT_PER_HOUR: '1000',
    RATE_LIMIT_AUTH_IP_PER_MINUTE: '1000',
    RATE_LIMIT_AUTH_WALLET_PER_MINUTE: '1000',
    // The tests play clients behind a local proxy: each sets its own X-Forwarded-For.
    TRUST_PROXY: 'loopback',
  });
  worker = await startTestWorker(system);
  fastSlaApp = createApp(
    { ...system.deps, config: { ...system.config, utility: { reviewSlaMs: 1_000 } } },
    allRouteModules,
  );
  adminToken = await signIn(system.app, admin);
  clientToken = await signIn(system.app, client);
});

afterAll(async () => {
  await worker?.close();
  await system?.close();
});

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

const unique = (prefix: string) => `${prefix} ${crypto.randomBytes(4).toString('hex')}`;
const newIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

const submission = (overrides: Record<string, unknown> = {}) => ({
  projectName: unique('Rabbit DAO'),
  email: `client-${crypto.randomBytes(4).toString('hex')}@${DOMAIN}`,
  package: 'professional',
  services: ['smart-contract', 'website'],
  paymentMethod: 'SOL',
  details: 'A staking dApp for rabbit holders.\nWith a website.',
  timeline: '6 weeks',
  budget: 2500.5,
  ...overrides,
});

/** A submission body as the API stores it (budget in cents). */
const toStored = (body: ReturnType<typeof submission>): ProjectSubmission => ({
  projectName: body.projectName,
  email: body.email,
  package: body.package as ProjectSubmission['package'],
  services: body.services as ProjectSubmission['services'],
  paymentMethod: body.paymentMethod,
  details: body.details,
  timeline: body.timeline,
  budgetCents: usdToCents(body.budget).toString(),
});

interface SubmitOptions {
  ip: string;
  token?: string;
  app?: ReturnType<typeof createApp>;
}

function submit(body: unknown, { ip, token, app = system.app }: SubmitOptions) {
  const req = request(app).post(SUBMIT).set('X-Forwarded-For', ip);
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send(body as object);
}

const adminPost = (projectId: string, action: string, body: unknown, token = adminToken) =>
  request(system.app)
    .post(`${ADMIN}/${projectId}/${action}`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);

const adminGet = (path: string, token = adminToken) =>
  request(system.app).get(`${ADMIN}${path}`).set('Authorization', `Bearer ${token}`);

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface ProjectRow {
  id: string;
  project_name: string;
  email: string;
  contact_wallet: string | null;
  package: string;
  services: string[];
  payment_method: string;
  budget_cents: string | null;
  timeline: string | null;
  details: string;
  status: string;
  progress: number;
  assigned_to: string | null;
  estimated_completion: string | null;
  actual_completion: string | null;
  total_cost_cents: string | null;
  status_reason: string | null;
  updated_at: string;
}

const projectRow = async (projectId: string) =>
  (await system.sql<ProjectRow>('select * from utility_projects where id = ?', [projectId]))[0];

const recordedProject = (projectId: string) =>
  waitFor(`project ${projectId} row`, () => projectRow(projectId));

interface EmailRow {
  id: string;
  dedupe_key: string;
  recipient_email: string;
  template: string;
  subject: string;
  body: string;
  text_body: string;
  status: string;
}

const emailsOf = (projectId: string) =>
  system.sql<EmailRow>(
    `select id, dedupe_key, recipient_email, template, subject, body, text_body, status
       from email_notifications where dedupe_key like ? order by created_at, id`,
    [`utility:${projectId}:%`],
  );

const eventsOf = (projectId: string) =>
  system.sql<{ event_type: string; wallet_address: string | null; metadata: Record<string, unknown> }>(
    `select event_type, wallet_address, metadata from analytics_events
      where event_type like 'utility.%' and metadata->>'projectId' = ? order by id`,
    [projectId],
  );

const updatesOf = (projectId: string) =>
  system.sql<{ message: string; progress: number | null; created_by: string }>(
    'select message, progress, created_by from project_updates where project_id = ? order by created_at',
    [projectId],
  );

/** Everything a refused change must leave untouched. */
async function footprint(projectId: string) {
  const handle = system.resources.temporal.workflow.getHandle(workflowIds.utilityProject(projectId));
  const history = await handle.fetchHistory();
  return {
    row: await projectRow(projectId),
    updates: await updatesOf(projectId),
    emails: (await emailsOf(projectId)).map((e) => e.dedupe_key),
    events: await eventsOf(projectId),
    historyUpdates: (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
      .length,
  };
}

async function newProject(overrides: Record<string, unknown> = {}, options: Partial<SubmitOptions> = {}) {
  const body = submission(overrides);
  const res = await submit(body, { ip: newIp(), ...options });
  expect(res.status).toBe(201);
  const projectId = res.body.projectId as string;
  await recordedProject(projectId);
  return { projectId, body };
}

// ---------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------

describe('Utility Factory', () => {
  it('runs the whole lifecycle through the API, with review reminders, client e-mails and events', async () => {
    const ip = newIp();
    const body = submission();
    const created = await submit(body, { ip, token: clientToken, app: fastSlaApp }).expect(201);
    expect(created.body).toEqual({
      success: true,
      projectId: expect.stringMatching(/^UF-[A-Z2-7]{16}$/),
      status: 'pending_review',
      estimatedReviewTime: '1 second',
    });
    const projectId = created.body.projectId as string;
    const workflowId = workflowIds.utilityProject(projectId);
    const handle = system.resources.temporal.workflow.getHandle(workflowId);

    // Readable at once, whether or not the workflow has written the row yet.
    const early = await request(system.app).get(`${SUBMIT}/${projectId}`).expect(200);
    expect(early.body).toMatchObject({ projectId, status: 'pending_review', progress: 0, updates: [] });

    const row = await recordedProject(projectId);
    expect(row).toMatchObject({
      project_name: body.projectName,
      email: body.email,
      contact_wallet: client.address,
      package: 'professional',
      services: ['smart-contract', 'website'],
      payment_method: 'SOL',
      budget_cents: '250050',
      timeline: '6 weeks',
      details: body.details,
      status: 'pending_review',
      progress: 0,
    });

    // No review within the SLA (1 s): reminder 1, then 2, each to both admin addresses.
    const reminders = await waitFor('two review reminders', async () => {
      const rows = (await emailsOf(projectId)).filter((e) => e.template === 'reviewReminder');
      return rows.length >= 4 ? rows : undefined;
    });
    for (const n of [1, 2]) {
      const nth = reminders.filter((e) => e.dedupe_key.startsWith(`utility:${projectId}:reminder:${n}:`));
      expect(nth.map((e) => e.recipient_email).sort()).toEqual([...ADMIN_EMAILS].sort());
    }
    expect(reminders[0]!.subject).toBe(`Review Reminder - ${body.projectName} is waiting for review`);

    const step = async (action: string, input: unknown, expected: Partial<ProjectStatusView>) => {
      const res = await adminPost(projectId, action, input);
      expect({ action, status: res.status, body: res.body }).toMatchObject({
        action,
        status: 200,
        body: expected,
      });
      return res.body as ProjectStatusView;
    };
    await step(
      'review',
      {
        decision: 'request_info',
        message: INTERNAL.requestInfo,
        clientMessage: 'Which chain and which wallet?',
      },
      { status: 'needs_info', statusReason: INTERNAL.requestInfo },
    );
    await step('resume-review', { note: INTERNAL.resume }, { status: 'pending_review' });
    await step(
      'review',
      {
        decision: 'approve',
        assignee: 'alice',
        estimatedCompletion: '2026-03-01',
        totalCostCents: '250000',
        note: INTERNAL.approve,
      },
      {
        status: 'approved',
        assignedTo: 'alice',
        estimatedCompletion: '2026-03-01',
        totalCostCents: '250000',
      },
    );
    await step(
      'updates',
      { message: 'Contracts drafted', progress: 40 },
      { status: 'in_progress', progress: 40 },
    );
    await step('assign', { assignee: 'bob' }, { status: 'in_progress', assignedTo: 'bob' });
    await step('updates', { message: 'Website live on staging', progress: 80 }, { progress: 80 });
    const done = await step('complete', {}, { status: 'completed', progress: 100 });
    expect(done.updates.map((u) => u.message)).toEqual([
      'Which chain and which wallet?',
      'Thank you for the information: your project is back in review.',
      'Your project has been approved. Estimated completion: 2026-03-01. Total cost: $2,500.00.',
      'Contracts drafted',
      'Website live on staging',
      'Your project is complete.',
    ]);

    const result = await handle.result();
    finished.push(workflowId);
    await recordHistory(system, workflowId, 'utilityProject-completed');
    expect(result).toMatchObject({ projectId, status: 'completed', progress: 100, assignedTo: 'bob' });
    expect(await handle.query(statusQuery)).toEqual(result);

    // The public view: status, progress, estimate and updates; nothing personal.
    const view = await request(system.app).get(`${SUBMIT}/${projectId}`).expect(200);
    expect(Object.keys(view.body).sort()).toEqual([
      'estimatedCompletion',
      'progress',
      'projectId',
      'status',
      'updates',
    ]);
    expect(view.body).toMatchObject({
      projectId,
      status: 'completed',
      progress: 100,
      estimatedCompletion: '2026-03-01',
    });
    expect(view.body.updates).toHaveLength(6);
    expect(view.body.updates[3]).toEqual({
      message: 'Contracts drafted',
      progress: 40,
      createdAt: expect.any(String),
    });
    for (const u of view.body.updates)
      expect(Object.keys(u).sort()).toEqual(['createdAt', 'message', 'progress']);
    const publicText = JSON.stringify(view.body);
    for (const secret of [
      body.email,
      client.address,
      admin.address,
      'alice',
      'bob',
      body.details,
      ...Object.values(INTERNAL),
    ]) {
      expect(publicText).not.toContain(secret);
    }

    // The database: final row, one update row per client-visible change, events, e-mails.
    expect(await projectRow(projectId)).toMatchObject({
      status: 'completed',
      progress: 100,
      assigned_to: 'bob',
      estimated_completion: '2026-03-01',
      total_cost_cents: '250000',
      actual_completion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      status_reason: null,
    });
    const updates = await updatesOf(projectId);
    expect(updates.map((u) => [u.progress, u.created_by])).toEqual([
      [null, admin.address],
      [null, admin.address],
      [null, admin.address],
      [40, admin.address],
      [80, admin.address],
      [100, admin.address],
    ]);
    const events = await eventsOf(projectId);
    expect(events.map((e) => e.event_type)).toEqual([
      'utility.project_submitted',
      'utility.status_changed',
      'utility.status_changed',
      'utility.status_changed',
      'utility.status_changed',
      'utility.update_posted',
      'utility.update_posted',
      'utility.status_changed',
    ]);
    expect(events[0]).toMatchObject({ wallet_address: client.address, metadata: { budgetCents: '250050' } });
    expect(events.filter((e) => e.event_type === 'utility.status_changed').map((e) => e.metadata.to)).toEqual(
      ['needs_info', 'pending_review', 'approved', 'in_progress', 'completed'],
    );
    const clientEmails = (await emailsOf(projectId)).filter((e) => e.template !== 'reviewReminder');
    expect(clientEmails.map((e) => e.template)).toEqual([
      'projectSubmitted',
      'projectStatusChanged',
      'projectStatusChanged',
      'projectStatusChanged',
      'projectUpdate',
      'projectUpdate',
      'projectStatusChanged',
    ]);
    expect(new Set(clientEmails.map((e) => e.recipient_email))).toEqual(new Set([body.email]));
    expect(clientEmails[0]!.subject).toBe(`Project Submission Received - ${body.projectName}`);
    // The promise is the worker's UTILITY_REVIEW_SLA in words, not a fixed "24 hours".
    expect(clientEmails[0]!.text_body).toContain("We'll review it within 1 hour and get back to you.");
    // Every e-mail's delivery was started and went out (transport `log`).
    await waitFor('every e-mail sent', async () =>
      (await emailsOf(projectId)).every((e) => e.status === 'sent'),
    );
    // Reminders stopped with the review: the workflow counted exactly the ones queued.
    const reminderNumbers = new Set(
      (await emailsOf(projectId))
        .filter((e) => e.template === 'reviewReminder')
        .map((e) => e.dedupe_key.split(':')[3]),
    );
    expect(reminderNumbers.size).toBe(result.reminders);

    // The admin view: everything, with history and e-mails.
    const detail = await adminGet(`/${projectId}`).expect(200);
    expect(detail.body).toMatchObject({
      projectId,
      email: body.email,
      details: body.details,
      contactWallet: client.address,
      budget: 2500.5,
      budgetCents: '250050',
      totalCost: 2500,
      totalCostCents: '250000',
      status: 'completed',
      workflow: { workflowId, url: expect.stringContaining(encodeURIComponent(workflowId)) },
    });
    expect(detail.body.history.map((h: { event: string; to: string }) => `${h.event}→${h.to}`)).toEqual([
      'submit→pending_review',
      'request_info→needs_info',
      'resume_review→pending_review',
      'approve→approved',
      'post_update→in_progress',
      'complete→completed',
    ]);
    // The internal notes are in the admin history, beside the change they were made with.
    expect(detail.body.history.map((h: { note: string | null }) => h.note)).toEqual([
      null,
      INTERNAL.requestInfo,
      INTERNAL.resume,
      INTERNAL.approve,
      null,
      null,
    ]);
    expect(detail.body.updates[0]).toMatchObject({ createdBy: admin.address });
    // ...and in no e-mail to the client.
    for (const email of clientEmails) {
      for (const note of Object.values(INTERNAL)) expect(email.body + email.text_body).not.toContain(note);
    }
    expect(detail.body.emails.length).toBe((await emailsOf(projectId)).length);

    // The Web UI finds it by project id and status.
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(ProjectId)).toBe(projectId);
    expect(description.typedSearchAttributes.get(BusinessStatus)).toBe('completed');
    // ...and by the signed-in client's wallet, which the run sets itself.
    expect(description.typedSearchAttributes.get(WalletAddress)).toBe(client.address);
    expect(await description.staticSummary()).toContain(projectId);
  });

  it('shows the client only client messages; notes and reasons stay in the admin view', async () => {
    const rejected = await newProject();
    await adminPost(rejected.projectId, 'review', { decision: 'reject', reason: INTERNAL.reject }).expect(
      200,
    );
    const cancelled = await newProject();
    await adminPost(cancelled.projectId, 'review', {
      decision: 'request_info',
      message: INTERNAL.requestInfo,
    }).expect(200);
    await adminPost(cancelled.projectId, 'cancel', {
      reason: INTERNAL.cancel,
      clientMessage: 'We have closed this request; write to us to start again.',
    }).expect(200);

    const publicUpdates = async (projectId: string) =>
      (await request(system.app).get(`${SUBMIT}/${projectId}`).expect(200)).body.updates.map(
        (u: { message: string }) => u.message,
      );
    expect(await publicUpdates(rejected.projectId)).toEqual([
      'We are sorry: we cannot take on your project.',
    ]);
    expect(await publicUpdates(cancelled.projectId)).toEqual([
      'We need more information about your project: we will contact you by e-mail.',
      'We have closed this request; write to us to start again.',
    ]);
    for (const { projectId } of [rejected, cancelled]) {
      const emails = await waitFor('the status e-mails', async () => {
        const rows = (await emailsOf(projectId)).filter((e) => e.template === 'projectStatusChanged');
        return rows.length > 0 ? rows : undefined;
      });
      for (const email of emails)
        for (const note of Object.values(INTERNAL)) expect(email.body + email.text_body).not.toContain(note);
    }

    const rejectedDetail = await adminGet(`/${rejected.projectId}`).expect(200);
    expect(rejectedDetail.body).toMatchObject({ status: 'rejected', statusReason: INTERNAL.reject });
    expect(rejectedDetail.body.history.at(-1)).toMatchObject({ event: 'reject', note: INTERNAL.reject });
    const cancelledDetail = await adminGet(`/${cancelled.projectId}`).expect(200);
    expect(cancelledDetail.body).toMatchObject({ status: 'cancelled', statusReason: INTERNAL.cancel });
    expect(cancelledDetail.body.history.map((h: { note: string | null }) => h.note)).toEqual([
      null,
      INTERNAL.requestInfo,
      INTERNAL.cancel,
    ]);
    for (const { projectId } of [rejected, cancelled]) {
      const id = workflowIds.utilityProject(projectId);
      await system.resources.temporal.workflow.getHandle(id).result();
      finished.push(id);
    }
    // A run with the client-messages patch, replayed by replay-fixtures.test.ts from now on.
    await recordHistory(
      system,
      workflowIds.utilityProject(cancelled.projectId),
      'utilityProject-client-messages',
    );
  });

  it('refuses changes the state machine forbids with 409 and its reason, writing nothing', async () => {
    const { projectId } = await newProject();
    const before = await footprint(projectId);
    expect(before.historyUpdates).toBe(0);

    const refusals: [string, unknown, string][] = [
      ['complete', {}, 'cannot complete a project that is pending_review'],
      [
        'updates',
        { message: 'Early news', progress: 5 },
        'cannot post an update to a project that is pending_review',
      ],
      ['cancel', { reason: 'Changed my mind' }, 'cannot cancel a project that is pending_review'],
      ['assign', { assignee: 'alice' }, 'cannot assign a project that is pending_review'],
      ['resume-review', {}, 'cannot resume the review of a project that is pending_review'],
    ];
    for (const [action, body, reason] of refusals) {
      const res = await adminPost(projectId, action, body);
      expect({ action, status: res.status, code: res.body.error?.code }).toEqual({
        action,
        status: 409,
        code: 'InvalidTransition',
      });
      expect(res.body.error.message).toContain(reason);
    }

    // What the CLI would send, straight to the workflow: a malformed input is refused too.
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.utilityProject(projectId));
    const malformed = await handle
      .executeUpdate(postUpdateUpdate, { args: [{ message: '', author: 'cli' }] })
      .catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (malformed as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'InvalidProjectChange', message: 'message: must not be empty' });

    expect(await footprint(projectId)).toEqual(before);

    // Rejected is final: the workflow ends, and later changes are refused with the reason.
    await adminPost(projectId, 'review', { decision: 'reject', reason: 'Out of scope' })
      .expect(200)
      .then((res) => expect(res.body).toMatchObject({ status: 'rejected', statusReason: 'Out of scope' }));
    const final = await handle.result();
    finished.push(workflowIds.utilityProject(projectId));
    expect(final.status).toBe('rejected');
    await recordHistory(system, workflowIds.utilityProject(projectId), 'utilityProject-rejected');
    const afterReject = await footprint(projectId);
    const again = await adminPost(projectId, 'review', {
      decision: 'approve',
      assignee: 'alice',
      estimatedCompletion: '2026-03-01',
      totalCostCents: '100',
    }).expect(409);
    expect(again.body.error.message).toBe('cannot approve a project that is rejected: rejected is final');
    await adminPost(projectId, 'cancel', { reason: 'x' }).expect(409);
    expect(await footprint(projectId)).toEqual(afterReject);
  });

  it('answers 404 for an unknown project, on every route', async () => {
    const unknown = 'UF-AAAAAAAAAAAAAAAA';
    await request(system.app).get(`${SUBMIT}/${unknown}`).expect(404);
    await adminGet(`/${unknown}`).expect(404);
    const res = await adminPost(unknown, 'review', { decision: 'reject', reason: 'x' }).expect(404);
    expect(res.body.error.code).toBe('NotFound');
    await adminPost(unknown, 'updates', { message: 'x' }).expect(404);
  });

  it('answers 409 WorkflowClosed for a project whose run an operator ended before a final status', async () => {
    const { projectId } = await newProject();
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.utilityProject(projectId));
    await handle.terminate('test: operator ends the run');
    const res = await adminPost(projectId, 'review', { decision: 'reject', reason: 'x' }).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'WorkflowClosed',
      message: expect.stringContaining('has ended'),
    });
  });

  it('answers a malformed change sent to the run with 400 InvalidProjectChange', async () => {
    const { projectId } = await newProject();
    const handle = system.resources.temporal.workflow.getHandle(workflowIds.utilityProject(projectId));
    const refused = await handle
      .executeUpdate(assignUpdate, { args: [{ assignee: '', by: 'cli' }] })
      .catch((e: unknown) => apiErrorOf(e));
    expect(refused).toMatchObject({ status: 400, code: 'InvalidProjectChange' });
  });

  it('returns the same project for the same submission from the same client within the window', async () => {
    const ip = newIp();
    const body = submission();
    const first = await submit(body, { ip }).expect(201);
    const projectId = first.body.projectId as string;

    // Again, with services reordered, the e-mail in capitals and spaces around the name.
    const again = await submit(
      {
        ...body,
        services: [...body.services].reverse(),
        email: body.email.toUpperCase(),
        projectName: ` ${body.projectName} `,
      },
      { ip },
    ).expect(200);
    expect(again.body).toMatchObject({ success: true, projectId, status: 'pending_review' });

    // Once recorded, still the same, and with its current status.
    await recordedProject(projectId);
    await adminPost(projectId, 'review', { decision: 'request_info', message: 'More please' }).expect(200);
    await submit(body, { ip })
      .expect(200)
      .then((res) => expect(res.body).toMatchObject({ projectId, status: 'needs_info' }));

    // Another client, a signed-in wallet, or a different body: a new project.
    const otherIp = (await submit(body, { ip: newIp() }).expect(201)).body.projectId;
    const signedIn = (await submit(body, { ip, token: clientToken }).expect(201)).body.projectId;
    const changed = (await submit({ ...body, budget: 2600 }, { ip }).expect(201)).body.projectId;
    expect(new Set([projectId, otherIp, signedIn, changed]).size).toBe(4);

    // Five identical requests at once: one project.
    const burstBody = submission();
    const burstIp = newIp();
    const burst = await Promise.all(Array.from({ length: 5 }, () => submit(burstBody, { ip: burstIp })));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(burst.map((r) => r.body.projectId)).size).toBe(1);
    await recordedProject(burst[0]!.body.projectId);
    const rows = await system.sql<{ n: number }>(
      'select count(*)::int as n from utility_projects where project_name = ?',
      [burstBody.projectName],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('stores HTML and script in every text field verbatim and escapes it in every e-mail', async () => {
    const hostile = {
      projectName: `Rabbit ${SCRIPT} <b>DAO</b>`,
      paymentMethod: '<i>SOL</i>',
      details: `Line one ${SCRIPT}\n<img src=x onerror="alert(1)">`,
      timeline: `${SCRIPT} & soon`,
    };
    const { projectId } = await newProject(hostile);
    expect(await projectRow(projectId)).toMatchObject({
      project_name: hostile.projectName,
      payment_method: hostile.paymentMethod,
      details: hostile.details,
      timeline: hostile.timeline,
    });
    const detail = await adminGet(`/${projectId}`).expect(200);
    expect(detail.body).toMatchObject(hostile);

    await adminPost(projectId, 'review', {
      decision: 'approve',
      assignee: `<b>alice</b>`,
      estimatedCompletion: '2026-04-01',
      totalCostCents: '99',
      clientMessage: `Welcome ${SCRIPT}`,
    }).expect(200);
    await adminPost(projectId, 'updates', { message: `Progress ${SCRIPT}`, progress: 10 }).expect(200);
    await adminPost(projectId, 'cancel', {
      reason: `Internal ${SCRIPT}`,
      clientMessage: `Stopped ${SCRIPT}`,
    }).expect(200);

    const emails = await waitFor('four client e-mails', async () => {
      const rows = await emailsOf(projectId);
      return rows.length === 4 ? rows : undefined;
    });
    expect(emails.map((e) => e.template)).toEqual([
      'projectSubmitted',
      'projectStatusChanged',
      'projectUpdate',
      'projectStatusChanged',
    ]);
    for (const email of emails) {
      expect(email.body).toContain(ESCAPED_SCRIPT);
      expect(email.body).not.toContain('<script>');
      expect(email.body).not.toContain('<b>DAO</b>');
      expect(email.body).toContain('Rabbit');
    }
    expect(emails[0]!.body).toContain(`Rabbit ${ESCAPED_SCRIPT} &lt;b&gt;DAO&lt;/b&gt;`);

    const view = await request(system.app).get(`${SUBMIT}/${projectId}`).expect(200);
    expect(view.body.updates.map((u: { message: string }) => u.message)).toEqual([
      `Welcome ${SCRIPT}\n\nEstimated completion: 2026-04-01. Total cost: $0.99.`,
      `Progress ${SCRIPT}`,
      `Stopped ${SCRIPT}`,
    ]);
    finished.push(workflowIds.utilityProject(projectId));
    await system.resources.temporal.workflow.getHandle(workflowIds.utilityProject(projectId)).result();
  });

  describe('bad input', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['projectName missing', { projectName: undefined }, 'body.projectName'],
      ['projectName empty', { projectName: '   ' }, 'body.projectName'],
      ['projectName too long', { projectName: 'x'.repeat(256) }, 'body.projectName'],
      ['projectName not a string', { projectName: 42 }, 'body.projectName'],
      ['projectName with a line break', { projectName: 'a\nb' }, 'body.projectName'],
      ['email missing', { email: undefined }, 'body.email'],
      ['email invalid', { email: 'not-an-email' }, 'body.email'],
      ['email too long', { email: `${'x'.repeat(250)}@example.com` }, 'body.email'],
      ['package unknown', { package: 'deluxe' }, 'body.package'],
      ['package missing', { package: undefined }, 'body.package'],
      ['services empty', { services: [] }, 'body.services'],
      ['services unknown', { services: ['website', 'time-machine'] }, 'body.services.1'],
      ['services twice', { services: ['website', 'website'] }, 'body.services'],
      ['services not a list', { services: 'website' }, 'body.services'],
      ['paymentMethod empty', { paymentMethod: '' }, 'body.paymentMethod'],
      ['paymentMethod too long', { paymentMethod: 'x'.repeat(51) }, 'body.paymentMethod'],
      ['details missing', { details: undefined }, 'body.details'],
      ['details too long', { details: 'x'.repeat(10_001) }, 'body.details'],
      ['details with NUL', { details: 'a\u0000b' }, 'body.details'],
      ['timeline too long', { timeline: 'x'.repeat(101) }, 'body.timeline'],
      ['timeline not a string', { timeline: 6 }, 'body.timeline'],
      ['budget negative', { budget: -1 }, 'body.budget'],
      ['budget in fractions of a cent', { budget: 10.005 }, 'body.budget'],
      ['budget as text', { budget: '2500' }, 'body.budget'],
      ['budget too large', { budget: 1e12 }, 'body.budget'],
      ['an unknown field', { contactWallet: 'x' }, 'contactWallet'],
    ];

    it.each(cases)('%s → 400 naming the field, nothing created', async (_name, overrides, field) => {
      const body = submission(overrides);
      const res = await submit(JSON.parse(JSON.stringify(body)), { ip: newIp() });
      expect({ status: res.status, code: res.body.error?.code }).toEqual({
        status: 400,
        code: 'ValidationFailed',
      });
      expect(res.body.error.message).toContain(field);
      if (typeof body.projectName === 'string') {
        const rows = await system.sql('select 1 from utility_projects where project_name = ?', [
          body.projectName.trim(),
        ]);
        expect(rows).toHaveLength(0);
      }
    });

    it('malformed JSON and a malformed project id are 400s', async () => {
      const res = await request(system.app)
        .post(SUBMIT)
        .set('X-Forwarded-For', newIp())
        .set('Content-Type', 'application/json')
        .send('{"projectName": ');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MalformedJson');
      const bad = await request(system.app).get(`${SUBMIT}/../../admin`).expect(404);
      expect(bad.body.error).toBeDefined();
      const id = await request(system.app).get(`${SUBMIT}/uf-lowercase`).expect(400);
      expect(id.body.error.message).toContain('params.projectId');
      await adminGet('/UF-TOO-SHORT').expect(400);
    });

    it('refuses bad admin inputs with 400 naming the field', async () => {
      const { projectId } = await newProject();
      const approve = {
        decision: 'approve',
        assignee: 'alice',
        estimatedCompletion: '2026-03-01',
        totalCostCents: '1',
      };
      const cases: [string, unknown, string][] = [
        ['review', { decision: 'maybe' }, 'body.decision'],
        ['review', {}, 'body.decision'],
        ['review', { ...approve, estimatedCompletion: '2026-02-30' }, 'body.estimatedCompletion'],
        ['review', { ...approve, totalCostCents: 25.5 }, 'body.totalCostCents'],
        ['review', { ...approve, totalCostCents: '-5' }, 'body.totalCostCents'],
        ['review', { ...approve, assignee: '' }, 'body.assignee'],
        ['review', { ...approve, reviewer: 'someone else' }, 'reviewer'],
        ['review', { decision: 'reject', reason: '' }, 'body.reason'],
        ['review', { decision: 'request_info' }, 'body.message'],
        ['updates', { message: 'x', progress: 101 }, 'body.progress'],
        ['updates', { message: 'x', progress: 2.5 }, 'body.progress'],
        ['updates', { progress: 10 }, 'body.message'],
        ['updates', { message: 'x'.repeat(5_001) }, 'body.message'],
        ['assign', { assignee: 'x'.repeat(256) }, 'body.assignee'],
        ['cancel', {}, 'body.reason'],
        ['complete', { message: 7 }, 'body.message'],
      ];
      for (const [action, body, field] of cases) {
        const res = await adminPost(projectId, action, body);
        expect({ action, body, status: res.status }).toEqual({ action, body, status: 400 });
        expect(res.body.error.message).toContain(field);
      }
      await adminGet('?status=waiting').expect(400);
      await adminGet('?sort=sideways').expect(400);
      await adminGet('?pageSize=0').expect(400);
      const untouched = await footprint(projectId);
      expect(untouched.historyUpdates).toBe(0);
      expect(untouched.row?.status).toBe('pending_review');
    });
  });

  it('keeps admin routes for admins: 401 without a token, 403 for other wallets', async () => {
    const { projectId } = await newProject();
    const routes: [string, string, unknown?][] = [
      ['get', ''],
      ['get', `/${projectId}`],
      ['post', `/${projectId}/review`, { decision: 'reject', reason: 'x' }],
      ['post', `/${projectId}/resume-review`, {}],
      ['post', `/${projectId}/assign`, { assignee: 'x' }],
      ['post', `/${projectId}/updates`, { message: 'x' }],
      ['post', `/${projectId}/complete`, {}],
      ['post', `/${projectId}/cancel`, { reason: 'x' }],
    ];
    for (const [method, path, body] of routes) {
      const url = `${ADMIN}${path}`;
      const anonymous =
        method === 'get'
          ? request(system.app).get(url)
          : request(system.app)
              .post(url)
              .send(body as object);
      expect([path, (await anonymous).status]).toEqual([path, 401]);
      const asClient =
        method === 'get'
          ? request(system.app).get(url).set('Authorization', `Bearer ${clientToken}`)
          : request(system.app)
              .post(url)
              .set('Authorization', `Bearer ${clientToken}`)
              .send(body as object);
      const res = await asClient;
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'Forbidden']);
    }
    expect((await projectRow(projectId))?.status).toBe('pending_review');
  });

  it('lists the queue by status, oldest or newest first, a page at a time', async () => {
    const a = await newProject();
    const b = await newProject();
    const c = await newProject();
    await adminPost(b.projectId, 'review', { decision: 'request_info', message: 'More' }).expect(200);

    const oldest = await adminGet('?status=pending_review&sort=oldest&pageSize=500').expect(200);
    const ids = oldest.body.projects.map((p: { projectId: string }) => p.projectId);
    expect(ids).toEqual(expect.arrayContaining([a.projectId, c.projectId]));
    expect(ids).not.toContain(b.projectId);
    expect(ids.indexOf(a.projectId)).toBeLessThan(ids.indexOf(c.projectId));
    const created = oldest.body.projects.map((p: { createdAt: string }) => p.createdAt);
    expect([...created].sort()).toEqual(created);
    expect(oldest.body.total).toBe(ids.length);

    const newest = await adminGet('?status=pending_review,needs_info&sort=newest&pageSize=500').expect(200);
    const newestIds = newest.body.projects.map((p: { projectId: string }) => p.projectId);
    expect(newestIds.indexOf(c.projectId)).toBeLessThan(newestIds.indexOf(b.projectId));
    expect(newestIds.indexOf(b.projectId)).toBeLessThan(newestIds.indexOf(a.projectId));
    expect(newest.body.projects[0]).toMatchObject({ email: expect.any(String), status: expect.any(String) });

    const second = await adminGet('?status=pending_review,needs_info&sort=newest&page=2&pageSize=1').expect(
      200,
    );
    expect(second.body).toMatchObject({ page: 2, pageSize: 1, total: newest.body.total });
    expect(second.body.projects.map((p: { projectId: string }) => p.projectId)).toEqual([newestIds[1]]);
  });

  it('rate-limits submissions per IP address', async () => {
    const limited = createApp(
      {
        ...system.deps,
        config: { ...system.config, rateLimits: { ...system.config.rateLimits, submitPerHour: 2 } },
      },
      allRouteModules,
    );
    const ip = newIp();
    await submit(submission(), { ip, app: limited }).expect(201);
    await submit(submission(), { ip, app: limited }).expect(201);
    const third = await submit(submission(), { ip, app: limited }).expect(429);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    await submit(submission(), { ip: newIp(), app: limited }).expect(201);
  });

  it('spends the submit budget on accepted submissions only; refused ones have their own', async () => {
    const limited = createApp(
      {
        ...system.deps,
        config: {
          ...system.config,
          rateLimits: { ...system.config.rateLimits, submitPerHour: 2, invalidSubmitPerHour: 8 },
        },
      },
      allRouteModules,
    );
    const ip = newIp();
    const invalid = { ...submission(), services: [] };
    // More refused submissions than the whole submit budget...
    for (let i = 0; i < 7; i++) await submit(invalid, { ip, app: limited }).expect(400);
    // ...and the client's valid one is still accepted, as is a second.
    await submit(submission(), { ip, app: limited }).expect(201);
    await submit(submission(), { ip, app: limited }).expect(201);
    // The refused ones' budget (8) runs out on its own; the accepted one's (2) is spent.
    await submit(invalid, { ip, app: limited }).expect(400);
    const tooManyInvalid = await submit(invalid, { ip, app: limited }).expect(429);
    expect(tooManyInvalid.headers['retry-after']).toMatch(/^\d+$/);
    const other = newIp();
    await submit(submission(), { ip: other, app: limited }).expect(201);
    await submit(submission(), { ip: other, app: limited }).expect(201);
    const tooMany = await submit(submission(), { ip: other, app: limited }).expect(429);
    expect(tooMany.body.error.code).toBe('RateLimited');
  });

  it('takes the README’s Temporal CLI commands: update review, postUpdate, query status', async () => {
    const { projectId } = await newProject();
    const workflowId = workflowIds.utilityProject(projectId);
    const cli = ensureTemporalCli({ log: () => undefined });
    const temporal = async (...args: string[]) => {
      const { stdout } = await execFileAsync(cli, [
        ...args,
        '--address',
        system.config.temporal.address,
        '--namespace',
        system.config.temporal.namespace,
        '--output',
        'json',
      ]);
      return stdout;
    };
    await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      workflowId,
      '--name',
      'review',
      '--input',
      JSON.stringify({
        decision: 'approve',
        assignee: 'alice',
        estimatedCompletion: '2026-03-01',
        totalCostCents: '250000',
        reviewer: 'ops',
      }),
    );
    await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      workflowId,
      '--name',
      'postUpdate',
      '--input',
      JSON.stringify({ message: 'Contracts deployed to devnet', progress: 40, author: 'ops' }),
    );
    const refused = await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      workflowId,
      '--name',
      'complete',
      '--input',
      '{"bye":"ops"}',
    ).catch((e: { stderr?: string }) => e.stderr ?? String(e));
    expect(refused).toContain('bye: unknown field');
    const status = await temporal('workflow', 'query', '--workflow-id', workflowId, '--type', 'status');
    expect(status).toContain('"in_progress"');
    expect(status).toContain('Contracts deployed to devnet');

    expect(await projectRow(projectId)).toMatchObject({
      status: 'in_progress',
      progress: 40,
      assigned_to: 'alice',
    });
    expect((await eventsOf(projectId)).at(-2)).toMatchObject({
      event_type: 'utility.status_changed',
      wallet_address: null,
      metadata: { by: 'ops', to: 'in_progress' },
    });
    expect((await updatesOf(projectId)).map((u) => u.created_by)).toEqual(['ops', 'ops']);
    await adminPost(projectId, 'cancel', { reason: 'Test over' }).expect(200);
    await system.resources.temporal.workflow.getHandle(workflowId).result();
    finished.push(workflowId);
  });

  it('writes each change once when its activity runs again after the commit', async () => {
    const { projectId, body } = await newProject();
    const activities = createUtilityActivities({
      config: system.config,
      logger: system.deps.logger,
      orm: system.resources.orm,
      redis: system.resources.redis,
    });
    const submitted = await system.sql<{ fingerprint: string }>(
      'select submission_fingerprint as fingerprint from utility_projects where id = ?',
      [projectId],
    );
    const resubmitted = await activities.recordProjectSubmission({
      projectId,
      submission: { ...toStored(body), projectName: 'a different name would be ignored' },
      contactWallet: null,
      client: { ip: null, userAgent: null },
      fingerprint: submitted[0]!.fingerprint,
      submittedAt: new Date().toISOString(),
    });
    expect(resubmitted.emailIds).toEqual([(await emailsOf(projectId))[0]!.id]);
    expect((await projectRow(projectId))?.project_name).toBe(body.projectName);

    const plan = planChange(
      initialSnapshot(),
      { event: 'request_info', by: 'ops', message: 'Which chain?' },
      '2026-01-01',
    );
    if (!plan.ok) throw new Error(plan.reason);
    const change = { ...plan.change, projectId, changeId: crypto.randomUUID(), at: new Date().toISOString() };
    const first = await activities.recordProjectChange(change);
    const second = await activities.recordProjectChange(change);
    expect(second).toEqual(first);
    expect(await updatesOf(projectId)).toHaveLength(1);
    expect((await emailsOf(projectId)).map((e) => e.template)).toEqual([
      'projectSubmitted',
      'projectStatusChanged',
    ]);
    expect((await eventsOf(projectId)).map((e) => e.event_type)).toEqual([
      'utility.project_submitted',
      'utility.status_changed',
    ]);
  });

  it('replays the finished runs’ histories deterministically', async () => {
    expect(finished.length).toBeGreaterThanOrEqual(3);
    await replayRuns(system.resources.temporal, finished);
  });
});
