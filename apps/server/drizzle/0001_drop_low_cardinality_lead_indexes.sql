DROP INDEX "leads_source_idx";--> statement-breakpoint
DROP INDEX "leads_category_idx";