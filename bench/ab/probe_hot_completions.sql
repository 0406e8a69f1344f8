-- Variant for scripts/ab-concurrent.sh, a measurement only, never for a database in use: what
-- HOT completions would save at most. Without the three indexes of dialer.calls that name the
-- columns a completion changes (calls_one_in_flight_idx and calls_lease_idx: status in their
-- predicates, lease_expires_at as a key; calls_provider_call_idx: the benchmark's worker names
-- the provider at completion), no index of calls changes when a call completes, so the
-- completion's UPDATE can stay on the call's page (fillfactor 80 leaves it the room); one call
-- in flight per lead, a provider call id's uniqueness and reaping slotless calls by lease are
-- then not enforced or indexed. Compare with bench/ab/probe_restore.sql. docs/queue.md,
-- Performance.
\ir probe_restore.sql
SELECT format('ALTER EXTENSION pg_dialer DROP INDEX %s', i)
  FROM unnest(ARRAY['dialer.calls_one_in_flight_idx', 'dialer.calls_lease_idx',
                    'dialer.calls_provider_call_idx']) i
 WHERE EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = i::regclass AND d.deptype = 'e') \gexec
DROP INDEX dialer.calls_one_in_flight_idx, dialer.calls_lease_idx, dialer.calls_provider_call_idx;
ALTER TABLE dialer.calls SET (fillfactor = 80);
