-- The generic admin: sessions get a public id (their primary key is the cookie's hash, which
-- never leaves the server), audit events a request id column to filter on, mail a count of
-- delivery attempts.
ALTER TABLE "sessions" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "request_id" text GENERATED ALWAYS AS (data ->> 'requestId') STORED;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_id_key" ON "sessions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "audit_events_request_id_idx" ON "audit_events" USING btree ("request_id") WHERE "audit_events"."request_id" is not null;