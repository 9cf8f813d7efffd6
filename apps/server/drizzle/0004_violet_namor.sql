CREATE TABLE "scan_alert_state" (
	"target_id" uuid PRIMARY KEY NOT NULL,
	"grade" text,
	"failing_tests" text[] DEFAULT '{}'::text[] NOT NULL,
	"certificate_expiry_notified" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scan_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"name" text NOT NULL,
	"owner_id" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"schedule" text DEFAULT 'off' NOT NULL,
	"schedule_time" text DEFAULT '03:00' NOT NULL,
	"schedule_weekday" smallint DEFAULT 1 NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"next_scan_at" timestamp with time zone,
	"notify" boolean DEFAULT true NOT NULL,
	"verification_token" text NOT NULL,
	"verification_method" text,
	"verified_at" timestamp with time zone,
	"verification_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_id" uuid NOT NULL,
	"url" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text,
	"progress" smallint DEFAULT 0 NOT NULL,
	"stage" text,
	"grade" text,
	"score" integer,
	"extra_grade" text,
	"extra_score" integer,
	"failed" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"raw" jsonb,
	"error" text,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "scan_alert_state" ADD CONSTRAINT "scan_alert_state_target_id_scan_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."scan_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_target_id_scan_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."scan_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scan_targets_owner_idx" ON "scan_targets" USING btree ("owner_id","created_at") WHERE "scan_targets"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "scan_targets_due_idx" ON "scan_targets" USING btree ("next_scan_at") WHERE "scan_targets"."deleted_at" is null and "scan_targets"."next_scan_at" is not null;--> statement-breakpoint
CREATE INDEX "scans_target_created_idx" ON "scans" USING btree ("target_id","created_at");--> statement-breakpoint
CREATE INDEX "scans_target_finished_idx" ON "scans" USING btree ("target_id","finished_at") WHERE "scans"."state" = 'finished';--> statement-breakpoint
CREATE INDEX "scans_requested_by_idx" ON "scans" USING btree ("requested_by","created_at") WHERE "scans"."requested_by" is not null;