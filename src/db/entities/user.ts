import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { address, createdAt, updatedAt } from './columns';

/** What a user has chosen to receive by e-mail; absent keys mean "yes". */
export interface UserPreferences {
  emailTicketReceipts?: boolean;
  emailDistributions?: boolean;
  emailProjectUpdates?: boolean;
}

export interface User {
  id: string;
  walletAddress: string;
  email?: string | null;
  preferences: UserPreferences;
  lastLogin?: Date | null;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    walletAddress: { ...address(), unique: 'users_wallet_address_unique' },
    email: { type: 'string', length: 255, nullable: true, index: 'idx_users_email' },
    preferences: { type: 'json', defaultRaw: `'{}'` },
    lastLogin: { type: 'datetime', nullable: true },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
