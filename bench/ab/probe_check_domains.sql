-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh, a measurement only: the
-- single-column CHECK constraints of calls and leads as domains of their columns (the two
-- constraints over several columns stay). Why: a table's CHECKs are read from their node text,
-- planned and compiled at every INSERT or UPDATE statement's executor start and all evaluated
-- whichever columns an UPDATE assigns (bench/ab/probe_no_checks.sql measures all of that); a
-- domain's check comes planned from the type cache and runs only where a value is assigned to
-- the column. Compare with bench/ab/probe_restore.sql. Since 0.18.0 the released tables have
-- these checks as domains already (dialer.e164_format and the rest), so on them this variant
-- only renames the domains: it is kept as the record of the 0.17.0 measurement (docs/queue.md).
\ir probe_restore.sql
DO $$
BEGIN
  IF to_regtype('public.probe_e164') IS NULL THEN
    CREATE DOMAIN public.probe_e164 AS text CHECK (VALUE ~ '^\+[1-9][0-9]{6,14}$');
    CREATE DOMAIN public.probe_identifier AS text CHECK (VALUE ~ '^[a-z][a-z0-9_]*$');
    CREATE DOMAIN public.probe_attempt_number AS integer CHECK (VALUE >= 1);
    CREATE DOMAIN public.probe_non_negative AS integer CHECK (VALUE >= 0);
    CREATE DOMAIN public.probe_cost AS numeric(12, 6) CHECK (VALUE >= 0 AND VALUE <> 'NaN');
    CREATE DOMAIN public.probe_json_object AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
  END IF;
END
$$;
INSERT INTO public.probe_saved_view VALUES ('dialer._stats_call_facts', pg_get_viewdef('dialer._stats_call_facts'::regclass));
ALTER EXTENSION pg_dialer DROP VIEW dialer._stats_call_facts;
INSERT INTO public.probe_saved_types
SELECT attrelid::regclass, attname, format_type(atttypid, atttypmod)
  FROM pg_attribute
 WHERE (attrelid = 'dialer.calls'::regclass
        AND attname IN ('phone', 'caller_id', 'attempt_number', 'provider', 'duration_seconds', 'cost', 'metadata'))
    OR (attrelid = 'dialer.leads'::regclass AND attname IN ('attempts', 'custom_fields'));
DROP VIEW dialer._stats_call_facts;
INSERT INTO public.probe_saved_checks
SELECT conrelid::regclass, conname, pg_get_constraintdef(oid)
  FROM pg_constraint
 WHERE contype = 'c' AND conrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass)
   AND conname NOT IN ('calls_outbound_has_lead', 'calls_time_order');
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', rel, name) FROM public.probe_saved_checks \gexec
ALTER TABLE dialer.calls
  ALTER COLUMN phone TYPE public.probe_e164, ALTER COLUMN caller_id TYPE public.probe_e164,
  ALTER COLUMN attempt_number TYPE public.probe_attempt_number,
  ALTER COLUMN provider TYPE public.probe_identifier,
  ALTER COLUMN duration_seconds TYPE public.probe_non_negative,
  ALTER COLUMN cost TYPE public.probe_cost, ALTER COLUMN metadata TYPE public.probe_json_object;
ALTER TABLE dialer.leads
  ALTER COLUMN attempts TYPE public.probe_non_negative,
  ALTER COLUMN custom_fields TYPE public.probe_json_object;
