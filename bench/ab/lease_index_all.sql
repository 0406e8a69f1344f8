-- Variant for scripts/ab-workers.sh: the lease index as released up to 0.16.0, over every call in flight
-- (each claim inserts an entry at its right end); statistics on, as bench/ab/stats_on.sql.
-- Compare with bench/ab/lease_index_unslotted.sql. The reaper does not run in these runs, so
-- the index is the whole difference. docs/queue.md, Performance.
DROP INDEX IF EXISTS dialer.calls_lease_idx;
CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at) WHERE status < 'completed';
\ir stats_on.sql
