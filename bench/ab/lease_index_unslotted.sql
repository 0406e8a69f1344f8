-- Variant for scripts/ab-workers.sh: the lease index as released from 0.15.0, over calls in
-- flight without a slot only (a claimed call adds no entry); statistics on, as
-- bench/ab/stats_on.sql. Compare with bench/ab/lease_index_all.sql.
DROP INDEX dialer.calls_lease_idx;
CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at) WHERE status < 'completed' AND slot IS NULL;
\ir stats_on.sql
