/*
 * A wallet's claim batch is paid by one payout (issue 17, item 2): every pass of the batch keeps
 * its own claim row, and they all point (`payout_key`) at that payout, so the key is no longer
 * unique per row; an index keeps claims → payout joins (reconciliation, mark paid) cheap.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000000_claims_share_payout extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "revenue_claims" drop constraint "revenue_claims_payout_key_unique";`);
    this.addSql(`create index "idx_claims_payout_key" on "revenue_claims" ("payout_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "idx_claims_payout_key";`);
    this.addSql(
      `alter table "revenue_claims" add constraint "revenue_claims_payout_key_unique" unique ("payout_key");`,
    );
  }
}
