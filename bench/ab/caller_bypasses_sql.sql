-- Variant for scripts/ab-workers.sh: dialer._caller_bypasses_rls as 0.5.0 shipped it (PL/pgSQL
-- reading pg_roles).
CREATE OR REPLACE FUNCTION dialer._caller_bypasses_rls()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (
      -- Why the role setting and not current_user: inside a SECURITY DEFINER function
      -- current_user is the owner; the role setting still names the requester
      -- (PostgREST's SET LOCAL ROLE), and session_user covers a direct login.
      SELECT coalesce(
        (SELECT r.rolsuper OR r.rolbypassrls
           FROM pg_catalog.pg_roles r
          WHERE r.rolname = CASE pg_catalog.current_setting('role')
                              WHEN 'none' THEN session_user::text
                              ELSE pg_catalog.current_setting('role') END),
        false));
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
