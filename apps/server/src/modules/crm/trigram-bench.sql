-- What the leads' trigram indexes (migration 0007, for the admin's search) cost an insert.
-- Run against a scratch database: psql -d <scratch> -f apps/server/src/modules/crm/trigram-bench.sql
-- Inserts 20,000 lead-like rows into two tables, one with and one without the three GIN
-- indexes, and prints both timings (\timing).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP TABLE IF EXISTS bench_plain, bench_trgm;
CREATE TABLE bench_plain (id serial primary key, full_name text, email text, company_name text, deleted_at timestamptz);
CREATE TABLE bench_trgm (LIKE bench_plain INCLUDING ALL);
CREATE INDEX ON bench_trgm USING gin (full_name gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX ON bench_trgm USING gin (email gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX ON bench_trgm USING gin (company_name gin_trgm_ops) WHERE deleted_at IS NULL;
\timing on
INSERT INTO bench_plain (full_name, email, company_name)
  SELECT 'Person ' || md5(i::text), 'p' || i || '@' || md5(i::text) || '.example', 'Company ' || (i % 997)
  FROM generate_series(1, 20000) i;
INSERT INTO bench_trgm (full_name, email, company_name)
  SELECT 'Person ' || md5(i::text), 'p' || i || '@' || md5(i::text) || '.example', 'Company ' || (i % 997)
  FROM generate_series(1, 20000) i;
\timing off
DROP TABLE bench_plain, bench_trgm;
