/**
 * The one typed raw-query helper of src/db: runs `query` in `em`'s transaction (if any) and
 * returns its rows. Raw SQL where projections or exact bigint text matter; entities elsewhere.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

export function sql<T extends object = Row>(
  em: EntityManager,
  query: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return em.getConnection().execute<T[]>(query, [...params], 'all', em.getTransactionContext());
}
