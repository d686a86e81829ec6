import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from './analytics';
import { UserSchema, type User, type UserPreferences } from './entities';
import { sql } from './sql';

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
}

/** Creates the user on first sign-in, stamps `last_login`, and records the sign-in event, atomically. */
export async function recordSignIn(em: EntityManager, wallet: string, meta: RequestMeta): Promise<User> {
  return em.transactional(async (tx) => {
    const rows = await sql<{ id: string }>(
      tx,
      `insert into users (wallet_address, last_login) values (?, now())
       on conflict (wallet_address) do update set last_login = now(), updated_at = now()
       returning id`,
      [wallet],
    );
    const userId = rows[0]!.id;
    recordEvent(tx, { type: 'auth.sign_in', wallet, userId, ip: meta.ip, userAgent: meta.userAgent });
    await tx.flush();
    return tx.findOneOrFail(UserSchema, { id: userId });
  });
}

export function findUserByWallet(em: EntityManager, wallet: string): Promise<User | null> {
  return em.findOne(UserSchema, { walletAddress: wallet });
}

export interface ProfileChange {
  email?: string | null;
  preferences?: UserPreferences;
}

/** Updates the signed-in user's e-mail and preferences (merged), recording the change. */
export async function updateProfile(
  em: EntityManager,
  wallet: string,
  change: ProfileChange,
  meta: RequestMeta,
) {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(UserSchema, { walletAddress: wallet });
    if (!user) return null;
    if (change.email !== undefined) user.email = change.email;
    if (change.preferences) user.preferences = { ...user.preferences, ...change.preferences };
    recordEvent(tx, {
      type: 'user.profile_updated',
      wallet,
      userId: user.id,
      metadata: { fields: Object.keys(change) },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await tx.flush();
    return user;
  });
}
