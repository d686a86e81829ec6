import crypto from 'node:crypto';
import { dropDatabase, ensureDatabase, migrateUp, migratorOf, openOrm, type Orm } from '../../src/db/orm';

/** A database of this suite's own, to take the schema down and up again. */
describe('migrations', () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/sr_migr_${crypto.randomBytes(4).toString('hex')}`;
  let orm: Orm;

  beforeAll(async () => {
    await ensureDatabase(url.toString());
    orm = await openOrm({ url: url.toString(), poolMax: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await dropDatabase(url.toString());
  });

  const tables = async () =>
    (
      await orm.em
        .getConnection()
        .execute<{ table_name: string }[]>(
          `select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1`,
        )
    ).map((r) => r.table_name);

  it('creates every table, matches the entities exactly, and goes down and up again', async () => {
    await migrateUp(orm);
    expect(await tables()).toEqual([
      'analytics_events',
      'chain_memos',
      'chain_receipts',
      'email_notifications',
      'lottery_rounds',
      'lottery_tickets',
      'nft_mints',
      'payouts',
      'project_updates',
      'revenue_claims',
      'revenue_distributions',
      'revenue_snapshots',
      'users',
      'utility_projects',
    ]);
    // The entities and the migrations describe the same schema: nothing left to change.
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');

    await (await migratorOf(orm)).down({ to: 0 });
    expect(await tables()).toEqual([]);
    await migrateUp(orm);
    expect((await tables()).length).toBe(14);
  });

  it('enforces money and uniqueness rules in the database itself', async () => {
    const conn = orm.em.getConnection();
    await conn.execute(
      `insert into lottery_rounds (id, prize_pool_lamports, start_date, end_date, ticket_price_lamports, ticket_price_usdc, seed_commitment, secret_seed)
       values ('r1', 1000000000, now(), now() + interval '1 day', 10000000, 1000000, repeat('a', 64), repeat('b', 64))`,
    );
    await conn.execute(
      `insert into chain_receipts (signature, kind, round_id, wallet_address, status) values ('sig1', 'purchase', 'r1', 'w', 'accepted')`,
    );
    await expect(
      conn.execute(
        `insert into chain_receipts (signature, kind, wallet_address, status) values ('sig1', 'purchase', 'w', 'pending')`,
      ),
    ).rejects.toThrow(/duplicate key/);
    const ticket = `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, transaction_signature) values ('w', 1, 'r1', 'purchase', 'sig1')`;
    await conn.execute(ticket);
    await expect(conn.execute(ticket)).rejects.toThrow(/lottery_tickets_round_number_unique/);
    await expect(
      conn.execute(
        `insert into lottery_tickets (wallet_address, ticket_number, lottery_round, acquisition_method, transaction_signature) values ('w', 2, 'r1', 'purchase', 'unknown-sig')`,
      ),
    ).rejects.toThrow(/foreign key/);
    await expect(
      conn.execute(
        `insert into payouts (key, kind, recipient, currency, amount_base_units) values ('k', 'claim', 'w', 'SOL', 0)`,
      ),
    ).rejects.toThrow(/payouts_amount_check/);
  });
});
