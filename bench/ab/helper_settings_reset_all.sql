-- Variant for scripts/ab-workers.sh: helper_settings_reset.sql, and also dialer._caller_role
-- (SECURITY DEFINER) and dialer.map_outcome (public) without their SET clauses: the upper
-- bound of what the settings of nested calls cost. A measurement only.
\ir helper_settings_reset.sql
ALTER FUNCTION dialer._caller_role(uuid) RESET ALL;
ALTER FUNCTION dialer.map_outcome(uuid,text,text) RESET ALL;
