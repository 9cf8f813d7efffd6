CREATE TABLE "lead_import_rows" (
	"import_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"lead" jsonb NOT NULL,
	CONSTRAINT "lead_import_rows_import_id_row_pk" PRIMARY KEY("import_id","row")
);
--> statement-breakpoint
ALTER TABLE "lead_imports" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_import_rows" ADD CONSTRAINT "lead_import_rows_import_id_lead_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."lead_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_imports_in_progress_idx" ON "lead_imports" USING btree ("created_by","api_key_id") WHERE "lead_imports"."status" in ('parsing', 'running');--> statement-breakpoint
-- Imports waiting to be applied (or half applied) keep their rows: the pending array's entries
-- not yet processed move to lead_import_rows before the column goes.
INSERT INTO "lead_import_rows" ("import_id", "row", "lead")
SELECT i."id", (p.entry->>'row')::int, p.entry->'lead'
FROM "lead_imports" i, jsonb_array_elements(i."pending") WITH ORDINALITY AS p(entry, n)
WHERE i."status" IN ('preview', 'running') AND p.n > i."processed_rows";--> statement-breakpoint
ALTER TABLE "lead_imports" DROP COLUMN "pending";