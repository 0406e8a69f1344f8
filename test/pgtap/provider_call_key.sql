-- The provider's call-id key (dialer.calls_provider_call_idx, 0.15.0): a provider's call id
-- names at most one call of a tenant, as the unique constraint it replaced did, but calls
-- without a provider call id (every call in flight: the claim inserts them so) take no entry.
-- Up to 0.14.0 each of them added the key (tenant, NULL, NULL), all at one leaf page that
-- every claim locked exclusively (docs/queue.md, Performance).
\set QUIET on
BEGIN;
SELECT plan(10);
SET LOCAL client_min_messages = warning;

INSERT INTO dialer.tenants (id, name, default_region) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000c1', 'Provider keys', 'US'),
  ('aaaaaaaa-0000-0000-0000-0000000000c2', 'Provider keys 2', 'US');
-- An inbound call of tenant p_tenant with provider p_provider and call id p_id (either NULL).
CREATE FUNCTION pg_temp.call(p_tenant text, p_provider text, p_id text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
  VALUES (('aaaaaaaa-0000-0000-0000-0000000000' || p_tenant)::uuid, 'inbound', '+12025550123',
          'completed', p_provider, p_id);
$$;

SELECT lives_ok($$ SELECT pg_temp.call('c1', 'retell', 'call_1') $$, 'a provider call id is stored');
SELECT throws_ok($$ SELECT pg_temp.call('c1', 'retell', 'call_1') $$, '23505', NULL,
                 'the same provider call id again in the same tenant is refused (23505)');
SELECT lives_ok($$ SELECT pg_temp.call('c1', 'vapi', 'call_1') $$,
                'the same call id of another provider is another call');
SELECT lives_ok($$ SELECT pg_temp.call('c2', 'retell', 'call_1') $$,
                'the same provider call id in another tenant is another call');
SELECT lives_ok($$ SELECT pg_temp.call('c1', NULL, 'call_1'); SELECT pg_temp.call('c1', NULL, 'call_1') $$,
                'without a provider, call ids are not compared (as NULLs never were)');
SELECT lives_ok($$ SELECT pg_temp.call('c1', 'retell', NULL); SELECT pg_temp.call('c1', 'retell', NULL) $$,
                'calls without a provider call id are not compared');

-- An upsert names the index's predicate; it finds the existing call.
SELECT lives_ok($$
  INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
  VALUES ('aaaaaaaa-0000-0000-0000-0000000000c1', 'inbound', '+12025550123', 'completed', 'retell', 'call_1')
  ON CONFLICT (tenant_id, provider, provider_call_id) WHERE provider_call_id IS NOT NULL
  DO UPDATE SET notes = 'upserted' $$, 'an upsert on the key names its predicate');
SELECT is((SELECT count(*)::int FROM dialer.calls
            WHERE tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000c1' AND provider = 'retell'
              AND provider_call_id = 'call_1' AND notes = 'upserted'),
          1, 'the upsert updated the one call with that provider call id');

-- The finding: calls without a provider call id add no entry to the key. 5,000 of them
-- (up to 0.14.0: 5,000 entries of one key, several leaf pages) leave the index as it was.
CREATE TEMP TABLE size_before AS
  SELECT pg_relation_size('dialer.calls_provider_call_idx') AS bytes;
INSERT INTO dialer.calls (tenant_id, direction, phone, status)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000c2', 'inbound', '+12025550123', 'completed'
  FROM generate_series(1, 5000);
SELECT is(pg_relation_size('dialer.calls_provider_call_idx'), (SELECT bytes FROM size_before),
          'calls without a provider call id do not grow the provider key');

-- A webhook's lookup by provider call id reads the key (the predicate follows from the
-- equality, so the planner may use the partial index).
CREATE FUNCTION pg_temp.plan_lines() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  line text;
BEGIN
  FOR line IN EXPLAIN SELECT id FROM dialer.calls
                WHERE tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000c1' AND provider = 'retell'
                  AND provider_call_id = 'call_1' LOOP
    RETURN NEXT line;
  END LOOP;
END
$$;
SET LOCAL enable_seqscan = off;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan_lines() AS p(line)
                   WHERE line LIKE '%calls_provider_call_idx%'),
          'a lookup by tenant, provider and provider call id uses the key');

SELECT * FROM finish();
ROLLBACK;
