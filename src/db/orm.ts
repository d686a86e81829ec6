import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { allEntities } from './entities';

export interface DatabaseSettings {
  url: string;
  poolMax?: number;
  debug?: boolean;
  /** Where MikroORM's own messages (migrations applied...) go; silent by default. */
  log?: (message: string) => void;
}

export function ormOptions(db: DatabaseSettings): Options {
  return {
    clientUrl: db.url,
    entities: allEntities,
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: db.poolMax ?? 10 },
    // The list of migrations (and the Migrator) is added by `migratorOf`, where a process migrates.
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'migrations',
      pathTs: 'migrations',
      glob: 'Migration*.{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    // Entities are plain objects read through explicit queries; nothing is lazily loaded behind our back.
    forceUndefined: false,
    serialization: { forceObject: true },
    debug: db.debug ?? false,
    logger: db.log ?? (() => undefined),
    allowGlobalContext: false,
  };
}

export type Orm = MikroORM;

export async function openOrm(db: DatabaseSettings): Promise<Orm> {
  return MikroORM.init(ormOptions(db));
}

/** Runs `work` on a connection to the server's `postgres` database, for the database named in `url`. */
async function withServerConnection<T>(
  url: string,
  work: (conn: ReturnType<Orm['em']['getConnection']>, name: string) => Promise<T>,
): Promise<T> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and _`);
  const server = new URL(url);
  server.pathname = '/postgres';
  const orm = await MikroORM.init({
    clientUrl: server.toString(),
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  try {
    return await work(orm.em.getConnection(), name);
  } finally {
    await orm.close(true);
  }
}

/** Creates the database named in `url` if it does not exist; true when it made it. */
export function ensureDatabase(url: string): Promise<boolean> {
  return withServerConnection(url, async (conn, name) => {
    const rows = await conn.execute<{ n: number }[]>('select 1 as n from pg_database where datname = ?', [
      name,
    ]);
    if (rows.length) return false;
    await conn.execute(`create database "${name}"`);
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return withServerConnection(url, async (conn, name) => {
    await conn.execute(`drop database if exists "${name}" with (force)`);
  });
}

/**
 * `orm`'s migrator, over migrations/index.ts. Loaded here, on first use, not with the ORM: the API
 * and the worker never migrate, and @mikro-orm/migrations (umzug, the migration generators and
 * their command-line libraries, 225 modules) costs a process about 3 MB resident.
 */
export async function migratorOf(orm: Orm): Promise<ReturnType<Orm['getMigrator']>> {
  const [{ Migrator }, { migrationsList }] = await Promise.all([
    import('@mikro-orm/migrations'),
    import('../../migrations'),
  ]);
  const options = orm.config.get('migrations');
  if (!options.migrationsList) {
    orm.config.set('migrations', { ...options, migrationsList });
    Migrator.register(orm);
  }
  return orm.getMigrator();
}

export async function migrateUp(orm: Orm): Promise<string[]> {
  const done = await (await migratorOf(orm)).up();
  return done.map((m) => m.name);
}
