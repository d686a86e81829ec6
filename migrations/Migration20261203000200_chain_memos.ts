/*
 * Memo transactions we publish (issue 19: a round's commitment and ticket digest anchored on
 * chain), sent exactly once like payouts but moving no money, so in their own table.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000200_chain_memos extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "chain_memos" ("key" varchar(120) not null, "text" text not null, "status" text check ("status" in ('pending', 'signed', 'confirmed', 'failed')) not null default 'pending', "signed_transaction" text null, "signature" varchar(88) null, "last_valid_block_height" bigint null, "attempts" int not null default 0, "last_error" text null, "confirmed_slot" bigint null, "confirmed_block_time" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "chain_memos_pkey" primary key ("key"));`,
    );
    this.addSql(
      `alter table "chain_memos" add constraint "chain_memos_signature_unique" unique ("signature");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "chain_memos" cascade;`);
  }
}
