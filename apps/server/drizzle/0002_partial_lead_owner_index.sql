DROP INDEX "leads_owner_idx";--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("owner_id") WHERE "leads"."owner_id" is not null;