import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from './sql';

export interface UserSearch {
  q?: string;
  page: number;
  pageSize: number;
}

export interface UserRow {
  id: string;
  walletAddress: string;
  email: string | null;
  createdAt: string;
  lastLogin: string | null;
  ticketCount: number;
  claimCount: number;
}

/** Users matching a wallet or e-mail fragment, newest first, with their ticket and claim counts. */
export async function searchUsers(
  em: EntityManager,
  search: UserSearch,
): Promise<{ users: UserRow[]; total: number }> {
  const like = search.q ? `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = like ? `where u.wallet_address ilike ? or u.email ilike ?` : '';
  const params = like ? [like, like] : [];
  const [rows, count] = await Promise.all([
    sql<{
      id: string;
      wallet_address: string;
      email: string | null;
      created_at: Date;
      last_login: Date | null;
      ticket_count: number;
      claim_count: number;
    }>(
      em,
      `select u.id, u.wallet_address, u.email, u.created_at, u.last_login,
              (select count(*) from lottery_tickets t where t.wallet_address = u.wallet_address)::int as ticket_count,
              (select count(*) from revenue_claims c where c.wallet_address = u.wallet_address)::int as claim_count
         from users u ${where}
        order by u.created_at desc, u.id
        limit ? offset ?`,
      [...params, search.pageSize, (search.page - 1) * search.pageSize],
    ),
    sql<{ n: number }>(em, `select count(*)::int as n from users u ${where}`, params),
  ]);
  return {
    total: count[0]?.n ?? 0,
    users: rows.map((r) => ({
      id: r.id,
      walletAddress: r.wallet_address,
      email: r.email,
      createdAt: new Date(r.created_at).toISOString(),
      lastLogin: r.last_login ? new Date(r.last_login).toISOString() : null,
      ticketCount: r.ticket_count,
      claimCount: r.claim_count,
    })),
  };
}

/** A wallet's analytics events, newest first. */
export async function userActivity(em: EntityManager, wallet: string, page: number, pageSize: number) {
  const rows = await sql<{
    id: string;
    event_type: string;
    metadata: Record<string, unknown> | null;
    ip_address: string | null;
    user_agent: string | null;
    created_at: Date;
  }>(
    em,
    `select id, event_type, metadata, host(ip_address) as ip_address, user_agent, created_at
       from analytics_events where wallet_address = ?
      order by created_at desc, id desc limit ? offset ?`,
    [wallet, pageSize, (page - 1) * pageSize],
  );
  return rows.map((r) => ({
    id: String(r.id),
    type: r.event_type,
    metadata: r.metadata,
    ip: r.ip_address,
    userAgent: r.user_agent,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
