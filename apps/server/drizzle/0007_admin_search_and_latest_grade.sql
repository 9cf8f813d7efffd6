ALTER TABLE "scan_targets" ADD COLUMN "verified" boolean GENERATED ALWAYS AS (verified_at is not null) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "scan_targets" ADD COLUMN "last_grade" text;--> statement-breakpoint
ALTER TABLE "scan_targets" ADD COLUMN "last_score" integer;--> statement-breakpoint
ALTER TABLE "scan_targets" ADD COLUMN "last_scanned_at" timestamp with time zone;--> statement-breakpoint
-- Existing targets get the grade of their latest finished scan (scans' recordLatestScan from now on).
UPDATE "scan_targets" AS t SET "last_grade" = s."grade", "last_score" = s."score", "last_scanned_at" = s."finished_at"
FROM (
  SELECT DISTINCT ON ("target_id") "target_id", "grade", "score", "finished_at" FROM "scans"
  WHERE "state" = 'finished' ORDER BY "target_id", "finished_at" DESC
) AS s WHERE s."target_id" = t."id";--> statement-breakpoint
CREATE INDEX "leads_full_name_trgm_idx" ON "leads" USING gin ("full_name" gin_trgm_ops) WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_email_trgm_idx" ON "leads" USING gin ("email" gin_trgm_ops) WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_company_name_trgm_idx" ON "leads" USING gin ("company_name" gin_trgm_ops) WHERE "leads"."deleted_at" is null;