/*
 * One treasury funding transaction funds one month (issue 15, rule 6): the month's named funding
 * signature is unique. A plain unique constraint: PostgreSQL lets any number of rows hold null,
 * so months without a funding transaction are unaffected.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202000000_funding_signature_unique extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "revenue_distributions" add constraint "revenue_distributions_funding_signature_unique" unique ("transaction_signature");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "revenue_distributions" drop constraint "revenue_distributions_funding_signature_unique";`,
    );
  }
}
