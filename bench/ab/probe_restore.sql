-- Variant for scripts/ab-workers.sh and scripts/ab-concurrent.sh: the released layout with
-- statistics on (as bench/ab/stats_on.sql), after restoring what the probe_* variants drop:
-- the lease index, calls_one_in_flight_idx, calls_provider_call_idx, calls' fillfactor and key, the foreign keys of calls to
-- tenants and campaigns and of lead_first_contacts to campaigns, checked at once (not
-- deferred), the CHECK constraints of calls and leads and their columns' types. The baseline
-- of bench/ab/probe_no_lease_index.sql, bench/ab/probe_no_parent_keys.sql,
-- bench/ab/probe_deferred_parent_keys.sql, bench/ab/probe_no_checks.sql,
-- bench/ab/probe_check_domains.sql, bench/ab/probe_hot_completions.sql and
-- bench/ab/probe_id_first_key.sql.
SELECT 'CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at) WHERE status < ''completed'' AND slot IS NULL'
 WHERE to_regclass('dialer.calls_lease_idx') IS NULL \gexec
SELECT 'CREATE UNIQUE INDEX calls_one_in_flight_idx ON dialer.calls (tenant_id, lead_id) WHERE status < ''completed'''
 WHERE to_regclass('dialer.calls_one_in_flight_idx') IS NULL \gexec
SELECT 'CREATE UNIQUE INDEX calls_provider_call_idx ON dialer.calls (tenant_id, provider, provider_call_id)'
       ' WHERE provider_call_id IS NOT NULL'
 WHERE to_regclass('dialer.calls_provider_call_idx') IS NULL \gexec
ALTER TABLE dialer.calls RESET (fillfactor);
-- Makes calls' primary key over p_columns, with the foreign keys that name it made again over
-- the new key (they go with the old one). Here and in bench/ab/probe_id_first_key.sql.
CREATE OR REPLACE FUNCTION public.probe_set_calls_key(p_columns text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_fks text[];
BEGIN
  SELECT array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                          pg_get_constraintdef(oid)))
    INTO v_fks FROM pg_constraint WHERE confrelid = 'dialer.calls'::regclass AND contype = 'f';
  ALTER TABLE dialer.calls DROP CONSTRAINT calls_pkey CASCADE;
  EXECUTE format('ALTER TABLE dialer.calls ADD CONSTRAINT calls_pkey PRIMARY KEY (%s)', p_columns);
  FOR i IN 1 .. coalesce(array_length(v_fks, 1), 0) LOOP
    EXECUTE v_fks[i];
  END LOOP;
END
$$;
-- calls' primary key as released, (tenant_id, id), and calls_id_idx
-- (bench/ab/probe_id_first_key.sql made the key (id, tenant_id) without that index).
SELECT public.probe_set_calls_key('tenant_id, id')
 WHERE (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indexrelid = 'dialer.calls_pkey'::regclass) = 'id';
CREATE INDEX IF NOT EXISTS calls_id_idx ON dialer.calls (id);
-- Rows a run without the keys left behind when the benchmark deleted its tenant (nothing
-- cascaded to them) would fail the keys: deleted first.
DELETE FROM dialer.lead_first_contacts f
 WHERE NOT EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = f.tenant_id AND c.id = f.campaign_id);
DELETE FROM dialer.calls k WHERE NOT EXISTS (SELECT 1 FROM dialer.tenants t WHERE t.id = k.tenant_id);
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY %s REFERENCES %s ON DELETE CASCADE', t, c, k, r)
  FROM (VALUES ('dialer.calls', 'calls_tenant_id_fkey', '(tenant_id)', 'dialer.tenants (id)'),
               ('dialer.calls', 'calls_tenant_id_campaign_id_fkey', '(tenant_id, campaign_id)',
                'dialer.campaigns (tenant_id, id)'),
               ('dialer.lead_first_contacts', 'lead_first_contacts_tenant_id_campaign_id_fkey',
                '(tenant_id, campaign_id)', 'dialer.campaigns (tenant_id, id)')) v (t, c, k, r)
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = c) \gexec
SELECT format('ALTER TABLE %s ALTER CONSTRAINT %I NOT DEFERRABLE', conrelid::regclass, conname)
  FROM pg_constraint
 WHERE conname IN ('calls_tenant_id_fkey', 'calls_tenant_id_campaign_id_fkey',
                   'lead_first_contacts_tenant_id_campaign_id_fkey') AND condeferrable \gexec
-- The columns bench/ab/probe_check_domains.sql gave its domains: back to the types it saved
-- (text and the like up to 0.17.0, the dialer domains since 0.18.0), and the view it dropped
-- to do so created again.
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS public.probe_saved_view (name text, def text);
CREATE TABLE IF NOT EXISTS public.probe_saved_types (rel regclass, name name, type text);
SELECT format('ALTER TABLE %s ALTER COLUMN %I TYPE %s', rel, name, type) FROM public.probe_saved_types \gexec
DELETE FROM public.probe_saved_types;
SELECT format('CREATE VIEW %s AS %s', name, def), format('ALTER EXTENSION pg_dialer ADD VIEW %s', name)
  FROM public.probe_saved_view WHERE to_regclass(name) IS NULL \gexec
DELETE FROM public.probe_saved_view;
-- The CHECK constraints of calls and leads bench/ab/probe_no_checks.sql and
-- probe_check_domains.sql dropped (they saved their definitions): added back, validated.
CREATE TABLE IF NOT EXISTS public.probe_saved_checks (rel regclass, name name, def text);
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', rel, name, def)
  FROM public.probe_saved_checks s
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = s.rel AND c.conname = s.name) \gexec
DELETE FROM public.probe_saved_checks;
\ir stats_on.sql
