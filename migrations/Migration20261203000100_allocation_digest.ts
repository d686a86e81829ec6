/*
 * The allocation digest of a month (issue 19): SHA-256 (hex) of its canonical pass → owner →
 * amount list (src/domain/revenue/allocation.ts), fixed when the snapshot's split is recorded
 * (so admins approve a known digest); what the distribution memo publishes. Null until then;
 * a month whose snapshot finished before this column existed gets it when its claims open.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000100_allocation_digest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "revenue_distributions" add column "allocation_digest" varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "revenue_distributions" drop column "allocation_digest";`);
  }
}
