/*
 * The allocation digest of a month (issue 19): SHA-256 (hex) of its canonical pass → owner →
 * amount list (src/domain/revenue/allocation.ts), fixed when the snapshot's split is recorded
 * (so admins approve a known digest); what the distribution memo publishes. Null until then.
 * Months whose split was recorded before this column existed get theirs here, computed by
 * PostgreSQL over the same canonical text (lines in byte order: `collate "C"`).
 */
import { Migration } from '@mikro-orm/migrations';

/** The digest of every month past its snapshot that has none (exported for its test). */
export const BACKFILL_ALLOCATION_DIGESTS = `update "revenue_distributions" d set "allocation_digest" = (
    select encode(sha256(convert_to(coalesce(string_agg(
      s.pass_mint || ',' || s.owner_wallet || ',' || d.per_pass_amount_base_units::text || E'\\n', ''
      order by s.pass_mint collate "C"), ''), 'UTF8')), 'hex')
    from "revenue_snapshots" s where s.distribution_id = d.id)
  where d."allocation_digest" is null and d."pass_count" > 0
    and d."status" in ('awaiting_approval', 'open', 'closed');`;

export class Migration20261203000100_allocation_digest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "revenue_distributions" add column "allocation_digest" varchar(64) null;`);
    this.addSql(BACKFILL_ALLOCATION_DIGESTS);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "revenue_distributions" drop column "allocation_digest";`);
  }
}
