-- Variant for scripts/ab-workers.sh: the lease index over calls in flight without a slot only
-- (a claimed call adds no entry; the reaper would find claimed calls through their slots),
-- as released from 0.17.0 (tried for 0.15.0 and reverted, then measured side by side; docs/queue.md);
-- statistics on, as bench/ab/stats_on.sql. Compare with bench/ab/lease_index_all.sql.
DROP INDEX IF EXISTS dialer.calls_lease_idx;
CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at) WHERE status < 'completed' AND slot IS NULL;
\ir stats_on.sql
