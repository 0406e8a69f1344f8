-- The install script's promises: every function commented and not executable by
-- PUBLIC; every relation and type in schema dialer commented, and every trigger, index,
-- constraint, column and policy of its tables; schema not relocatable.
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace
  FROM pg_extension WHERE extname = 'pg_dialer';
-- Functions without a comment (expect none).
SELECT p.oid::regprocedure AS uncommented_function
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND obj_description(p.oid, 'pg_proc') IS NULL
 ORDER BY 1;
-- Functions PUBLIC may execute (expect none).
SELECT p.oid::regprocedure AS public_executable
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY 1;
-- Relations without a comment (expect none).
SELECT c.oid::regclass AS uncommented_relation
  FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND obj_description(c.oid, 'pg_class') IS NULL
 ORDER BY 1;
-- Types without a comment (expect none).
SELECT t.oid::regtype AS uncommented_type
  FROM pg_type t JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND obj_description(t.oid, 'pg_type') IS NULL
 ORDER BY 1;
-- Triggers on the extension's tables without a comment (expect none).
SELECT tg.tgrelid::regclass AS relation, tg.tgname AS uncommented_trigger
  FROM pg_trigger tg JOIN pg_depend d ON d.objid = tg.tgrelid AND d.classid = 'pg_class'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND NOT tg.tgisinternal AND obj_description(tg.oid, 'pg_trigger') IS NULL
 ORDER BY 1, 2;
-- Indexes on the extension's tables without a comment, a key constraint's included (expect none).
SELECT i.indexrelid::regclass AS uncommented_index
  FROM pg_index i JOIN pg_depend d ON d.objid = i.indrelid AND d.classid = 'pg_class'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND obj_description(i.indexrelid, 'pg_class') IS NULL
 ORDER BY 1;
-- Constraints of the extension's tables and domains without a comment (expect none).
SELECT k.conrelid::regclass AS relation, k.contypid::regtype AS domain, k.conname AS uncommented_constraint
  FROM pg_constraint k
 WHERE k.connamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'pg_dialer')
   AND obj_description(k.oid, 'pg_constraint') IS NULL
 ORDER BY 1, 2, 3;
-- Columns of the extension's tables and views without a comment (expect none): PostgREST
-- publishes them as field descriptions in its OpenAPI document.
SELECT a.attrelid::regclass AS relation, a.attname AS uncommented_column
  FROM pg_attribute a JOIN pg_depend d ON d.objid = a.attrelid AND d.classid = 'pg_class'::regclass
  JOIN pg_class c ON c.oid = a.attrelid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND c.relkind IN ('r', 'v', 'p') AND a.attnum > 0 AND NOT a.attisdropped
   AND col_description(a.attrelid, a.attnum) IS NULL
 ORDER BY 1, 2;
-- Row-level security policies of the extension's tables without a comment (expect none).
SELECT p.polrelid::regclass AS relation, p.polname AS uncommented_policy
  FROM pg_policy p JOIN pg_depend d ON d.objid = p.polrelid AND d.classid = 'pg_class'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
   AND obj_description(p.oid, 'pg_policy') IS NULL
 ORDER BY 1, 2;
