-- Trigram indexes make the admin's ILIKE search fast on big tables; modules add their own.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "admin_action_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource" text NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_role" text NOT NULL,
	"request_id" text NOT NULL,
	"selection" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "admin_saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource" text NOT NULL,
	"name" text NOT NULL,
	"owner_id" uuid,
	"shared_with_role" text,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "admin_action_runs_actor_idx" ON "admin_action_runs" USING btree ("actor_id","created_at");--> statement-breakpoint
CREATE INDEX "admin_saved_views_owner_idx" ON "admin_saved_views" USING btree ("owner_id","resource");--> statement-breakpoint
CREATE INDEX "admin_saved_views_shared_idx" ON "admin_saved_views" USING btree ("shared_with_role","resource");--> statement-breakpoint
CREATE INDEX "audit_events_target_created_at_idx" ON "audit_events" USING btree ("target","created_at","id") WHERE "audit_events"."target" is not null;