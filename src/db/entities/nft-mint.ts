import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { address, createdAt, txSignature } from './columns';

export const COLLECTIONS = ['stoned-rabbits', 'revenue-pass'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/**
 * Hash lists: only listed mints can be burned for tickets or earn a distribution.
 * A mint earns tickets once: the burn that used it sets `burnedSignature` with a
 * conditional update (`where burned_signature is null`), so two claims cannot both win.
 */
export interface NftMint {
  mintAddress: string;
  collection: Collection;
  name?: string | null;
  burnedSignature?: string | null;
  burnedBy?: string | null;
  burnedAt?: Date | null;
  createdAt: Opt<Date>;
}

export const NftMintSchema = new EntitySchema<NftMint>({
  name: 'NftMint',
  tableName: 'nft_mints',
  properties: {
    mintAddress: { ...address(), primary: true },
    collection: { enum: true, items: () => COLLECTIONS, index: 'idx_nft_mints_collection' },
    name: { type: 'string', length: 100, nullable: true },
    burnedSignature: { ...txSignature(), nullable: true, index: 'idx_nft_mints_burned_signature' },
    burnedBy: { ...address(), nullable: true },
    burnedAt: { type: 'datetime', nullable: true },
    createdAt: createdAt(),
  },
});
