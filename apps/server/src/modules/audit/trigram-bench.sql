-- What the audit log's trigram indexes (migration 0008, for the admin's search) cost an insert.
-- Run against a scratch database: psql -d <scratch> -f apps/server/src/modules/audit/trigram-bench.sql
-- Inserts 20,000 audit-like rows twice into a table without and one with the two GIN indexes,
-- and prints the timings (\timing).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP TABLE IF EXISTS bench_plain, bench_trgm;
CREATE TABLE bench_plain (id serial primary key, action text, target text, created_at timestamptz default now());
CREATE INDEX ON bench_plain (created_at);
CREATE TABLE bench_trgm (LIKE bench_plain INCLUDING ALL);
CREATE INDEX ON bench_trgm USING gin (action gin_trgm_ops);
CREATE INDEX ON bench_trgm USING gin (target gin_trgm_ops);
\timing on
INSERT INTO bench_plain (action, target) SELECT (ARRAY['auth.login','auth.logout','admin.leads.updated','user.signup'])[1 + i % 4], 'user:' || md5(i::text) FROM generate_series(1, 20000) i;
INSERT INTO bench_trgm (action, target) SELECT (ARRAY['auth.login','auth.logout','admin.leads.updated','user.signup'])[1 + i % 4], 'user:' || md5(i::text) FROM generate_series(1, 20000) i;
INSERT INTO bench_plain (action, target) SELECT (ARRAY['auth.login','auth.logout','admin.leads.updated','user.signup'])[1 + i % 4], 'user:' || md5(i::text) FROM generate_series(1, 20000) i;
INSERT INTO bench_trgm (action, target) SELECT (ARRAY['auth.login','auth.logout','admin.leads.updated','user.signup'])[1 + i % 4], 'user:' || md5(i::text) FROM generate_series(1, 20000) i;
\timing off
DROP TABLE bench_plain, bench_trgm;
