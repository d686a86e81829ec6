import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { searchUsers, userActivity } from '../../db/admin-users';
import type { RouteModule } from '../app';
import { adminMiddleware, authMiddleware } from '../middleware/auth';
import { addRoute } from '../route';
import { pagination, walletAddress } from '../schemas';

const UserRowSchema = z
  .object({
    id: z.string(),
    walletAddress: z.string(),
    email: z.string().nullable(),
    createdAt: z.string(),
    lastLogin: z.string().nullable(),
    ticketCount: z.number(),
    claimCount: z.number(),
  })
  .meta({ id: 'AdminUser' });

const ActivitySchema = z
  .object({
    id: z.string(),
    type: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ActivityEvent' });

export const adminUserRoutes: RouteModule = ({ deps, router, registry, basePath }) => {
  const admin = [authMiddleware(deps.config, deps.redis), adminMiddleware(deps.config)];
  const tags = ['admin: users'];
  const em = () => deps.orm.em.fork() as EntityManager;

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/users',
      tags,
      summary: 'Search users by wallet or e-mail (paginated), with ticket and claim counts',
      secured: true,
      before: admin,
      query: pagination.extend({ q: z.string().trim().min(1).max(100).optional() }).strict(),
      responses: {
        200: {
          description: 'A page of users',
          schema: z.object({
            users: z.array(UserRowSchema),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
      errors: [403],
    },
    async ({ query }) => ({
      ...(await searchUsers(em(), query)),
      page: query.page,
      pageSize: query.pageSize,
    }),
  );

  addRoute(
    router,
    registry,
    basePath,
    {
      method: 'get',
      path: '/admin/users/:wallet/activity',
      tags,
      summary: "A wallet's activity log (analytics events), newest first",
      secured: true,
      before: admin,
      params: z.object({ wallet: walletAddress }),
      query: pagination.strict(),
      responses: {
        200: {
          description: 'Events',
          schema: z.object({ walletAddress: z.string(), events: z.array(ActivitySchema) }),
        },
      },
      errors: [403],
    },
    async ({ params, query }) => ({
      walletAddress: params.wallet,
      events: await userActivity(em(), params.wallet, query.page, query.pageSize),
    }),
  );
};
