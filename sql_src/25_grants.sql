-- Grants for the API roles. The install script cannot name Supabase's roles directly
-- (a plain server has none), so grants are applied by dialer.grant_api_access(): at
-- install time where the roles exist, and again by the Supabase migration (and by
-- anyone who adds the roles later). Functions are granted from one registry,
-- dialer.api_grants, which every feature's SQL file adds its rows to.

CREATE TABLE dialer.api_grants (
  function regprocedure NOT NULL,
  grantee  name NOT NULL CHECK (grantee IN ('authenticated', 'service_role')),
  PRIMARY KEY (function, grantee)
);
ALTER TABLE dialer.api_grants ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE dialer.api_grants IS
  'Which API role may EXECUTE which dialer function; applied by dialer.grant_api_access(). '
  'anon is never granted anything.';

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY[
         -- used inside policies, CHECK constraints and row triggers, so every
         -- request that reads or writes the tables needs them
         'dialer.current_user_id()',
         'dialer._canonical_phone(text, boolean, text)',
         'dialer.call_in_flight(dialer.call_status)',
         -- the phone core (10_phone.sql runs before this registry exists)
         'dialer.e164(text, text)',
         'dialer.try_e164(text, text)',
         'dialer.e164_default(text)',
         'dialer.try_e164_default(text)',
         'dialer.phone_info(text, text)',
         'dialer.phone_timezones(text, text)',
         'dialer.phone_area_timezones(text, text)',
         'dialer.phone_e164_check(text)',
         'dialer.phone_library_version()',
         'dialer._is_time_zone(text)',
         'dialer.user_tenant_ids(dialer.member_role)',
         'dialer.has_tenant_role(uuid, dialer.member_role)',
         'dialer.create_tenant(text, text)',
         'dialer.add_lead(uuid, text, text, text, text, jsonb, integer)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g
UNION ALL
SELECT f::regprocedure, 'service_role'
  FROM unnest(ARRAY[
         'dialer.resolve_tenant(text, text)',
         'dialer.purge_conversations(uuid, timestamptz, integer)',
         'dialer.run_retention(timestamptz, integer)']) AS f;

CREATE FUNCTION dialer.grant_api_access()
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_table regclass;
  v_command text;
  v_columns text;
  v_grant record;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    REVOKE ALL ON ALL TABLES IN SCHEMA dialer FROM anon;
    REVOKE ALL ON SCHEMA dialer FROM anon;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    GRANT USAGE ON SCHEMA dialer TO service_role;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA dialer TO service_role;
    REVOKE INSERT, UPDATE, DELETE ON dialer.api_grants FROM service_role;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    GRANT USAGE ON SCHEMA dialer TO authenticated;
    -- A table is granted a command only where a policy allows it to authenticated (or
    -- PUBLIC): RLS decides rows, the grant is defence in depth. Tables without RLS get
    -- SELECT only when they hold no tenant data (reference data such as outcome classes).
    FOR v_table IN
      SELECT c.oid FROM pg_catalog.pg_class c
       WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
      IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = v_table) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = v_table AND a.attname = 'tenant_id') THEN
          EXECUTE format('GRANT SELECT ON %s TO authenticated', v_table);
        END IF;
        CONTINUE;
      END IF;
      FOR v_command IN
        SELECT DISTINCT cmd FROM pg_catalog.pg_policy p,
               LATERAL unnest(CASE p.polcmd WHEN '*' THEN ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']
                                            WHEN 'r' THEN ARRAY['SELECT'] WHEN 'a' THEN ARRAY['INSERT']
                                            WHEN 'w' THEN ARRAY['UPDATE'] ELSE ARRAY['DELETE'] END) AS cmd
         WHERE p.polrelid = v_table
           AND (p.polroles @> ARRAY[0::oid]
                OR p.polroles @> ARRAY[(SELECT r.oid FROM pg_catalog.pg_roles r
                                         WHERE r.rolname = 'authenticated')])
      LOOP
        IF v_command = 'UPDATE' THEN
          -- Key columns never change through the API: a row cannot move to another tenant.
          SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns
            FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                              WHERE i.indrelid = v_table AND i.indisprimary
                                AND a.attnum = ANY (i.indkey));
          EXECUTE format('GRANT UPDATE (%s) ON %s TO authenticated', v_columns, v_table);
        ELSE
          EXECUTE format('GRANT %s ON %s TO authenticated', v_command, v_table);
        END IF;
      END LOOP;
    END LOOP;
  END IF;
  FOR v_grant IN
    SELECT g.function, g.grantee FROM dialer.api_grants g
     WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = g.grantee)
  LOOP
    EXECUTE format('GRANT EXECUTE ON %s %s TO %I',
      CASE WHEN (SELECT p.prokind FROM pg_catalog.pg_proc p WHERE p.oid = v_grant.function) = 'p'
           THEN 'PROCEDURE' ELSE 'FUNCTION' END,
      v_grant.function, v_grant.grantee);
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.grant_api_access() IS
  'Grants the Supabase API roles what they need, where they exist: service_role every table and '
  'the functions registered for it; authenticated the schema, each command some RLS policy allows '
  '(UPDATE on non-key columns only), SELECT on tenant-free reference tables, and its registered '
  'functions; anon nothing. Idempotent; the Supabase migration runs it.';
REVOKE EXECUTE ON FUNCTION dialer.grant_api_access() FROM PUBLIC;


CREATE FUNCTION dialer.join_realtime_publication(p_publication name DEFAULT 'supabase_realtime')
RETURNS SETOF regclass
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_table regclass;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication p
                  WHERE p.pubname = p_publication AND NOT p.puballtables) THEN
    RETURN;
  END IF;
  FOREACH v_table IN ARRAY ARRAY['dialer.campaigns', 'dialer.leads', 'dialer.calls']::regclass[] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel pr
                     JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                    WHERE p.pubname = p_publication AND pr.prrelid = v_table) THEN
      EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', p_publication, v_table);
      RETURN NEXT v_table;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.join_realtime_publication(name) IS
  'Adds dialer.campaigns, dialer.leads and dialer.calls to the publication (Supabase Realtime''s '
  'supabase_realtime by default) when it exists and lists tables; returns the tables it added. '
  'Idempotent; does nothing without the publication or for a FOR ALL TABLES publication.';
REVOKE EXECUTE ON FUNCTION dialer.join_realtime_publication(name) FROM PUBLIC;
