/** The hash lists (nft_mints): which mints are Stoned Rabbits and Revenue Passes. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NftMintSchema, type Collection } from './entities';

/** Lists `mints` in nft_mints under `collection` (existing rows are left alone); returns how many were new. */
export async function registerNftMints(
  em: EntityManager,
  mints: readonly string[],
  collection: Collection,
  namePrefix: string,
): Promise<number> {
  const existing = await em.count(NftMintSchema, { collection });
  let added = 0;
  for (let i = 0; i < mints.length; i += 1000) {
    const rows = mints.slice(i, i + 1000).map((mintAddress, j) => ({
      mintAddress,
      collection,
      name: `${namePrefix} #${existing + i + j + 1}`,
    }));
    const result = await em
      .createQueryBuilder(NftMintSchema)
      .insert(rows)
      .onConflict('mintAddress')
      .ignore()
      .execute('run');
    added += result.affectedRows ?? 0;
  }
  return added;
}
