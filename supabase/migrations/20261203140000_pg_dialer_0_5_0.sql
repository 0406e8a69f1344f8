-- pg_dialer 0.5.0: brings a project created with an earlier release (or brought to it by
-- the previous migrations) to 0.5.0: rule packs as data (dialer.rule_packs,
-- dialer.rule_pack_rules; docs/schedule.md) and stored schedules that agree with
-- why_not_dialable after claims and releases (CHANGELOG.md). On a new project the first
-- migration has already installed 0.5.0 and this one does nothing. One statement, no psql
-- meta-commands (Supabase CLI migration).
-- Retried while the update gives way to running workers (55P03; docs/upgrading.md).
DO $$
DECLARE
  v_try integer := 0;
BEGIN
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') NOT IN ('0.1.0', '0.2.0', '0.3.0', '0.4.0') THEN
    RETURN;
  END IF;
  LOOP
    v_try := v_try + 1;
    BEGIN
      ALTER EXTENSION pg_dialer UPDATE TO '0.5.0';
      RETURN;
    EXCEPTION WHEN lock_not_available THEN
      IF v_try >= 100 THEN
        RAISE;
      END IF;
      PERFORM pg_catalog.pg_sleep(least(0.05 * v_try, 1.0));
    END;
  END LOOP;
END
$$;
