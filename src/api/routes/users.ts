import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { updateProfile } from '../../db/users';
import type { RouteModule } from '../app';
import { notFound } from '../errors';
import { authMiddleware, signedInWallet } from '../middleware/auth';
import { addRoute } from '../route';
import { email } from '../schemas';
import { profileOf, ProfileSchema, requestMeta } from './auth';

/** The e-mails a user can turn off; absent means "send it". */
const preferences = z.strictObject({
  emailTicketReceipts: z.boolean().optional(),
  emailDistributions: z.boolean().optional(),
  emailProjectUpdates: z.boolean().optional(),
});

export const userRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'put',
      path: '/users/me',
      tags: ['users'],
      summary: 'Set your e-mail address (null removes it) and which e-mails you want',
      secured: true,
      before: [authMiddleware(deps.config, deps.redis)],
      body: z
        .strictObject({ email: email.nullable().optional(), preferences: preferences.optional() })
        .refine((b) => b.email !== undefined || b.preferences !== undefined, 'send email and/or preferences'),
      responses: { 200: { description: 'Your profile', schema: ProfileSchema } },
      errors: [404],
    },
    async ({ body }, req) => {
      const user = await updateProfile(
        deps.orm.em.fork() as EntityManager,
        signedInWallet(req),
        {
          email: body.email === undefined ? undefined : (body.email?.toLowerCase() ?? null),
          preferences: body.preferences,
        },
        requestMeta(req),
      );
      if (!user) throw notFound('No profile for this wallet yet: sign in first');
      return profileOf(user);
    },
  );
};
