/**
 * The e-mail outbox end to end: real PostgreSQL and Temporal, the real SendGrid client, and
 * the local mail sink as the provider. Retry intervals are ~100 ms; nothing sleeps a fixed
 * time: tests await the delivery workflow's result or poll the database with a deadline.
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createEmailActivities } from '../../activities/email';
import { EmailNotificationSchema, type EmailNotification } from '../../src/db/entities/email-notification';
import { UserSchema } from '../../src/db/entities/user';
import type { TicketsPurchasedData } from '../../src/domain/email/templates';
import { countEmailsByStatus, getEmail, listEmails, requeueFailedEmail } from '../../src/db/email/admin';
import { ensureEmailSweeper, startEmailDeliveries } from '../../src/email/delivery';
import { enqueueEmail, type EnqueueEmailInput } from '../../src/db/email/outbox';
import { startMailSink, type MailSink } from '../../src/email/local/sink';
import {
  PermanentEmailError,
  TransientEmailError,
  createSendGridTransport,
  type EmailTransport,
} from '../../src/email/transport';
import type { Config } from '../../src/config';
import { connectWorker } from '../../src/temporal/connection';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { recordHistory } from '../support/replay';
import type { emailOutboxSweeper } from '../../workflows/email-delivery';
import type { EmailDeliveryResult } from '../../workflows/email.api';
import {
  startTestSystem,
  startTestWorker,
  testConfig,
  uniqueTaskQueue,
  type TestSystem,
} from '../support/harness';

const API_KEY = `SG.test-${crypto.randomBytes(8).toString('hex')}`;
/** Every address of this run is under its own domain, so queries never see other suites' rows. */
const DOMAIN = `outbox-${crypto.randomBytes(4).toString('hex')}.example.com`;

let sink: MailSink;
let system: TestSystem;
let worker: { close(): Promise<void> };

const emailEnv = () => ({
  EMAIL_TRANSPORT: 'sendgrid',
  SENDGRID_API_URL: sink.url,
  SENDGRID_API_KEY: API_KEY,
  EMAIL_PROVIDER_DEDUPES: 'true',
  EMAIL_SEND_TIMEOUT: '5s',
  EMAIL_RETRY_INITIAL_INTERVAL: '100ms',
  EMAIL_RETRY_MAX_INTERVAL: '400ms',
  EMAIL_MAX_ATTEMPTS: '4',
  EMAIL_SWEEP_INTERVAL: '200ms',
  EMAIL_SWEEP_GRACE: '300ms',
});

beforeAll(async () => {
  sink = await startMailSink({ apiKey: API_KEY });
  system = await startTestSystem(emailEnv());
  worker = await startTestWorker(system);
});

afterAll(async () => {
  await worker?.close();
  await system?.close();
  await sink?.close();
});

beforeEach(() => sink.reset());

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

const fork = () => system.resources.orm.em.fork() as EntityManager;
const unique = (prefix: string) => `${prefix}-${crypto.randomBytes(6).toString('hex')}`;

const ticketData = (overrides: Partial<TicketsPurchasedData> = {}): TicketsPurchasedData => ({
  ticketCount: 2,
  ticketNumbers: [41, 42],
  roundId: 'round-7',
  drawingDate: '2026-03-01T18:00:00Z',
  ...overrides,
});

function ticketEmail(
  overrides: Partial<EnqueueEmailInput<'ticketsPurchased'>> = {},
): EnqueueEmailInput<'ticketsPurchased'> {
  return {
    dedupeKey: unique('tickets'),
    to: `${unique('buyer')}@${DOMAIN}`,
    template: 'ticketsPurchased',
    data: ticketData(),
    ...overrides,
  };
}

const enqueue = (input: EnqueueEmailInput<'ticketsPurchased'>, config: Config = system.config) =>
  fork().transactional((tx) => enqueueEmail(tx, input, config));

/** Delivery runs the tests awaited; their histories are replayed at the end. */
const deliveredIds: string[] = [];

async function deliver(id: string, config: Config = system.config): Promise<EmailDeliveryResult> {
  deliveredIds.push(id);
  await startEmailDeliveries(system.resources.temporal, config, [id]);
  return system.resources.temporal.workflow.getHandle(workflowIds.emailDelivery(id)).result();
}

const row = (id: string): Promise<EmailNotification> =>
  fork().findOneOrFail(EmailNotificationSchema, { id }, { refresh: true });

const received = (id: string) => sink.received().filter((m) => m.customArgs.email_id === id);
const requests = (id: string) => sink.requests().filter((r) => r.idempotencyKey?.startsWith(`${id}.`));

async function events(id: string): Promise<{ event_type: string; metadata: Record<string, unknown> }[]> {
  return fork()
    .getConnection()
    .execute(`select event_type, metadata from analytics_events where metadata->>'emailId' = ? order by id`, [
      id,
    ]);
}

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

async function createUser(email: string, preferences: Record<string, boolean>): Promise<string> {
  const em = fork();
  const user = em.create(UserSchema, {
    walletAddress: crypto.randomBytes(32).toString('hex').slice(0, 44),
    email,
    preferences,
  });
  await em.flush();
  return user.id;
}

/**
 * A worker on a task queue of its own whose transport is the real SendGrid transport with a
 * failure point after the provider call: the first send reaches the sink and is accepted,
 * then the sender "dies" before anything is recorded (the row stays `sending`).
 */
async function startWorkerThatDiesAfterSend(overrides: Record<string, string>) {
  const config = testConfig({
    ...emailEnv(),
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('email-crash'),
    ...overrides,
  });
  const real = createSendGridTransport({
    apiKey: API_KEY,
    apiUrl: sink.url,
    timeoutMs: config.email.sendTimeoutMs,
    providerDedupes: config.email.providerDedupes,
  });
  let deaths = 1;
  const transport: EmailTransport = {
    name: 'sendgrid-then-die',
    safeToResend: real.safeToResend,
    async send(message, options) {
      const result = await real.send(message, options);
      if (deaths > 0) {
        deaths--;
        throw new Error('sender died after the provider accepted the e-mail');
      }
      return result;
    },
  };
  const deps = {
    config,
    logger: system.deps.logger,
    orm: system.resources.orm,
    redis: system.resources.redis,
  };
  const connection = await connectWorker(config.temporal);
  const crashing = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: process.env.SR_TEST_WORKFLOW_BUNDLE as string },
    activities: { ...createActivities(deps), ...createEmailActivities(deps, { transport }) },
  });
  const running = crashing.run();
  return {
    config,
    async close() {
      crashing.shutdown();
      await running;
      await connection.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// enqueue
// ---------------------------------------------------------------------------------------

describe('enqueueEmail', () => {
  it('renders the template into the row, in the caller’s transaction', async () => {
    const input = ticketEmail({ data: ticketData({ roundId: '<script>alert("x")</script>' }) });
    const email = await enqueue(input);
    expect(email).toMatchObject({ created: true, status: 'pending' });
    const stored = await row(email.id);
    expect(stored).toMatchObject({
      recipientEmail: input.to,
      subject: 'Lottery Tickets Confirmed - 2 Tickets',
      template: 'ticketsPurchased',
      status: 'pending',
      attempts: 0,
    });
    expect(stored.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(stored.body).not.toContain('<script>');
    expect(stored.textBody).toContain('Ticket numbers: 41, 42');
    expect(stored.data).toEqual(input.data);
  });

  it('rolls back with the business change', async () => {
    const input = ticketEmail();
    await expect(
      fork().transactional(async (tx) => {
        await enqueueEmail(tx, input, system.config);
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    expect(await fork().count(EmailNotificationSchema, { dedupeKey: input.dedupeKey })).toBe(0);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(enqueueEmail(fork(), ticketEmail(), system.config)).rejects.toMatchObject({
      code: 'EmailNotInTransaction',
    });
  });

  it('writes one row for two concurrent transactions with the same dedupe key', async () => {
    const input = ticketEmail();
    let firstInserted!: () => void;
    let releaseFirst!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const hold = new Promise<void>((resolve) => (releaseFirst = resolve));

    const first = fork().transactional(async (tx) => {
      const result = await enqueueEmail(tx, input, system.config);
      firstInserted();
      await hold; // still uncommitted while the second transaction inserts
      return result;
    });
    await inserted;
    const second = fork().transactional((tx) => enqueueEmail(tx, input, system.config));
    // The second insert must be blocked on the first's uncommitted row before we commit it.
    await waitFor('the second insert to wait on the first transaction', async () => {
      const waiting = await fork()
        .getConnection()
        .execute<{ n: string }[]>(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into email_notifications%'`,
        );
      return Number(waiting[0]?.n ?? 0) > 0;
    });
    releaseFirst();
    const [a, b] = await Promise.all([first, second]);
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, status: 'pending', created: false });
    expect(await fork().count(EmailNotificationSchema, { dedupeKey: input.dedupeKey })).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------
// delivery
// ---------------------------------------------------------------------------------------

describe('delivery', () => {
  it('delivers once per dedupe key, and records sent with the provider id and an analytics event', async () => {
    const input = ticketEmail();
    const first = await enqueue(input);
    const again = await enqueue({ ...input, data: ticketData({ ticketCount: 1, ticketNumbers: [9] }) });
    expect(again).toEqual({ id: first.id, status: 'pending', created: false });

    // Callers may start the same delivery more than once; it stays one e-mail.
    await startEmailDeliveries(system.resources.temporal, system.config, [first.id, again.id, first.id]);
    const result = await deliver(first.id);
    expect(result.status).toBe('sent');
    await recordHistory(system, workflowIds.emailDelivery(first.id), 'emailDelivery-sent');
    const [message, ...more] = received(first.id);
    expect(more).toHaveLength(0);
    expect(message).toMatchObject({
      to: [input.to],
      from: system.config.email.from,
      subject: 'Lottery Tickets Confirmed - 2 Tickets',
      categories: ['ticketsPurchased'],
    });
    expect(message?.text).toContain('Ticket numbers: 41, 42');
    expect(message?.html).toContain('<h1>Your lottery tickets are confirmed!</h1>');

    const stored = await row(first.id);
    expect(stored).toMatchObject({
      status: 'sent',
      attempts: 1,
      providerMessageId: message?.messageId,
      errorMessage: null,
    });
    expect(stored.sentAt).toBeInstanceOf(Date);
    expect((await events(first.id)).map((e) => e.event_type)).toEqual(['email.sent']);

    // A later start finds nothing to do.
    expect(await deliver(first.id)).toMatchObject({ status: 'sent' });
    expect(received(first.id)).toHaveLength(1);
  });

  it('retries after a 500 and delivers once', async () => {
    const { id } = await enqueue(ticketEmail());
    sink.failNext(1, 500);
    expect(await deliver(id)).toMatchObject({ status: 'sent' });
    expect(requests(id).map((r) => r.status)).toEqual([500, 202]);
    expect(received(id)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, errorMessage: null });
    await recordHistory(system, workflowIds.emailDelivery(id), 'emailDelivery-retried');
  });

  it('backs off as long as a 429’s Retry-After says, then delivers', async () => {
    const { id } = await enqueue(ticketEmail());
    sink.failNext(1, 429, { retryAfter: 2 });
    expect(await deliver(id)).toMatchObject({ status: 'sent' });
    const [limited, accepted] = requests(id);
    expect([limited?.status, accepted?.status]).toEqual([429, 202]);
    // The retry policy alone would come back after 100 ms (the dev server's timers fire
    // about 1 s later at the earliest): only Retry-After explains a 2 s wait.
    expect((accepted?.at.getTime() ?? 0) - (limited?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(1_950);
    // Between the attempts the row said when the next one would be.
    const stored = await row(id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 2 });
    expect(stored.nextAttemptAt.getTime()).toBeGreaterThanOrEqual((limited?.at.getTime() ?? 0) + 1_900);
    expect(received(id)).toHaveLength(1);
  });

  it('fails a permanent 400 with SendGrid’s reason after one attempt', async () => {
    const { id } = await enqueue(ticketEmail());
    sink.failNext(1, 400, {
      message: 'The content value must be a string at least one character in length.',
      field: 'content.0.value',
    });
    const result = await deliver(id);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(
      'SendGrid answered 400: The content value must be a string at least one character in length. (field: content.0.value)',
    );
    const stored = await row(id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1, errorMessage: result.reason });
    await recordHistory(system, workflowIds.emailDelivery(id), 'emailDelivery-failed');
    expect(stored.errorMessage).not.toContain(API_KEY);
    expect(requests(id)).toHaveLength(1);
    expect(received(id)).toHaveLength(0);
    const recorded = await events(id);
    expect(recorded).toEqual([
      expect.objectContaining({
        event_type: 'email.failed',
        metadata: expect.objectContaining({ reason: result.reason }),
      }),
    ]);
  });

  it('gives up after the configured attempts when the provider keeps failing', async () => {
    const { id } = await enqueue(ticketEmail());
    sink.failNext(50, 503);
    const result = await deliver(id);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^gave up after 4 attempts: SendGrid answered 503/);
    expect(requests(id)).toHaveLength(4);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 4 });
    await recordHistory(system, workflowIds.emailDelivery(id), 'emailDelivery-gave-up');
  });

  it('does not deliver twice when the sender dies after the provider accepted (provider dedupes)', async () => {
    const crashing = await startWorkerThatDiesAfterSend({ EMAIL_PROVIDER_DEDUPES: 'true' });
    try {
      const { id } = await enqueue(ticketEmail(), crashing.config);
      const result = await deliver(id, crashing.config);
      expect(result.status).toBe('sent');
      // Two requests with one idempotency key; the sink (like an idempotent API) kept one.
      const attempts = requests(id);
      expect(attempts.map((r) => [r.status, r.duplicate])).toEqual([
        [202, false],
        [202, true],
      ]);
      expect(attempts[0]?.idempotencyKey).toBe(attempts[1]?.idempotencyKey);
      const messages = received(id);
      expect(messages).toHaveLength(1);
      expect(await row(id)).toMatchObject({
        status: 'sent',
        attempts: 2,
        providerMessageId: messages[0]?.messageId,
      });
    } finally {
      await crashing.close();
    }
  });

  it('does not resend when the provider cannot dedupe; an admin requeue sends it with a fresh key', async () => {
    const crashing = await startWorkerThatDiesAfterSend({ EMAIL_PROVIDER_DEDUPES: 'false' });
    try {
      const { id } = await enqueue(ticketEmail(), crashing.config);
      const result = await deliver(id, crashing.config);
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/^delivery outcome unknown/);
      expect(requests(id)).toHaveLength(1);
      expect(received(id)).toHaveLength(1);
      expect(await row(id)).toMatchObject({ status: 'failed', attempts: 2 });

      // The admin decides the recipient did not get it and resends.
      const requeued = await requeueFailedEmail(fork(), id);
      expect(requeued).toMatchObject({ id, status: 'pending', claimedAt: null, errorMessage: null });
      expect(await deliver(id, crashing.config)).toMatchObject({ status: 'sent' });
      const messages = received(id);
      expect(messages).toHaveLength(2);
      expect(messages[0]?.idempotencyKey).not.toBe(messages[1]?.idempotencyKey);
      expect(await row(id)).toMatchObject({
        status: 'sent',
        attempts: 3,
        providerMessageId: messages[1]?.messageId,
      });
    } finally {
      await crashing.close();
    }
  });

  it('the sweeper delivers rows whose delivery nobody started', async () => {
    const { id } = await enqueue(ticketEmail());
    const { temporal } = system.resources;
    await ensureEmailSweeper(temporal, system.config);
    const sweeper = temporal.workflow.getHandle(
      workflowIds.emailOutboxSweeper(system.config.temporal.taskQueue),
    );
    try {
      // Idempotent: a second ensure joins the running sweeper.
      const { runId } = await sweeper.describe();
      await ensureEmailSweeper(temporal, system.config);
      expect((await sweeper.describe()).runId).toBe(runId);
      const stored = await waitFor('the swept row to be sent', async () => {
        const current = await row(id);
        return current.status === 'sent' && current;
      });
      expect(stored.attempts).toBe(1);
      expect(received(id)).toHaveLength(1);
    } finally {
      await sweeper.terminate('test over');
    }
  });
});

describe('workflow code', () => {
  it('replays every recorded delivery history deterministically', async () => {
    expect(deliveredIds.length).toBeGreaterThan(5);
    for (const id of new Set(deliveredIds)) {
      const history = await system.resources.temporal.workflow
        .getHandle(workflowIds.emailDelivery(id))
        .fetchHistory();
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: process.env.SR_TEST_WORKFLOW_BUNDLE as string } },
        history,
        workflowIds.emailDelivery(id),
      );
    }
  });

  it('the sweeper continues as new and keeps sweeping', async () => {
    const handle = await system.resources.temporal.workflow.start<typeof emailOutboxSweeper>(
      'emailOutboxSweeper',
      {
        workflowId: unique('sweeper-can'),
        taskQueue: system.config.temporal.taskQueue,
        args: [{ sweepsPerRun: 1 }],
      },
    );
    try {
      const { id } = await enqueue(ticketEmail());
      await waitFor('a later run of the sweeper', async () => {
        const { runId } = await handle.describe();
        return runId !== handle.firstExecutionRunId && runId;
      });
      await waitFor('the swept row to be sent', async () => (await row(id)).status === 'sent');
      await recordHistory(
        system,
        handle.workflowId,
        'emailOutboxSweeper-continued-as-new',
        handle.firstExecutionRunId,
      );
    } finally {
      await handle.terminate('test over');
    }
  });
});

// ---------------------------------------------------------------------------------------
// preferences
// ---------------------------------------------------------------------------------------

describe('preferences', () => {
  it('stores an opted-out recipient’s e-mail as suppressed and never sends it', async () => {
    const optedOutEmail = `${unique('optout')}@${DOMAIN}`;
    const optedOut = await createUser(optedOutEmail, {
      emailTicketReceipts: false,
      emailDistributions: true,
    });
    const defaults = await createUser(`${unique('default')}@${DOMAIN}`, {});

    const byId = await enqueue(
      ticketEmail({ to: optedOutEmail, userId: optedOut, preference: 'emailTicketReceipts' }),
    );
    expect(byId.status).toBe('suppressed');
    // Without a userId the recipient is found by address.
    const byAddress = await enqueue(ticketEmail({ to: optedOutEmail, preference: 'emailTicketReceipts' }));
    expect(byAddress.status).toBe('suppressed');
    expect(await row(byAddress.id)).toMatchObject({
      userId: optedOut,
      errorMessage: 'recipient opted out (emailTicketReceipts)',
    });
    // Opting out of one kind of e-mail does not stop the others; absent means yes.
    const otherKind = await enqueue(
      ticketEmail({ to: optedOutEmail, userId: optedOut, preference: 'emailDistributions' }),
    );
    const absent = await enqueue(
      ticketEmail({ to: `x-${optedOutEmail}`, userId: defaults, preference: 'emailTicketReceipts' }),
    );
    expect([otherKind.status, absent.status]).toEqual(['pending', 'pending']);

    expect(await deliver(byId.id)).toMatchObject({ status: 'suppressed' });
    expect(await deliver(byAddress.id)).toMatchObject({ status: 'suppressed' });
    expect(await deliver(absent.id)).toMatchObject({ status: 'sent' });
    expect(received(byId.id)).toHaveLength(0);
    expect(received(byAddress.id)).toHaveLength(0);
    expect(await row(byId.id)).toMatchObject({ status: 'suppressed', attempts: 0 });
  });
});

// ---------------------------------------------------------------------------------------
// admin queries
// ---------------------------------------------------------------------------------------

describe('admin queries', () => {
  it('lists e-mails by status, recipient and template, newest first, paginated', async () => {
    const recipient = `${unique('listed')}@${DOMAIN}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await enqueue(ticketEmail({ to: recipient }))).id);
    const other = await enqueue(ticketEmail({ to: `${unique('other')}@${DOMAIN}` }));

    const page1 = await listEmails(fork(), { recipient: recipient.toUpperCase(), limit: 2 });
    expect(page1.total).toBe(3);
    expect(page1.items).toHaveLength(2);
    const page2 = await listEmails(fork(), { recipient, limit: 2, offset: 2 });
    expect(page2.items).toHaveLength(1);
    expect([...page1.items, ...page2.items].map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(page1.items[0]?.createdAt.getTime()).toBeGreaterThanOrEqual(
      page1.items[1]?.createdAt.getTime() ?? 0,
    );
    expect(page1.items[0]).not.toHaveProperty('body');

    expect(
      (
        await listEmails(fork(), { recipient: DOMAIN, template: 'ticketsPurchased', status: 'pending' })
      ).items.map((e) => e.id),
    ).toEqual(expect.arrayContaining([...ids, other.id]));
    expect((await listEmails(fork(), { recipient: DOMAIN, template: 'refundOwed' })).total).toBe(0);
    // LIKE wildcards in the search are literal.
    expect((await listEmails(fork(), { recipient: `%${DOMAIN}` })).total).toBe(0);

    const detail = await getEmail(fork(), other.id);
    expect(detail?.html).toContain('<h1>');
    expect(detail?.text).toContain('Ticket numbers');
    expect(await getEmail(fork(), 'not-a-uuid')).toBeNull();

    const counts = await countEmailsByStatus(fork());
    expect(counts.pending).toBeGreaterThanOrEqual(4);
    expect(Object.keys(counts).sort()).toEqual(['failed', 'pending', 'sending', 'sent', 'suppressed']);
  });

  it('requeues only failed e-mails', async () => {
    const { id } = await enqueue(ticketEmail());
    expect(await requeueFailedEmail(fork(), id)).toBeNull();
    expect(await requeueFailedEmail(fork(), crypto.randomUUID())).toBeNull();
    expect(await row(id)).toMatchObject({ status: 'pending' });
  });
});

// ---------------------------------------------------------------------------------------
// SendGrid transport against the sink
// ---------------------------------------------------------------------------------------

describe('SendGrid transport and mail sink', () => {
  const message = {
    emailId: 'transport-test',
    to: `rcpt@${DOMAIN}`,
    from: 'noreply@example.com',
    subject: 'Hello',
    text: 'plain',
    html: '<p>html</p>',
    template: 'projectSubmitted',
  };
  const transport = (apiKey = API_KEY, apiUrl = sink.url) =>
    createSendGridTransport({ apiKey, apiUrl, timeoutMs: 5_000, providerDedupes: true });

  it('sends the SendGrid v3 shape to the configured base URL and gets the message id', async () => {
    const { providerMessageId } = await transport().send(message, { idempotencyKey: 'k-1' });
    const [got] = sink.received();
    expect(got?.messageId).toBe(providerMessageId);
    expect(got?.body).toMatchObject({
      personalizations: [{ to: [{ email: message.to }] }],
      from: { email: 'noreply@example.com' },
      subject: 'Hello',
      content: [
        { type: 'text/plain', value: 'plain' },
        { type: 'text/html', value: '<p>html</p>' },
      ],
      custom_args: { email_id: 'transport-test', idempotency_key: 'k-1' },
    });
    // Same key again: the sink answers like an idempotent API.
    expect(await transport().send(message, { idempotencyKey: 'k-1' })).toEqual({ providerMessageId });
    expect(sink.received()).toHaveLength(1);

    const listing = (await (await fetch(`${sink.url}/sink/messages`)).json()) as {
      messages: { messageId: string }[];
    };
    expect(listing.messages.map((m) => m.messageId)).toEqual([providerMessageId]);
  });

  it('turns answers into typed errors without the API key', async () => {
    sink.failNext(1, 400, { message: 'Invalid from' });
    const permanent = await transport()
      .send(message, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(permanent).toBeInstanceOf(PermanentEmailError);
    expect((permanent as Error).message).toBe('SendGrid answered 400: Invalid from');

    sink.failNext(1, 429, { retryAfter: 2 });
    const limited = await transport()
      .send(message, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientEmailError);
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 2000, maybeAccepted: false });

    const wrongKey = await transport('SG.wrong-key')
      .send(message, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ status: 401 });
    expect(String((wrongKey as Error).message)).not.toContain('SG.wrong-key');

    // A closed port: the request never left, so it certainly was not sent.
    const closed = await startMailSink();
    await closed.close();
    const unreachable = await transport(API_KEY, closed.url)
      .send(message, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(TransientEmailError);
    expect(unreachable).toMatchObject({ maybeAccepted: false });
    expect(String((unreachable as Error).message)).not.toContain(API_KEY);
    expect(sink.received()).toHaveLength(0);
  });

  it('rejects requests that are not SendGrid v3 mail/send', async () => {
    const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }) =>
      fetch(`${sink.url}/v3/mail/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const missingTo = await post({
      from: { email: 'a@example.com' },
      subject: 's',
      content: [{ type: 'text/plain', value: 'x' }],
    });
    expect(missingTo.status).toBe(400);
    expect(((await missingTo.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'personalizations',
    );
    expect((await post({}, {})).status).toBe(401);

    const viaHttp = await fetch(`${sink.url}/sink/fail-next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, status: 503 }),
    });
    expect(viaHttp.status).toBe(200);
    expect((await post({})).status).toBe(503);
    expect(sink.received()).toHaveLength(0);
  });
});
