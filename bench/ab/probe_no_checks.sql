-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh, a measurement only, never for a
-- database in use: without the CHECK constraints of calls and leads. Why measure it: PostgreSQL
-- reads every CHECK of a table from its stored node text again (stringToNode), plans and
-- compiles it for each INSERT or UPDATE statement's executor start, and evaluates all of them
-- whichever columns the UPDATE changed; the queue's kept plans start an executor per
-- execution. What that costs a cycle is what this probe removes. Compare with
-- bench/ab/probe_restore.sql, which adds them back from the definitions saved here.
\ir probe_restore.sql
INSERT INTO public.probe_saved_checks
SELECT conrelid::regclass, conname, pg_get_constraintdef(oid)
  FROM pg_constraint
 WHERE contype = 'c' AND conrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass);
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', rel, name) FROM public.probe_saved_checks \gexec
