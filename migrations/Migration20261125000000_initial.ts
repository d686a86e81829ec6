/* Initial schema: every table of the original design in integer base units, plus DESIGN §4 (receipts, hash lists, snapshots, payouts). */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "lottery_rounds" ("id" varchar(50) not null, "prize_pool_lamports" bigint not null, "start_date" timestamptz not null, "end_date" timestamptz not null, "drawing_date" timestamptz null, "ticket_price_lamports" bigint not null, "ticket_price_usdc" bigint not null, "tickets_per_burn" int not null default 1, "total_tickets_sold" int not null default 0, "status" text check ("status" in ('scheduled', 'active', 'closing', 'drawing', 'completed', 'cancelled')) not null default 'scheduled', "seed_commitment" varchar(64) not null, "secret_seed" varchar(64) not null, "seed_revealed_at" timestamptz null, "frozen_at" timestamptz null, "frozen_ticket_count" int null, "ticket_digest" varchar(64) null, "beacon_slot" bigint null, "beacon_blockhash" varchar(64) null, "winner_index" int null, "winner_ticket" int null, "winner_wallet" varchar(44) null, "drawn_at" timestamptz null, "prize_payout_key" varchar(120) null, "created_by" varchar(44) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "lottery_rounds_pkey" primary key ("id"), constraint lottery_rounds_window_check check ((end_date > start_date)), constraint lottery_rounds_amounts_check check (((prize_pool_lamports >= 0) AND (ticket_price_lamports > 0) AND (ticket_price_usdc > 0) AND (tickets_per_burn >= 0))));`,
    );
    this.addSql(`create index "idx_rounds_status" on "lottery_rounds" ("status");`);

    this.addSql(
      `create table "chain_receipts" ("signature" varchar(88) not null, "kind" text check ("kind" in ('purchase', 'burn', 'funding', 'payout')) not null, "round_id" varchar(50) null, "wallet_address" varchar(44) not null, "currency" text check ("currency" in ('SOL', 'USDC')) null, "amount_base_units" bigint null, "requested_tickets" int null, "refund_owed_base_units" bigint not null default 0, "refund_payout_key" varchar(120) null, "slot" bigint null, "block_time" timestamptz null, "status" text check ("status" in ('pending', 'accepted', 'late', 'rejected')) not null, "reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "chain_receipts_pkey" primary key ("signature"));`,
    );
    this.addSql(`create index "idx_receipts_wallet" on "chain_receipts" ("wallet_address");`);
    this.addSql(`create index "idx_receipts_round_status" on "chain_receipts" ("round_id", "status");`);

    this.addSql(
      `create table "nft_mints" ("mint_address" varchar(44) not null, "collection" text check ("collection" in ('stoned-rabbits', 'revenue-pass')) not null, "name" varchar(100) null, "burned_signature" varchar(88) null, "burned_by" varchar(44) null, "burned_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "nft_mints_pkey" primary key ("mint_address"));`,
    );
    this.addSql(`create index "idx_nft_mints_collection" on "nft_mints" ("collection");`);
    this.addSql(`create index "idx_nft_mints_burned_signature" on "nft_mints" ("burned_signature");`);

    this.addSql(
      `create table "payouts" ("key" varchar(120) not null, "kind" text check ("kind" in ('claim', 'prize', 'refund')) not null, "recipient" varchar(44) not null, "currency" text check ("currency" in ('SOL', 'USDC')) not null, "amount_base_units" bigint not null, "status" text check ("status" in ('pending', 'signed', 'confirmed', 'failed')) not null default 'pending', "signed_transaction" text null, "signature" varchar(88) null, "last_valid_block_height" bigint null, "attempts" int not null default 0, "last_error" text null, "confirmed_slot" bigint null, "confirmed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "payouts_pkey" primary key ("key"), constraint payouts_amount_check check ((amount_base_units > 0)));`,
    );
    this.addSql(`create index "idx_payouts_recipient" on "payouts" ("recipient");`);
    this.addSql(`create index "idx_payouts_status" on "payouts" ("status");`);
    this.addSql(`alter table "payouts" add constraint "payouts_signature_unique" unique ("signature");`);

    this.addSql(
      `create table "revenue_distributions" ("id" uuid not null default gen_random_uuid(), "month" varchar(7) not null, "currency" text check ("currency" in ('SOL', 'USDC')) not null, "total_revenue_base_units" bigint not null, "share_bps" int not null, "distribution_amount_base_units" bigint not null, "per_pass_amount_base_units" bigint not null, "dust_base_units" bigint not null default 0, "pass_count" int not null default 0, "distribution_date" timestamptz null, "transaction_signature" varchar(88) null, "sources" jsonb not null, "status" text check ("status" in ('draft', 'snapshotting', 'awaiting_approval', 'open', 'closed', 'cancelled')) not null default 'draft', "approvals" jsonb not null default '[]', "snapshot_slot" bigint null, "snapshot_done" int not null default 0, "claim_deadline" timestamptz null, "closed_at" timestamptz null, "unclaimed_base_units" bigint null, "created_by" varchar(44) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "revenue_distributions_pkey" primary key ("id"), constraint revenue_distributions_month_check check (((month)::text ~ '^[0-9]{4}-(0[1-9]|1[0-2])\$'::text)), constraint revenue_distributions_share_check check (((share_bps >= 0) AND (share_bps <= 10000))));`,
    );
    this.addSql(
      `alter table "revenue_distributions" add constraint "revenue_distributions_month_unique" unique ("month");`,
    );
    this.addSql(`create index "idx_distributions_status" on "revenue_distributions" ("status");`);

    this.addSql(
      `create table "revenue_claims" ("id" uuid not null default gen_random_uuid(), "distribution_id" uuid not null, "pass_mint" varchar(44) not null, "wallet_address" varchar(44) not null, "amount_base_units" bigint not null, "status" text check ("status" in ('pending', 'paid', 'failed')) not null default 'pending', "payout_key" varchar(120) not null, "transaction_signature" varchar(88) null, "claimed_at" timestamptz not null default now(), "paid_at" timestamptz null, constraint "revenue_claims_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "idx_claims_distribution" on "revenue_claims" ("distribution_id");`);
    this.addSql(`create index "idx_claims_wallet" on "revenue_claims" ("wallet_address");`);
    this.addSql(
      `alter table "revenue_claims" add constraint "revenue_claims_payout_key_unique" unique ("payout_key");`,
    );
    this.addSql(
      `alter table "revenue_claims" add constraint "revenue_claims_distribution_pass_unique" unique ("distribution_id", "pass_mint");`,
    );

    this.addSql(
      `create table "revenue_snapshots" ("distribution_id" uuid not null, "pass_mint" varchar(44) not null, "owner_wallet" varchar(44) not null, "token_account" varchar(44) null, constraint "revenue_snapshots_pkey" primary key ("distribution_id", "pass_mint"));`,
    );
    this.addSql(
      `create index "idx_snapshots_owner" on "revenue_snapshots" ("distribution_id", "owner_wallet");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null default gen_random_uuid(), "wallet_address" varchar(44) not null, "email" varchar(255) null, "preferences" jsonb not null default '{}', "last_login" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "users" add constraint "users_wallet_address_unique" unique ("wallet_address");`,
    );
    this.addSql(`create index "idx_users_email" on "users" ("email");`);

    this.addSql(
      `create table "lottery_tickets" ("id" bigserial primary key, "user_id" uuid null, "wallet_address" varchar(44) not null, "ticket_number" int not null, "lottery_round" varchar(50) not null, "acquisition_method" text check ("acquisition_method" in ('purchase', 'burn')) not null, "payment_method" text check ("payment_method" in ('SOL', 'USDC')) null, "transaction_signature" varchar(88) not null, "amount_paid_base_units" bigint null, "nft_burned" varchar(44) null, "created_at" timestamptz not null default now(), constraint lottery_tickets_number_check check ((ticket_number >= 1)));`,
    );
    this.addSql(`create index "idx_tickets_user" on "lottery_tickets" ("user_id");`);
    this.addSql(`create index "idx_tickets_wallet" on "lottery_tickets" ("wallet_address");`);
    this.addSql(`create index "idx_tickets_round" on "lottery_tickets" ("lottery_round");`);
    this.addSql(`create index "idx_tickets_signature" on "lottery_tickets" ("transaction_signature");`);
    this.addSql(`create index "idx_tickets_nft_burned" on "lottery_tickets" ("nft_burned");`);
    this.addSql(
      `alter table "lottery_tickets" add constraint "lottery_tickets_round_number_unique" unique ("lottery_round", "ticket_number");`,
    );

    this.addSql(
      `create table "email_notifications" ("id" uuid not null default gen_random_uuid(), "dedupe_key" varchar(200) not null, "recipient_email" varchar(255) not null, "subject" varchar(500) not null, "body" text not null, "text_body" text not null, "template" varchar(100) null, "data" jsonb null, "user_id" uuid null, "status" text check ("status" in ('pending', 'sending', 'sent', 'failed', 'suppressed')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "claimed_at" timestamptz null, "sent_at" timestamptz null, "provider_message_id" varchar(200) null, "error_message" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "email_notifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_notifications" add constraint "email_notifications_dedupe_key_unique" unique ("dedupe_key");`,
    );
    this.addSql(`create index "idx_emails_recipient" on "email_notifications" ("recipient_email");`);
    this.addSql(`create index "idx_emails_template" on "email_notifications" ("template");`);
    this.addSql(`create index "idx_emails_status" on "email_notifications" ("status");`);
    this.addSql(`create index "idx_emails_created" on "email_notifications" ("created_at");`);
    this.addSql(`create index "idx_emails_due" on "email_notifications" ("status", "next_attempt_at");`);

    this.addSql(
      `create table "analytics_events" ("id" bigserial primary key, "event_type" varchar(100) not null, "user_id" uuid null, "wallet_address" varchar(44) null, "metadata" jsonb null, "ip_address" inet null, "user_agent" text null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "idx_events_type" on "analytics_events" ("event_type");`);
    this.addSql(`create index "idx_events_wallet" on "analytics_events" ("wallet_address");`);
    this.addSql(`create index "idx_events_created" on "analytics_events" ("created_at");`);

    this.addSql(
      `create table "utility_projects" ("id" varchar(50) not null, "project_name" varchar(255) not null, "email" varchar(255) not null, "contact_wallet" varchar(44) null, "package" text check ("package" in ('starter', 'professional', 'enterprise')) not null, "services" jsonb not null, "payment_method" varchar(50) not null, "budget_cents" bigint null, "timeline" varchar(100) null, "details" text not null, "status" text check ("status" in ('pending_review', 'needs_info', 'approved', 'in_progress', 'completed', 'rejected', 'cancelled')) not null default 'pending_review', "progress" int not null default 0, "assigned_to" varchar(255) null, "estimated_completion" date null, "actual_completion" date null, "total_cost_cents" bigint null, "status_reason" text null, "submission_fingerprint" varchar(64) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "utility_projects_pkey" primary key ("id"), constraint utility_projects_progress_check check (((progress >= 0) AND (progress <= 100))));`,
    );
    this.addSql(`create index "idx_projects_email" on "utility_projects" ("email");`);
    this.addSql(`create index "idx_projects_status" on "utility_projects" ("status");`);
    this.addSql(`create index "idx_projects_fingerprint" on "utility_projects" ("submission_fingerprint");`);

    this.addSql(
      `create table "project_updates" ("id" uuid not null default gen_random_uuid(), "project_id" varchar(50) not null, "message" text not null, "progress" int null, "created_by" varchar(255) null, "created_at" timestamptz not null default now(), constraint "project_updates_pkey" primary key ("id"), constraint project_updates_progress_check check (((progress IS NULL) OR ((progress >= 0) AND (progress <= 100)))));`,
    );
    this.addSql(`create index "idx_updates_project" on "project_updates" ("project_id");`);

    this.addSql(
      `alter table "chain_receipts" add constraint "chain_receipts_round_id_foreign" foreign key ("round_id") references "lottery_rounds" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "revenue_claims" add constraint "revenue_claims_distribution_id_foreign" foreign key ("distribution_id") references "revenue_distributions" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "revenue_snapshots" add constraint "revenue_snapshots_distribution_id_foreign" foreign key ("distribution_id") references "revenue_distributions" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "lottery_tickets" add constraint "lottery_tickets_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "lottery_tickets" add constraint "lottery_tickets_lottery_round_foreign" foreign key ("lottery_round") references "lottery_rounds" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "lottery_tickets" add constraint "lottery_tickets_transaction_signature_foreign" foreign key ("transaction_signature") references "chain_receipts" ("signature") on update cascade;`,
    );

    this.addSql(
      `alter table "email_notifications" add constraint "email_notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "analytics_events" add constraint "analytics_events_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "project_updates" add constraint "project_updates_project_id_foreign" foreign key ("project_id") references "utility_projects" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chain_receipts" drop constraint "chain_receipts_round_id_foreign";`);

    this.addSql(`alter table "lottery_tickets" drop constraint "lottery_tickets_lottery_round_foreign";`);

    this.addSql(
      `alter table "lottery_tickets" drop constraint "lottery_tickets_transaction_signature_foreign";`,
    );

    this.addSql(`alter table "revenue_claims" drop constraint "revenue_claims_distribution_id_foreign";`);

    this.addSql(
      `alter table "revenue_snapshots" drop constraint "revenue_snapshots_distribution_id_foreign";`,
    );

    this.addSql(`alter table "lottery_tickets" drop constraint "lottery_tickets_user_id_foreign";`);

    this.addSql(`alter table "email_notifications" drop constraint "email_notifications_user_id_foreign";`);

    this.addSql(`alter table "analytics_events" drop constraint "analytics_events_user_id_foreign";`);

    this.addSql(`alter table "project_updates" drop constraint "project_updates_project_id_foreign";`);

    this.addSql(`drop table if exists "lottery_rounds" cascade;`);

    this.addSql(`drop table if exists "chain_receipts" cascade;`);

    this.addSql(`drop table if exists "nft_mints" cascade;`);

    this.addSql(`drop table if exists "payouts" cascade;`);

    this.addSql(`drop table if exists "revenue_distributions" cascade;`);

    this.addSql(`drop table if exists "revenue_claims" cascade;`);

    this.addSql(`drop table if exists "revenue_snapshots" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "lottery_tickets" cascade;`);

    this.addSql(`drop table if exists "email_notifications" cascade;`);

    this.addSql(`drop table if exists "analytics_events" cascade;`);

    this.addSql(`drop table if exists "utility_projects" cascade;`);

    this.addSql(`drop table if exists "project_updates" cascade;`);
  }
}
