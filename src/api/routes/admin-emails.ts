import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  EMAIL_PAGE_DEFAULT,
  EMAIL_PAGE_MAX,
  getEmail,
  listEmails,
  requeueFailedEmail,
} from '../../db/email/admin';
import { EMAIL_STATUSES } from '../../domain/email/statuses';
import { startEmailDeliveries } from '../../email/delivery';
import type { RouteModule } from '../app';
import { conflict, notFound } from '../errors';
import { adminMiddleware, authMiddleware } from '../middleware/auth';
import { addRoute } from '../route';

const EmailSummarySchema = z
  .object({
    id: z.string(),
    recipientEmail: z.string(),
    subject: z.string(),
    template: z.string().nullable(),
    status: z.enum(EMAIL_STATUSES),
    attempts: z.number(),
    sentAt: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'EmailSummary' });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const summary = (e: Awaited<ReturnType<typeof listEmails>>['items'][number]) => ({
  id: e.id,
  recipientEmail: e.recipientEmail,
  subject: e.subject,
  template: e.template,
  status: e.status,
  attempts: e.attempts,
  sentAt: iso(e.sentAt),
  errorMessage: e.errorMessage,
  createdAt: e.createdAt.toISOString(),
});

/** E-mail history and resend (the overview is ./admin-overview.ts). */
export const adminEmailRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const em = () => deps.orm.em.fork() as EntityManager;
  const tags = ['admin: e-mail'];
  const emailId = z.object({ id: z.uuid('must be an e-mail id (uuid)') });

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/emails',
      tags,
      summary: 'E-mail history, filtered by status, recipient (substring) or template, newest first',
      secured: true,
      before: admin,
      query: z.strictObject({
        status: z.enum(EMAIL_STATUSES).optional(),
        recipient: z.string().trim().min(1).max(255).optional(),
        template: z.string().trim().min(1).max(100).optional(),
        limit: z.coerce.number().int().min(1).max(EMAIL_PAGE_MAX).default(EMAIL_PAGE_DEFAULT),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      responses: {
        200: {
          description: 'A page of e-mails',
          schema: z.object({
            items: z.array(EmailSummarySchema),
            total: z.number(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
      errors: [403],
    },
    async ({ query }) => {
      const page = await listEmails(em(), query);
      return { ...page, items: page.items.map(summary) };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/emails/:id',
      tags,
      summary: 'One e-mail with its rendered text and HTML',
      secured: true,
      before: admin,
      params: emailId,
      responses: {
        200: {
          description: 'The e-mail',
          schema: EmailSummarySchema.extend({ text: z.string(), html: z.string() }),
        },
      },
      errors: [403, 404],
    },
    async ({ params }) => {
      const email = await getEmail(em(), params.id);
      if (!email) throw notFound(`id: no e-mail ${params.id}`);
      return { ...summary(email), text: email.text, html: email.html };
    },
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'post',
      path: '/admin/emails/:id/resend',
      tags,
      summary: 'Send a failed e-mail again (a fresh delivery)',
      secured: true,
      before: admin,
      params: emailId,
      responses: { 200: { description: 'Queued again', schema: EmailSummarySchema } },
      errors: [403, 404, 409],
    },
    async ({ params }) => {
      const requeued = await requeueFailedEmail(em(), params.id);
      if (!requeued) {
        if (!(await getEmail(em(), params.id))) throw notFound(`id: no e-mail ${params.id}`);
        throw conflict('id: only a failed e-mail can be resent');
      }
      // The row is committed as pending; if Temporal is unreachable now, the sweeper starts it.
      await startEmailDeliveries(deps.temporal, deps.config, [requeued.id]).catch((err: Error) =>
        deps.logger.warn(
          { err: err.message, emailId: requeued.id },
          'resend queued; delivery left to the sweeper',
        ),
      );
      return summary(requeued);
    },
  );
};
