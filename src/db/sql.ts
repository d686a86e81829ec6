/**
 * The one typed raw-query helper: rows of `T` from `query`, inside the caller's transaction
 * when `em` is one (a fork outside a transaction runs it on its own connection).
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export const sql = <T extends object>(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<T[]> => em.getConnection().execute<T[]>(query, params, 'all', em.getTransactionContext());
