/**
 * `npm run migrate -- [up|down|status|create]`: the only way the schema changes.
 * `up` (the default) creates the database first if it is missing.
 */
import { ConfigError, loadConfig, redactUrl } from '../config';
import { ensureDatabase, migrateUp, migratorOf, openOrm } from '../db/orm';

async function main() {
  const command = process.argv[2] ?? 'up';
  const config = loadConfig();
  if (command === 'up' && (await ensureDatabase(config.database.url))) {
    console.log(`created database ${redactUrl(config.database.url)}`);
  }
  const orm = await openOrm({
    ...config.database,
    log: (m) => console.log(m.replace(/\x1b\[[0-9;]*m/g, '')),
  });
  try {
    const migrator = await migratorOf(orm);
    switch (command) {
      case 'up': {
        const applied = await migrateUp(orm);
        console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema up to date');
        break;
      }
      case 'down': {
        const reverted = await migrator.down();
        console.log(
          reverted.length ? `reverted ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert',
        );
        break;
      }
      case 'status': {
        const executed = await migrator.getExecutedMigrations();
        const pending = await migrator.getPendingMigrations();
        for (const m of executed) console.log(`applied  ${m.name}`);
        for (const m of pending) console.log(`pending  ${m.name}`);
        break;
      }
      case 'create': {
        const result = await migrator.createMigration('migrations');
        console.log(
          result.fileName
            ? `wrote migrations/${result.fileName}; list it in migrations/index.ts`
            : 'no schema changes',
        );
        break;
      }
      default:
        throw new Error(`unknown command "${command}": use up, down, status or create`);
    }
  } finally {
    await orm.close();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `migrate failed: ${err instanceof Error ? err.message : err}`,
  );
  process.exit(1);
});
