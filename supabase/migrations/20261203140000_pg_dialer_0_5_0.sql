-- pg_dialer 0.5.0: brings a project created with an earlier release (or brought to it by
-- the previous migrations) to 0.5.0: rule packs as data (dialer.rule_packs,
-- dialer.rule_pack_rules; docs/schedule.md) and stored schedules that agree with
-- why_not_dialable after claims and releases (CHANGELOG.md). On a new project the first
-- migration has already installed 0.5.0 and this one does nothing. One statement, no psql
-- meta-commands (Supabase CLI migration).
DO $$
BEGIN
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') IN ('0.1.0', '0.2.0', '0.3.0', '0.4.0') THEN
    ALTER EXTENSION pg_dialer UPDATE TO '0.5.0';
  END IF;
END
$$;
