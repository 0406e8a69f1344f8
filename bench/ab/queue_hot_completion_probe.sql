-- Variant for scripts/ab-workers.sh, a measurement only, never for a database in use: what
-- completions that are HOT updates of dialer.calls would buy. It drops the three indexes whose
-- columns a completion changes (the lease index the reaper reads, the index that allows one
-- call in flight per lead, and the provider's call-id key, since the worker names the provider
-- at completion), so reaping by lease and those guarantees are gone, and leaves each calls page
-- 20% free for the completed version. docs/queue.md, Performance.
SELECT format('ALTER EXTENSION pg_dialer DROP INDEX dialer.%I', i)
  FROM unnest(ARRAY['calls_lease_idx', 'calls_one_in_flight_idx']) i
 WHERE to_regclass('dialer.' || i) IS NOT NULL
   AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ('dialer.' || i)::regclass AND d.deptype = 'e') \gexec
DROP INDEX IF EXISTS dialer.calls_lease_idx, dialer.calls_one_in_flight_idx;
ALTER TABLE dialer.calls DROP CONSTRAINT IF EXISTS calls_tenant_id_provider_provider_call_id_key;  -- up to 0.14.0
DROP INDEX IF EXISTS dialer.calls_provider_call_idx;  -- from 0.15.0
ALTER TABLE dialer.calls SET (fillfactor = 80);
VACUUM FULL dialer.calls;
SELECT dialer.set_campaign_stats_enabled(true);
