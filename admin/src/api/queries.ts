/**
 * Every read of the dashboard as TanStack Query options: one key per resource, so an action
 * can refresh exactly what it changed (`invalidate: [keys.lottery]`).
 */
import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';

export const keys = {
  overview: ['overview'] as const,
  lottery: ['lottery'] as const,
  revenue: ['revenue'] as const,
  utility: ['utility'] as const,
  users: ['users'] as const,
  emails: ['emails'] as const,
};

/** How often lists that change by themselves (sales, snapshots, deliveries) refresh. */
export const LIVE_MS = 3_000;

export const queries = {
  overview: () =>
    queryOptions({
      queryKey: [...keys.overview],
      queryFn: () => unwrap(api.GET('/api/v1/admin/overview')),
      refetchInterval: 10_000,
    }),
  sales: (bucket: 'hour' | 'day') =>
    queryOptions({
      queryKey: [...keys.lottery, 'sales', bucket],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/lottery/sales', {
            params: { query: { bucket, days: bucket === 'hour' ? 2 : 30 } },
          }),
        ),
      refetchInterval: 30_000,
    }),

  rounds: (page: number) =>
    queryOptions({
      queryKey: [...keys.lottery, 'rounds', page],
      queryFn: () =>
        unwrap(api.GET('/api/v1/admin/lottery/rounds', { params: { query: { page, pageSize: 20 } } })),
      refetchInterval: LIVE_MS,
    }),
  round: (id: string) =>
    queryOptions({
      queryKey: [...keys.lottery, 'round', id],
      queryFn: () => unwrap(api.GET('/api/v1/admin/lottery/rounds/{id}', { params: { path: { id } } })),
      refetchInterval: LIVE_MS,
    }),
  tickets: (id: string, page: number) =>
    queryOptions({
      queryKey: [...keys.lottery, 'tickets', id, page],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/lottery/rounds/{id}/tickets', {
            params: { path: { id }, query: { page, pageSize: 25 } },
          }),
        ),
      refetchInterval: LIVE_MS,
    }),
  proof: (id: string) =>
    queryOptions({
      queryKey: [...keys.lottery, 'proof', id],
      queryFn: () => unwrap(api.GET('/api/v1/lottery/rounds/{id}/proof', { params: { path: { id } } })),
    }),
  /** Asks the chain each time (no polling): opened on demand from the round page. */
  roundReconciliation: (id: string) =>
    queryOptions({
      queryKey: [...keys.lottery, 'reconciliation', id],
      queryFn: () =>
        unwrap(api.GET('/api/v1/admin/lottery/rounds/{id}/reconciliation', { params: { path: { id } } })),
    }),
  refunds: (roundId: string) =>
    queryOptions({
      queryKey: [...keys.lottery, 'refunds', roundId],
      queryFn: () => unwrap(api.GET('/api/v1/admin/lottery/refunds', { params: { query: { roundId } } })),
    }),

  distributions: () =>
    queryOptions({
      queryKey: [...keys.revenue, 'distributions'],
      queryFn: () => unwrap(api.GET('/api/v1/admin/revenue/distributions')),
      refetchInterval: LIVE_MS,
    }),
  distribution: (month: string) =>
    queryOptions({
      queryKey: [...keys.revenue, 'distribution', month],
      queryFn: () =>
        unwrap(api.GET('/api/v1/admin/revenue/distributions/{month}', { params: { path: { month } } })),
      refetchInterval: LIVE_MS,
    }),
  monthReconciliation: (month: string) =>
    queryOptions({
      queryKey: [...keys.revenue, 'reconciliation', month],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/revenue/distributions/{month}/reconciliation', {
            params: { path: { month } },
          }),
        ),
    }),
  claims: (month: string, page: number) =>
    queryOptions({
      queryKey: [...keys.revenue, 'claims', month, page],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/revenue/distributions/{month}/claims', {
            params: { path: { month }, query: { page, pageSize: 25 } },
          }),
        ),
      refetchInterval: LIVE_MS,
    }),

  projects: (status: string[], sort: 'oldest' | 'newest', page: number) =>
    queryOptions({
      queryKey: [...keys.utility, 'projects', status.join(','), sort, page],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/utility/projects', {
            params: {
              query: { status: status.length ? status.join(',') : undefined, sort, page, pageSize: 20 },
            },
          }),
        ),
      // New submissions arrive by themselves.
      refetchInterval: LIVE_MS,
    }),
  project: (projectId: string) =>
    queryOptions({
      queryKey: [...keys.utility, 'project', projectId],
      queryFn: () =>
        unwrap(api.GET('/api/v1/admin/utility/projects/{projectId}', { params: { path: { projectId } } })),
    }),

  users: (q: string, page: number) =>
    queryOptions({
      queryKey: [...keys.users, 'search', q, page],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/users', { params: { query: { q: q || undefined, page, pageSize: 20 } } }),
        ),
    }),
  activity: (wallet: string, page: number) =>
    queryOptions({
      queryKey: [...keys.users, 'activity', wallet, page],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/admin/users/{wallet}/activity', {
            params: { path: { wallet }, query: { page, pageSize: 20 } },
          }),
        ),
    }),
  emails: (recipient: string) =>
    queryOptions({
      queryKey: [...keys.emails, recipient],
      queryFn: () => unwrap(api.GET('/api/v1/admin/emails', { params: { query: { recipient, limit: 50 } } })),
      refetchInterval: LIVE_MS,
    }),
};
