import type { EntityManager } from '@mikro-orm/postgresql';
import crypto from 'node:crypto';
import request from 'supertest';
import { startEmailDeliveries } from '../../src/email/delivery';
import { enqueueEmail } from '../../src/db/email/outbox';
import { startMailSink, type MailSink } from '../../src/email/local/sink';
import { workflowIds } from '../../src/temporal/workflow-ids';
import { startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

describe('admin e-mail history, resend and overview', () => {
  let sink: MailSink;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let auth: { Authorization: string };
  const admin = newWallet();

  beforeAll(async () => {
    sink = await startMailSink({ apiKey: 'SG.test-placeholder' });
    system = await startTestSystem({
      ADMIN_WALLETS: admin.address,
      EMAIL_TRANSPORT: 'sendgrid',
      SENDGRID_API_URL: sink.url,
      SENDGRID_API_KEY: 'SG.test-placeholder',
      EMAIL_RETRY_INITIAL_INTERVAL: '100ms',
      EMAIL_MAX_ATTEMPTS: '2',
    });
    worker = await startTestWorker(system);
    auth = { Authorization: `Bearer ${await signIn(system.app, admin)}` };
  });
  afterAll(async () => {
    await worker.close();
    await system.close();
    await sink.close();
  });

  const em = () => system.resources.orm.em.fork() as EntityManager;
  const to = `${crypto.randomBytes(5).toString('hex')}@example.com`;

  async function failedEmail(): Promise<string> {
    const { id } = await em().transactional((tx) =>
      enqueueEmail(
        tx,
        {
          dedupeKey: `admin-test:${crypto.randomUUID()}`,
          to,
          template: 'projectSubmitted',
          data: { projectName: 'Carrots', projectId: 'UF-TEST' },
        },
        system.config,
      ),
    );
    sink.failNext(1, 400, { message: 'The from address does not match a verified Sender Identity' });
    await startEmailDeliveries(system.resources.temporal, system.config, [id]);
    await system.resources.temporal.workflow.getHandle(workflowIds.emailDelivery(id)).result();
    return id;
  }

  it('lists failed e-mails by recipient, shows one, and resends it once', async () => {
    const id = await failedEmail();
    const list = await request(system.app)
      .get('/api/v1/admin/emails')
      .query({ status: 'failed', recipient: to })
      .set(auth)
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id,
        status: 'failed',
        errorMessage: expect.stringMatching(/Sender Identity/),
      }),
    ]);
    const one = await request(system.app).get(`/api/v1/admin/emails/${id}`).set(auth).expect(200);
    expect(one.body.html).toContain('Carrots');

    const resent = await request(system.app).post(`/api/v1/admin/emails/${id}/resend`).set(auth).expect(200);
    expect(resent.body.status).toBe('pending');
    await system.resources.temporal.workflow.getHandle(workflowIds.emailDelivery(id)).result();
    const after = await request(system.app).get(`/api/v1/admin/emails/${id}`).set(auth).expect(200);
    expect(after.body.status).toBe('sent');
    expect(sink.received().filter((m) => m.customArgs.email_id === id)).toHaveLength(1);

    // Only a failed e-mail can be resent.
    const again = await request(system.app).post(`/api/v1/admin/emails/${id}/resend`).set(auth).expect(409);
    expect(again.body.error.message).toMatch(/only a failed e-mail/);
  });

  it('rejects bad filters and ids, and non-admins', async () => {
    for (const query of [{ status: 'lost' }, { limit: 0 }, { offset: -1 }, { colour: 'red' }]) {
      const res = await request(system.app).get('/api/v1/admin/emails').query(query).set(auth);
      expect(res.status).toBe(400);
    }
    await request(system.app).get('/api/v1/admin/emails/not-a-uuid').set(auth).expect(400);
    await request(system.app).get(`/api/v1/admin/emails/${crypto.randomUUID()}`).set(auth).expect(404);
    await request(system.app)
      .post(`/api/v1/admin/emails/${crypto.randomUUID()}/resend`)
      .set(auth)
      .expect(404);
    const user = { Authorization: `Bearer ${await signIn(system.app, newWallet())}` };
    await request(system.app).get('/api/v1/admin/emails').set(user).expect(403);
    await request(system.app).get('/api/v1/admin/overview').set(user).expect(403);
  });

  it('gives the overview with e-mail backlog and health', async () => {
    const res = await request(system.app).get('/api/v1/admin/overview').set(auth).expect(200);
    expect(res.body).toMatchObject({
      emailBacklog: expect.objectContaining({ pending: expect.any(Number), failed: expect.any(Number) }),
      health: { checks: expect.objectContaining({ postgres: { ok: true }, redis: { ok: true } }) },
      utilityQueue: expect.any(Object),
      distributions: expect.any(Object),
    });
  });
});
